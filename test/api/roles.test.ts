/**
 * The API and the worker as separate processes (`npm run api`, `npm run worker`), against the suite's dev server:
 * the API process never loads the worker SDK; its /readyz answers 503 with a reason while no worker polls its task
 * queue, 200 once a worker process polls, and 503 again after that worker is SIGKILLed — within the window a live
 * idle worker renews its poll (the dev server expires long polls after 5 s; XBORDER_WORKER_SEEN_SECONDS is 15).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '../../api/auth';
import { freePort } from '../../scripts/dev-server';
import { applicant, eventually, sampleApplication, SECRET, TEST_ENCRYPTION_KEYS } from '../helpers';

jest.setTimeout(180_000);

const root = join(__dirname, '..', '..');
let dir: string;
let env: NodeJS.ProcessEnv;
let base: string;
const started: ChildProcess[] = [];

/** a role in a process of its own (tsx as a loader in that very process, so SIGKILL reaches the role) */
function role(file: string): { proc: ChildProcess; output: () => string; exited: Promise<unknown> } {
  const proc = spawn(process.execPath, ['--import', 'tsx', file], {
    cwd: root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(proc);
  let out = '';
  proc.stdout.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise((r) => proc.once('exit', r));
  return { proc, output: () => out, exited };
}

async function readyz(): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(`${base}/readyz`);
    return { status: res.status, body: await res.json() };
  } catch {
    return { status: 0, body: undefined }; // not listening yet
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xborder-roles-'));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  env = {
    ...process.env,
    PORT: String(port),
    XBORDER_DATA_DIR: dir,
    TEMPORAL_ADDRESS: process.env.XB_TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: 'default',
    XBORDER_TASK_QUEUE: `roles-${randomUUID()}`,
    XBORDER_JWT_SECRET: SECRET,
    XBORDER_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    XBORDER_WORKER_SEEN_SECONDS: '15',
    LOG_LEVEL: 'warn',
  };
});
afterAll(async () => {
  for (const p of started)
    if (p.exitCode === null && p.signalCode === null) {
      const gone = new Promise((r) => p.once('exit', r));
      p.kill('SIGKILL');
      await gone;
    }
  rmSync(dir, { recursive: true, force: true });
});

test('npm run api alone: HTTP only, not ready until a worker process polls, not ready again once it is killed', async () => {
  const api = role(join('api', 'main.ts'));
  const notReady = await eventually(async () => {
    const r = await readyz();
    return r.status === 503 && r;
  }, 60_000);
  expect(notReady.body).toEqual({
    status: 'not ready',
    temporal: true,
    worker: false,
    reason: `no worker polls task queue ${env.XBORDER_TASK_QUEUE}`,
  });
  // the worker SDK's native core is not in the API process (it would be mapped once @temporalio/worker loads)
  const maps = readFileSync(`/proc/${api.proc.pid}/maps`, 'utf8');
  expect(maps).not.toMatch(/core-bridge/);
  expect(maps).toMatch(/node/); // the maps file was read: the binary itself is in it

  const worker = role('worker.ts');
  const ready = await eventually(async () => {
    const r = await readyz();
    return r.status === 200 && r;
  }, 120_000);
  expect(ready.body).toEqual({ status: 'ready', temporal: true, worker: true });
  expect(worker.output()).toContain(`worker polling task queue ${env.XBORDER_TASK_QUEUE}`);

  // the API process takes a request the worker process carries out
  const res = await fetch(`${base}/v1/transfers`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${await mintToken(SECRET, applicant)}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify(
      sampleApplication({ volume: { individualsYtd: 5, sensitiveIndividualsYtd: 0, importantData: false } }),
    ),
  });
  expect(res.status).toBe(201);
  expect(((await res.json()) as { status: string }).status).toBe('exempt');

  worker.proc.kill('SIGKILL');
  await worker.exited;
  const lost = await eventually(async () => {
    const r = await readyz();
    return r.status === 503 && r;
  }, 60_000);
  expect(lost.body).toMatchObject({ status: 'not ready', temporal: true, worker: false });
  expect(lost.body.reason).toMatch(
    new RegExp(`^no worker has polled task queue ${env.XBORDER_TASK_QUEUE} for \\d+ s$`),
  );

  // SIGTERM: the API process stops by itself
  api.proc.kill('SIGTERM');
  expect(await api.exited).toBe(0);
});
