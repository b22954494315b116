/**
 * The worker process is killed (SIGKILL) while its evidence write has committed but not yet reported, once per
 * decision, and started again: the decisions still apply exactly once (the API answers 503 meanwhile and the same
 * Idempotency-Key succeeds afterwards), and the audit chain holds each entry exactly once.
 *
 * It also reports how long recovery takes: from the new worker polling to the retried decision's 200 (the workflow
 * task the dead worker held must time out, and the next one must leave the dead worker's sticky queue). Printed,
 * not asserted (it depends on the machine); the README quotes it.
 */
import { spelledDecision } from '../../domain/authz';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Driver, checklist, rita } from '../drive';
import { dataEnv, eventually, startStack, TEST_ENCRYPTION_KEYS, type Stack } from '../helpers';
import { killProcess, spawnScript } from '../support/processes';

jest.setTimeout(240_000);

let stack: Stack;
let drive: Driver;
let writes = 0;
let rendering = false;
/** when the last marker line came: an evidence write committed, a rendering begun */
let markerAt = 0;

interface WorkerProcess {
  proc: ChildProcess;
  loaded: Promise<void>;
  polling: Promise<void>;
}
let child: WorkerProcess | undefined;
let standby: WorkerProcess | undefined;

function spawnWorker(): WorkerProcess {
  const { proc, line } = spawnScript(
    join(__dirname, '..', 'support', 'slow-evidence-worker.ts'),
    [
      process.env.XB_TEST_TEMPORAL_ADDRESS!,
      stack.taskQueue,
      stack.dir,
      process.env.XB_TEST_WORKFLOW_BUNDLE!,
      TEST_ENCRYPTION_KEYS,
    ],
    {
      env: dataEnv(stack),
      stdin: 'pipe',
      onLine: (l) => {
        if (l.startsWith('written')) {
          writes++;
          markerAt = Date.now();
        }
        if (l === 'rendering') {
          rendering = true;
          markerAt = Date.now();
        }
      },
    },
  );
  const loaded = line((l) => l === 'loaded').then(() => undefined);
  const polling = line((l) => l === 'polling').then(() => undefined);
  loaded.catch(() => undefined);
  polling.catch(() => undefined);
  return { proc, loaded, polling };
}

/** A loaded standby behind the polling worker, so that a replacement starts polling at once. */
async function prepareStandby(): Promise<void> {
  standby ??= spawnWorker();
  await standby.loaded;
}

/** The standby polls (a new one is loaded behind it later). */
async function startChild(): Promise<void> {
  await prepareStandby();
  child = standby!;
  standby = spawnWorker(); // loading while this one works
  child.proc.stdin!.write('go\n');
  await child.polling;
}

const killChild = () => killProcess(child?.proc);

beforeAll(async () => {
  stack = await startStack({ updateTimeoutMs: 6_000 }); // above the 3 s an evidence write lingers
  await stack.stopWorker(); // the child process is the only worker
  drive = new Driver(stack);
  await startChild();
});
afterAll(async () => {
  await killChild();
  await killProcess(standby?.proc);
  await stack.stop();
});

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

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
  const recovery: string[] = [];
  for (const [segment, body] of steps) {
    await prepareStandby();
    const before = writes;
    const answer = decide(id, segment, body, `kill-${segment}`);
    await eventually(() => Promise.resolve(writes > before), 60_000); // committed, not yet reported
    const writtenAt = markerAt;
    const killedAt = Date.now();
    await killChild();
    await startChild();
    const pollingAt = Date.now();
    await answer;
    const answeredAt = Date.now();
    recovery.push(
      `${segment}: answered ${seconds(answeredAt - killedAt)} after the kill, ${seconds(answeredAt - pollingAt)} after the new worker polled, ${seconds(answeredAt - writtenAt)} after the evidence write`,
    );
  }
  // approved: the agreement is rendered (an activity, not local) — killed while its first attempt runs
  await prepareStandby();
  await eventually(() => Promise.resolve(rendering), 60_000);
  rendering = false;
  const renderingAt = markerAt;
  const killedAt = Date.now();
  await killChild();
  await startChild();
  const pollingAt = Date.now();
  const view = await eventually(async () => {
    // 503 while the state query finds no worker to answer it
    const res = await stack.call('GET', `/v1/transfers/${id}`, { token: await drive.token(rita) });
    if (res.status !== 200 && res.status !== 503) throw new Error(`GET ${id}: ${res.status}`);
    const v = res.body;
    return res.status === 200 && v.status === 'awaiting_signature' && v.agreement && v;
  }, 60_000);
  const renderedAt = Date.now();
  recovery.push(
    `agreement: rendered ${seconds(renderedAt - killedAt)} after the kill, ${seconds(renderedAt - pollingAt)} after the new worker polled, ${seconds(renderedAt - renderingAt)} after its first attempt began`,
  );
  process.stdout.write(`[worker-kill] recovery after SIGKILL:\n  ${recovery.join('\n  ')}\n`);
  const chain = await eventually(async () => {
    const c = await stack.store.audit.chain(id);
    return c.filter((e) => e.key.startsWith('d:')).length === view.decisions.length && c;
  }, 60_000);
  expect(chain.filter((e) => e.key.startsWith('d:')).map((e) => spelledDecision(e.action))).toEqual(
    view.decisions.map((d: { action: string }) => d.action),
  );
  // each decision taken exactly once, though each was sent again and again while no worker answered
  for (const action of ['completeness.accept', 'review.complete', 'risk_decision.approve'])
    expect(
      view.decisions.filter((d: { action: string }) => d.action === spelledDecision(action)),
    ).toHaveLength(1);
  const keys = chain.map((e) => e.key);
  expect(new Set(keys).size).toBe(keys.length);
  expect(await stack.store.audit.verify(id)).toEqual({ ok: true, entries: chain.length });
});
