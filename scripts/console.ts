/**
 * Building the web console (console/ → console/dist) when it is missing or older than its sources. `npm start`
 * and the test suite's global setup call `ensureConsoleBuilt`; `npm run console:build` builds unconditionally.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const CONSOLE_ROOT = join(__dirname, '..', 'console');
const DIST_INDEX = join(CONSOLE_ROOT, 'dist', 'index.html');
// the console also bundles the domain's import-free lifecycle lists (statuses, phases)
const SOURCES = ['src', 'index.html', 'vite.config.mts', 'tsconfig.json', '../domain/lifecycle.ts'];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newestMtime(join(path, name))), st.mtimeMs);
}

/** Why the console needs a build, or undefined when console/dist is up to date. */
export function consoleStale(): string | undefined {
  if (!existsSync(DIST_INDEX)) return 'console/dist is missing';
  const built = statSync(DIST_INDEX).mtimeMs;
  const sources = Math.max(...SOURCES.map((s) => newestMtime(join(CONSOLE_ROOT, s))));
  return sources > built ? 'console sources changed since the last build' : undefined;
}

export class ConsoleBuildError extends Error {}

/** vite build, in a child process (Vite is ESM-only; this codebase runs as CommonJS). */
export function buildConsole(): void {
  const vite = join(require.resolve('vite/package.json'), '..', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], {
    cwd: CONSOLE_ROOT,
    // React's production build even when the caller runs with NODE_ENV=test (jest's global setup builds it too)
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (r.status !== 0) throw new ConsoleBuildError(`building the console failed (vite exit ${r.status})`);
}

/** Build when needed; returns what was done, for a log line. */
export function ensureConsoleBuilt(log: (line: string) => void = console.log): void {
  const why = consoleStale();
  if (!why) return;
  log(`building the web console (${why})…`);
  buildConsole();
}

if (require.main === module) {
  try {
    buildConsole();
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
