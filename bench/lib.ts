/** Small helpers of the benchmark: child processes, /proc accounting, percentiles, an HTTP stack for test/drive.ts. */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { mintToken } from '../api/auth';
import type { Actor } from '../domain/authz';
import type { Stack } from '../test/helpers';

export const ROOT = join(__dirname, '..');
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ; 100 on every Linux the project runs on). */
const CLK_TCK = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // the command name (field 2) may hold spaces: the fields after it start past the last ')'
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // fields[0] is field 3 (state): utime is field 14, stime field 15
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

/** Resident set size in MB, from /proc/<pid>/status. */
export function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export interface Percentiles {
  n: number;
  p50: number;
  p95: number;
  p99: number;
}
export function percentiles(values: number[]): Percentiles {
  const s = [...values].sort((a, b) => a - b);
  const r = (x: number) => Math.round(x * 10) / 10;
  return { n: s.length, p50: r(percentile(s, 50)), p95: r(percentile(s, 95)), p99: r(percentile(s, 99)) };
}

export const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * A child process running a bench/*.ts file under tsx (one node process: `node --import tsx`, so its pid is the
 * process whose CPU and memory are read), which sends `'ready'` over IPC once it serves.
 */
export interface Child {
  child: ChildProcess;
  pid: number;
  stop(): Promise<void>;
}

/** Send `message` to a child over IPC and wait for its first answer that has `key`. */
export function ask<T>(c: Child, message: string, key: string, timeoutMs = 10_000): Promise<T | undefined> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      c.child.off('message', on);
      resolve(undefined);
    }, timeoutMs);
    const on = (m: unknown) => {
      if (typeof m !== 'object' || m === null || !(key in m)) return;
      clearTimeout(timer);
      c.child.off('message', on);
      resolve(m as T);
    };
    c.child.on('message', on);
    c.child.send(message);
  });
}

export async function startChild(file: string, env: NodeJS.ProcessEnv, timeoutMs = 180_000): Promise<Child> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(__dirname, file)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    // stdout (the request log at LOG_LEVEL) goes to /dev/null, as to a log collector; stderr kept for errors;
    // readiness comes over IPC
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);
  child.once('exit', () => process.removeListener('exit', killOnExit));
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr = (stderr + c.toString()).slice(-4000);
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start in time:\n${stderr}`)), timeoutMs);
    child.on('message', (m) => {
      if (m !== 'ready') return;
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${file} exited (${signal ?? code}) before it was ready:\n${stderr}`));
    });
  });
  return {
    child,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const done = new Promise<void>((r) => child.once('exit', () => r()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await done;
      clearTimeout(timer);
    },
  };
}

/** Latencies of the calls test/drive.ts makes, by kind. */
export interface CallLog {
  decisions: number[];
  creations: number[];
  uploads: number[];
  failures: string[];
}
export const newCallLog = (): CallLog => ({ decisions: [], creations: [], uploads: [], failures: [] });

const decisionPath = /^\/v1\/transfers\/[^/?]+\/[a-z-]+$/;

/**
 * The two members of test/helpers.ts `Stack` that test/drive.ts `Driver` uses (`call`, `token`), against the
 * app over HTTP, timing every call into `log` (decisions: POST /v1/transfers/:id/:action; creations: POST
 * /v1/transfers; uploads: POST /v1/documents). Non-2xx answers are logged as failures.
 */
export function httpStack(base: string, secret: string, log: () => CallLog): Stack {
  const tokens = new Map<string, Promise<string>>();
  const stack: Pick<Stack, 'base' | 'call' | 'token'> = {
    base,
    token(actor: Actor) {
      const k = JSON.stringify(actor);
      let t = tokens.get(k);
      if (!t) tokens.set(k, (t = mintToken(secret, actor)));
      return t;
    },
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const t0 = performance.now();
      const res = await fetch(`${base}${path}`, { method, headers, body });
      const text = await res.text();
      const ms = performance.now() - t0;
      const l = log();
      if (method === 'POST') {
        if (decisionPath.test(path)) l.decisions.push(ms);
        else if (path === '/v1/transfers') l.creations.push(ms);
        else if (path === '/v1/documents') l.uploads.push(ms);
      }
      if (res.status >= 300) l.failures.push(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON
      }
      return { status: res.status, body: parsed, headers: res.headers };
    },
  };
  return stack as Stack;
}

/** Run `total` jobs with `concurrency` workers pulling from one counter. */
export async function pool(
  total: number,
  concurrency: number,
  job: (i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    for (;;) {
      const i = next++;
      if (i >= total) return;
      await job(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
}
