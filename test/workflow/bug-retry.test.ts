/**
 * Bugs retry, they do not kill: an unexpected exception while the workflow applies a step fails the workflow
 * *task*, which Temporal retries; once fixed code is deployed the years-long execution carries on from where it was.
 * The "bug" is a domain module bundled in place of domain/transfer whose decide throws on the risk score.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { activePolicy } from '../../domain/policy';
import { registerSearchAttributes } from '../../scripts/search-attributes';
import { ensureTool } from '../../scripts/toolchain';
import { stateQuery, workflowIdFor } from '../../workflows/messages';
import { act } from '../time-skipping';
import { applicant, placeholderMaterials, reviewer, sampleApplication } from '../fixtures';
import webpack from 'webpack';
import { FAILURE_CONVERTER_PATH } from '../../activities/crypto';
import { createWorker } from '../../worker';
import { Driver, checklist, rita } from '../drive';
import { eventually, startStack, type Stack } from '../helpers';

jest.setTimeout(240_000);

let stack: Stack;
let drive: Driver;

beforeAll(async () => {
  stack = await startStack({ updateTimeoutMs: 5_000 });
  drive = new Driver(stack);
});
afterAll(() => stack.stop());

let buggyCode: string | undefined;
async function buggyBundle(): Promise<string> {
  if (buggyCode) return buggyCode;
  const buggy = join(__dirname, '..', 'support', 'buggy-transfer.ts');
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
    webpackConfigHook: (config) => ({
      ...config,
      plugins: [
        ...(config.plugins ?? []),
        new webpack.NormalModuleReplacementPlugin(
          /domain\/transfer$/,
          (resource: { request: string; contextInfo?: { issuer?: string } }) => {
            if (!resource.contextInfo?.issuer?.endsWith('buggy-transfer.ts')) resource.request = buggy;
          },
        ),
      ],
    }),
  });
  buggyCode = code;
  return code;
}

test('a failing step fails the workflow task, not the execution; fixed code carries on', async () => {
  await stack.stopWorker();
  const native = await NativeConnection.connect({ address: process.env.XB_TEST_TEMPORAL_ADDRESS! });
  const worker = await createWorker({
    connection: native,
    client: stack.client,
    namespace: 'default',
    taskQueue: stack.taskQueue,
    store: stack.store,
    workflowBundle: { code: await buggyBundle() },
    keyRing: stack.keyRing,
  });
  const running = worker.run();
  const handle = (id: string) => stack.client.workflow.getHandle(`transfer-${id}`);
  let id: string;
  try {
    id = await drive.reach('under_review');
    const review = await stack.call('POST', `/v1/transfers/${id}/review`, {
      token: await drive.token(rita),
      body: { checklist, decision: 'complete' },
    });
    expect(review.status).toBe(503); // the step cannot complete while the bug is deployed
    const stuck = await eventually(async () => {
      const { raw, status } = await handle(id).describe();
      const attempt = raw.pendingWorkflowTask?.attempt ?? 0;
      return status.name === 'RUNNING' && attempt >= 2 && attempt;
    }, 60_000);
    expect(stuck).toBeGreaterThanOrEqual(2);
  } finally {
    worker.shutdown();
    await running;
    await native.close();
  }
  // the fix is deployed: the same execution goes on
  await stack.startWorker();
  // reads answer 503 while the failed task waits for its retry; then the step applies
  const scored = await eventually(async () => {
    const res = await stack.call('GET', `/v1/transfers/${id}`, { token: await drive.token(rita) });
    return res.status === 200 && res.body.risk !== null && res.body;
  }, 90_000);
  expect(scored.status).toBe('risk_assessment');
  expect((await handle(id).describe()).status.name).toBe('RUNNING');
  const approved = await drive.post(`/v1/transfers/${id}/risk-decision`, rita, { decision: 'approve' });
  expect(approved.status).toBe('awaiting_signature');
});

test('a failing deadline consequence in the main loop: the task fails and retries; fixed code applies it', async () => {
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTool('testServer') } },
  });
  try {
    await registerSearchAttributes(env.connection, 'default');
    const taskQueue = `bug-${randomUUID()}`;
    const activities = createActivities({ store: stack.store });
    const start = async (code: string) => {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { code },
        activities,
      });
      return { worker, running: worker.run() };
    };
    const id = randomUUID();
    const handle = await env.client.workflow.start('transferWorkflow', {
      taskQueue,
      workflowId: workflowIdFor(id),
      args: [
        {
          id,
          application: sampleApplication({ materials: placeholderMaterials() }),
          createdBy: applicant,
          policyId: activePolicy.id,
        },
      ],
    });
    const bad = await start(await buggyBundle());
    await act(handle, 'submit', { actor: applicant });
    // skip to just before the reviewer's completeness deadline, then let it pass in real time: the buggy
    // consequence throws (time stops skipping while a workflow task keeps failing, so no sleep past it)
    const dueAt = Date.parse((await handle.query(stateQuery)).deadlines[0]!.dueAt!);
    await env.sleep(dueAt - (await env.currentTimeMs()) - 1_000);
    const failedTasks = async () =>
      ((await handle.fetchHistory()).events ?? []).filter((e) => e.workflowTaskFailedEventAttributes).length;
    await eventually(async () => (await failedTasks()) > 0, 60_000);
    expect((await handle.describe()).status.name).toBe('RUNNING');
    bad.worker.shutdown();
    await bad.running;

    const good = await start(await readFile(process.env.XB_TEST_WORKFLOW_BUNDLE!, 'utf8'));
    try {
      const state = await eventually(async () => {
        const s = await handle.query(stateQuery);
        return s.escalations.length > 0 && s;
      }, 90_000);
      expect(state.status).toBe('completeness_check');
      expect(state.escalations).toEqual([expect.objectContaining({ step: 'completeness_decision' })]);
      const refused = await act(handle, 'completeness', {
        actor: reviewer,
        decision: 'refuse',
        reason: 'late, but refused on the merits',
      });
      expect(refused.status).toBe('refused');
    } finally {
      good.worker.shutdown();
      await good.running;
    }
  } finally {
    await env.teardown();
  }
});
