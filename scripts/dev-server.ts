/**
 * Starts `temporal server start-dev` as a child process with every search attribute registered, and waits
 * until it answers. Used by `npm start` (SQLite under data/) and by the test suite (in memory).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
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
}

export interface DevServer {
  address: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export class PortInUseError extends Error {}

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

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const done = new Promise<void>((r) => child.once('exit', () => r()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await done;
    clearTimeout(timer);
  };

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
