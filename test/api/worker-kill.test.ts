/**
 * The worker process is killed (SIGKILL) while its evidence write has committed but not yet reported, once per
 * decision, and started again: the decisions still apply exactly once (the API answers 503 meanwhile and the same
 * Idempotency-Key succeeds afterwards), and the audit chain holds each entry exactly once.
 */
import { spelledDecision } from '../../domain/authz';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Driver, checklist, rita } from '../drive';
import { dataEnv, eventually, startStack, TEST_ENCRYPTION_KEYS, type Stack } from '../helpers';

jest.setTimeout(240_000);

let stack: Stack;
let drive: Driver;
let child: ChildProcess | undefined;
let writes = 0;

function startChild(): Promise<void> {
  const proc = spawn(
    process.execPath,
    [
      // tsx as a loader in this very process (its CLI would run the script in a child that SIGKILL misses)
      '--import',
      'tsx',
      join(__dirname, '..', 'support', 'slow-evidence-worker.ts'),
      process.env.XB_TEST_TEMPORAL_ADDRESS!,
      stack.taskQueue,
      stack.dir,
      process.env.XB_TEST_WORKFLOW_BUNDLE!,
      TEST_ENCRYPTION_KEYS,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'], env: dataEnv(stack) },
  );
  child = proc;
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line === 'polling') resolve();
        if (line.startsWith('written')) writes++;
      }
    });
    proc.once('exit', (code, signal) => reject(new Error(`worker exited with ${signal ?? code}`)));
    process.once('exit', () => proc.kill('SIGKILL'));
  });
}

async function killChild(): Promise<void> {
  const proc = child!;
  const gone = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await gone;
}

beforeAll(async () => {
  stack = await startStack({ updateTimeoutMs: 6_000 }); // above the 3 s an evidence write lingers
  await stack.stopWorker(); // the child process is the only worker
  drive = new Driver(stack);
  await startChild();
});
afterAll(async () => {
  if (child && child.exitCode === null) await killChild();
  await stack.stop();
});

/** Send a keyed decision until it is answered 200 (503 while no worker is alive, or while the first attempt is applied). */
async function decide(id: string, segment: string, body: unknown, key: string) {
  return eventually(async () => {
    const res = await stack.call('POST', `/v1/transfers/${id}/${segment}`, {
      token: await drive.token(rita),
      body,
      headers: { 'idempotency-key': key },
    });
    if (res.status !== 200 && res.status !== 503)
      throw new Error(`${segment}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.status === 200 && res.body;
  }, 120_000);
}

test('SIGKILL after each committed evidence write: every decision once, every audit entry once', async () => {
  const id = await drive.reach('completeness_check');
  const steps: [string, unknown][] = [
    ['completeness', { decision: 'accept' }],
    ['review', { checklist, decision: 'complete' }],
    ['risk-decision', { decision: 'approve' }],
  ];
  for (const [segment, body] of steps) {
    const before = writes;
    const answer = decide(id, segment, body, `kill-${segment}`);
    await eventually(() => Promise.resolve(writes > before), 60_000); // committed, not yet reported
    await killChild();
    await startChild();
    await answer;
  }
  const view = await eventually(async () => {
    const v = await drive.view(id);
    return v.status === 'awaiting_signature' && v.agreement && v;
  }, 60_000);
  const chain = await eventually(async () => {
    const c = await stack.store.audit.chain(id);
    return c.filter((e) => e.key.startsWith('d:')).length === view.decisions.length && c;
  }, 60_000);
  expect(chain.filter((e) => e.key.startsWith('d:')).map((e) => spelledDecision(e.action))).toEqual(
    view.decisions.map((d: { action: string }) => d.action),
  );
  expect(view.decisions.filter((d: { action: string }) => d.action === 'completeness.accept')).toHaveLength(
    1,
  );
  const keys = chain.map((e) => e.key);
  expect(new Set(keys).size).toBe(keys.length);
  expect(await stack.store.audit.verify(id)).toEqual({ ok: true, entries: chain.length });
});
