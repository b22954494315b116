/**
 * Starts `temporal server start-dev` as a child process with every search attribute registered, and waits
 * until it answers. Used by `npm start` (SQLite under data/) and by the test suite (in memory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { gone, identify, stillRunning, type ProcessIdentity } from './processes';
import { Connection } from '@temporalio/client';
import { searchAttributeFlags } from '../workflows/messages';

export interface DevServerOptions {
  cliPath: string;
  port: number;
  uiPort?: number;
  /** SQLite file; in memory when absent */
  dbFile?: string;
  namespace?: string;
  headless?: boolean;
  codecEndpoint?: string;
  /** where the server's own output goes */
  output?: 'inherit' | 'ignore';
  /**
   * a file (in the data folder) naming the running server and its owner (this process), so that the next start
   * after a crash recognises a server left behind (reclaimLeftover); removed when the server is stopped
   */
  recordFile?: string;
}

/** What `recordFile` holds. */
export interface DevServerRecord {
  server: ProcessIdentity;
  owner: ProcessIdentity;
  dbFile: string | null;
  port: number;
  uiPort: number | null;
}

export interface DevServer {
  address: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {}

/**
 * Before starting a dev server on a data folder: if the record file names a dev server that still runs (same pid,
 * start time and command line, on this data folder's database) whose owner is gone — a crash, a SIGKILL of the
 * group, a power loss — stop it (SIGTERM; SIGKILL after 10 s) so its ports and database are free again. A record
 * of a process that is gone, or whose pid now belongs to another process, is only deleted: nothing else is ever
 * signalled. If the owner still runs, another `npm start` uses this data folder: refuse.
 */
export async function reclaimLeftover(
  recordFile: string,
  dbFile: string,
  log: (line: string) => void,
): Promise<void> {
  if (!existsSync(recordFile)) return;
  let record: DevServerRecord | undefined;
  try {
    record = JSON.parse(readFileSync(recordFile, 'utf8')) as DevServerRecord;
  } catch {
    record = undefined;
  }
  const ours =
    record?.server &&
    record.dbFile === dbFile &&
    record.server.cmdline.includes('start-dev') &&
    record.server.cmdline.includes(dbFile) &&
    stillRunning(record.server);
  if (!record || !ours) {
    rmSync(recordFile, { force: true });
    return;
  }
  if (record.owner && record.owner.pid !== process.pid && stillRunning(record.owner)) {
    throw new PortInUseError(
      `another xborder (pid ${record.owner.pid}) runs on this data folder with its Temporal dev server (pid ${record.server.pid}): stop it first, or choose another XBORDER_DATA_DIR.`,
    );
  }
  log(
    `a Temporal dev server of this data folder was left running by an earlier run (pid ${record.server.pid}): stopping it…`,
  );
  process.kill(record.server.pid, 'SIGTERM');
  if (!(await gone(record.server, 10_000)) && stillRunning(record.server)) {
    process.kill(record.server.pid, 'SIGKILL');
    await gone(record.server, 5_000);
  }
  // the ports it held are free once the process is gone; give the kernel a moment to say so
  const ports = [record.port, record.uiPort].filter((p): p is number => typeof p === 'number');
  const until = Date.now() + 5_000;
  while (Date.now() < until && !(await Promise.all(ports.map((p) => portFree(p)))).every(Boolean))
    await new Promise((r) => setTimeout(r, 100));
  rmSync(recordFile, { force: true });
}

export function portFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolvePromise) => {
    const srv = createServer();
    srv.once('error', () => resolvePromise(false));
    srv.listen(port, host, () => srv.close(() => resolvePromise(true)));
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() =>
        addr && typeof addr === 'object' ? resolvePromise(addr.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startDevServer(opts: DevServerOptions): Promise<DevServer> {
  const ports: [string, number | undefined][] = [
    ['Temporal frontend', opts.port],
    ['Temporal Web UI', opts.headless ? undefined : opts.uiPort],
  ];
  for (const [what, port] of ports) {
    if (port !== undefined && !(await portFree(port))) {
      throw new PortInUseError(
        `port ${port} (${what}) is already in use: stop whatever holds it, or choose another port (see README, Configuration).`,
      );
    }
  }
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--namespace',
    opts.namespace ?? 'default',
    '--log-level',
    'error',
    // an idle worker's poll is renewed every 5 s (Temporal's default: 60 s), so /readyz notices a lost worker in
    // seconds (api/temporal.ts readiness)
    '--dynamic-config-value',
    'matching.longPollExpirationInterval="5s"',
    ...searchAttributeFlags,
  ];
  if (opts.dbFile) args.push('--db-filename', opts.dbFile);
  if (opts.headless) args.push('--headless');
  else if (opts.uiPort) args.push('--ui-port', String(opts.uiPort));
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);

  // Its own process group: a terminal's Ctrl-C reaches only us, and we stop the server after the worker drained.
  const child = spawn(opts.cliPath, args, {
    stdio: ['ignore', opts.output ?? 'ignore', opts.output ?? 'ignore'],
    detached: true,
  });
  const killOnExit = () => child.kill('SIGTERM');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let exited: string | undefined;
  child.once('exit', (code, signal) => (exited = `exited with ${signal ?? code}`));
  const address = `127.0.0.1:${opts.port}`;

  const forget = () => {
    if (opts.recordFile) rmSync(opts.recordFile, { force: true });
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return forget();
    const done = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
    forget();
  };
  const record = () => {
    if (!opts.recordFile || child.pid === undefined) return;
    const server = identify(child.pid);
    const owner = identify(process.pid);
    if (!server || !owner) return;
    const content: DevServerRecord = {
      server,
      owner,
      dbFile: opts.dbFile ?? null,
      port: opts.port,
      uiPort: opts.headless ? null : (opts.uiPort ?? null),
    };
    writeFileSync(opts.recordFile, JSON.stringify(content, null, 1));
  };
  record(); // at once, so that a crash while it starts leaves it known too

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited)
      throw new Error(
        `temporal server start-dev ${exited} before answering (run it by hand to see why: ${opts.cliPath} ${args.join(' ')})`,
      );
    try {
      const conn = await Connection.connect({ address, connectTimeout: 1_000 });
      try {
        await conn.workflowService.describeNamespace({ namespace: opts.namespace ?? 'default' });
        record(); // now: a launcher that execs the server has done so (the start time stays, the command line not)
        return { address, child, stop };
      } finally {
        await conn.close();
      }
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`temporal server start-dev did not answer on ${address} within 60 s`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}
