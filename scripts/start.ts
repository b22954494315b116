/**
 * npm start: the whole service on one machine, as three processes. Without TEMPORAL_ADDRESS it starts the
 * embedded Temporal dev server (SQLite under the data dir, search attributes registered, Web UI); then a worker
 * process (`npm run worker`: worker.ts) and an API process (`npm run api`: api/main.ts), each a child of this one
 * with an IPC channel. This process only supervises:
 * - SIGTERM, SIGINT (Ctrl-C), SIGHUP — at any moment, also while starting: the API stops (requests in flight
 *   finish), then the worker (tasks in hand finish), then the dev server; exit 0. The children ignore a terminal's
 *   Ctrl-C to the group and wait for this order; if this process dies, their IPC channel closes and they stop.
 * - a child or the dev server that exits on its own stops everything (exit 1).
 * - after a crash (SIGKILL of the group, a power loss) the dev server, detached, may survive: its record in the
 *   data dir (temporal-dev.json: pid, start time, command line, owner) lets the next start stop it — only it.
 * Data persists across restarts.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ConfigError, parseConfig } from '../config';
import { devSecret } from '../api/server';
import { PortInUseError, portFree, reclaimLeftover, startDevServer, type DevServer } from './dev-server';
import { ensureTool, ToolchainError } from './toolchain';
import { ConsoleBuildError, ensureConsoleBuilt } from './console';

const ROOT = resolve(__dirname, '..');

/** How long a child has to stop after SIGTERM before it is killed. */
const STOP_GRACE_MS = 20_000;

class ChildFailed extends Error {}

interface Role {
  name: 'worker' | 'api';
  child: ChildProcess;
  /** resolves once the child says it polls / listens; rejects if it exits first */
  ready: Promise<void>;
  exited: Promise<void>;
}

function startRole(name: Role['name'], file: string): Role {
  // tsx as a loader in the child itself (its CLI would add a process between us and the role)
  const child = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: ROOT,
    env: process.env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const ready = new Promise<void>((resolvePromise, reject) => {
    child.on('message', (m: { role?: string; state?: string }) => {
      if (m?.role === name) resolvePromise();
    });
    child.once('exit', (code, signal) =>
      reject(new ChildFailed(`the ${name} process exited with ${signal ?? code} while starting`)),
    );
  });
  ready.catch(() => undefined);
  return { name, child, ready, exited };
}

async function stopRole(role: Role | undefined): Promise<void> {
  if (!role || role.child.exitCode !== null || role.child.signalCode !== null) return;
  role.child.kill('SIGTERM');
  const timer = setTimeout(() => role.child.kill('SIGKILL'), STOP_GRACE_MS);
  await role.exited;
  clearTimeout(timer);
}

let temporal: DevServer | undefined;
let worker: Role | undefined;
let api: Role | undefined;
let stopping: Promise<void> | undefined;
const stopped = () => stopping !== undefined;

/** Stop what has started, in order, then exit with `code`. */
function shutdown(why: string | undefined, code: number): Promise<void> {
  return (stopping ??= (async () => {
    if (why) console.log(`\n${why}: stopping…`);
    await stopRole(api); // the API first: its requests in flight may still need the worker
    await stopRole(worker);
    await temporal?.stop();
    process.exit(code);
  })().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  }));
}

async function main(): Promise<void> {
  // first thing: a signal while starting stops what has started so far
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const)
    process.on(signal, () => void shutdown(signal, 0));

  const config = parseConfig();
  mkdirSync(config.dataDir, { recursive: true });
  if (!(await portFree(config.port, config.host))) {
    throw new PortInUseError(
      `port ${config.port} (API) is already in use: stop whatever holds it, or set PORT.`,
    );
  }
  // the web console is served from console/dist: build it when missing or older than its sources
  ensureConsoleBuilt();
  if (!config.temporal.address) {
    const dbFile = join(config.dataDir, 'temporal.sqlite');
    const recordFile = join(config.dataDir, 'temporal-dev.json');
    await reclaimLeftover(recordFile, dbFile, (line) => console.log(line));
    if (stopped()) return;
    const cliPath = ensureTool('cli');
    console.log(`starting Temporal dev server (${cliPath}) with SQLite at ${dbFile}…`);
    temporal = await startDevServer({
      cliPath,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFile,
      recordFile,
      namespace: config.temporal.namespace,
      // the Web UI decodes encrypted payloads through the API (reviewers' and admins' tokens only)
      codecEndpoint: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/codec`,
    });
    // stopped while it started: the shutdown above did not know it yet
    if (stopped()) return void (await temporal.stop());
    temporal.child.once('exit', (code) => void shutdown(`the Temporal dev server exited (${code})`, 1));
  }
  worker = startRole('worker', 'worker.ts');
  api = startRole('api', join('api', 'main.ts'));
  for (const role of [worker, api])
    void role.exited.then(() => void shutdown(`the ${role.name} process exited`, 1));
  await Promise.all([worker.ready, api.ready]);
  if (stopped()) return;

  const secret = devSecret(config);
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const signIn = config.oidc
    ? `"Sign in with your organisation" at ${config.oidc.issuer}, or an access token`
    : secret?.path
      ? 'dev mode: "Sign in as" any role'
      : 'sign in with an access token';
  console.log(
    [
      '',
      `xborder is running`,
      `  Console      ${base}/   (${signIn})`,
      config.oidc ? `  OIDC         register the redirect URI ${base}/auth/callback with your provider` : '',
      `  API          ${base}   (OpenAPI ${base}/openapi.json, docs ${base}/docs)`,
      `  readiness    ${base}/readyz`,
      temporal
        ? `  Temporal UI  http://127.0.0.1:${config.temporal.uiPort}`
        : `  Temporal     ${config.temporal.address} (namespace ${config.temporal.namespace})`,
      `  processes    supervisor ${process.pid}, worker ${worker.child.pid}, API ${api.child.pid}${temporal ? `, Temporal ${temporal.child.pid}` : ''}`,
      secret?.path ? `  dev secret   ${secret.path}` : '',
      secret ? `  dev token    npm run token -- --role applicant --sub alice --org acme` : '',
      'Ctrl-C (or SIGTERM) stops everything; data stays in ' + config.dataDir,
      '',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );
}

main().catch((err: unknown) => {
  if (
    err instanceof ConfigError ||
    err instanceof PortInUseError ||
    err instanceof ToolchainError ||
    err instanceof ConsoleBuildError ||
    err instanceof ChildFailed
  ) {
    console.error(`xborder: ${err.message}`);
  } else {
    console.error('xborder: failed to start:', err);
  }
  // stop whatever started (the dev server, a child that did start)
  void shutdown(undefined, 1);
});
