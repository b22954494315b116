/**
 * transferWorkflow's clocks on the time-skipping test server (the pinned `temporal-test-server`): weeks of
 * working days pass in seconds.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createActivities } from '../../activities';
import { EvidenceStore } from '../../activities/store';
import { activePolicy } from '../../domain/policy';
import {
  completenessUpdate,
  stateQuery,
  submitUpdate,
  supplementUpdate,
  workflowIdFor,
  type TransferInput,
} from '../../workflows/messages';
import { registerSearchAttributes } from '../../scripts/search-attributes';
import { ensureTool } from '../../scripts/toolchain';
import { applicant, placeholderMaterials, reviewer, sampleApplication } from '../fixtures';

let env: TestWorkflowEnvironment;
let worker: Worker;
let running: Promise<void>;
let store: EvidenceStore;
let dir: string;
const taskQueue = 'deadlines';

beforeAll(async () => {
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTool('testServer') } },
  });
  await registerSearchAttributes(env.connection, 'default');
  dir = mkdtempSync(join(tmpdir(), 'xborder-wf-'));
  store = new EvidenceStore(dir);
  worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowBundle: { codePath: process.env.XB_TEST_WORKFLOW_BUNDLE! },
    activities: createActivities({ store }),
  });
  running = worker.run();
});
afterAll(async () => {
  worker.shutdown();
  await running;
  await env.teardown();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function submittedTransfer() {
  const id = randomUUID();
  const materials = placeholderMaterials();
  const input: TransferInput = {
    id,
    application: sampleApplication({ materials }),
    createdBy: applicant,
    policyId: activePolicy.id,
  };
  const handle = await env.client.workflow.start('transferWorkflow', {
    taskQueue,
    workflowId: workflowIdFor(id),
    args: [input],
  });
  await handle.executeUpdate(submitUpdate, { args: [{ actor: applicant }] });
  return handle;
}

describe('deadlines', () => {
  test('supplement answer: no answer within 10 working days → terminated', async () => {
    const handle = await submittedTransfer();
    await handle.executeUpdate(completenessUpdate, {
      args: [
        {
          actor: reviewer,
          decision: 'request_supplement',
          items: [{ field: 'purpose', request: 'be precise' }],
        },
      ],
    });
    const final = await handle.result();
    expect(final.status).toBe('terminated');
    expect(final.decisions.at(-1)).toMatchObject({ action: 'deadline.supplement_answer', by: 'system' });
    expect(final.supplementRequests[0]?.status).toBe('expired');
    const asked = Date.parse(final.supplementRequests[0]!.requestedAt);
    const ended = Date.parse(final.decisions.at(-1)!.at);
    const dueAt = Date.parse(final.supplementRequests[0]!.dueAt);
    expect(ended).toBeGreaterThanOrEqual(dueAt);
    expect(ended).toBeLessThan(dueAt + 60_000);
    expect(ended - asked).toBeGreaterThanOrEqual(12 * 86_400_000); // 10 working days span at least two weekends
  });

  test('supplement answer: answered in time → back to completeness_check, clock resumed', async () => {
    const handle = await submittedTransfer();
    await handle.executeUpdate(completenessUpdate, {
      args: [
        {
          actor: reviewer,
          decision: 'request_supplement',
          items: [{ field: 'purpose', request: 'be precise' }],
        },
      ],
    });
    await env.sleep('6 days');
    const state = await handle.executeUpdate(supplementUpdate, {
      args: [{ actor: applicant, responses: [{ itemId: 'r1-1', text: 'orders only' }] }],
    });
    expect(state.status).toBe('completeness_check');
    expect(state.deadlines).toEqual([
      expect.objectContaining({ step: 'completeness_decision', paused: false, overdue: false }),
    ]);
  });

  test('completeness decision: a missed reviewer deadline flags and escalates, and decides nothing', async () => {
    const handle = await submittedTransfer();
    await env.sleep('10 days');
    const state = await handle.query(stateQuery);
    expect(state.status).toBe('completeness_check');
    expect(state.deadlines[0]).toMatchObject({ step: 'completeness_decision', overdue: true });
    expect(state.escalations).toEqual([expect.objectContaining({ step: 'completeness_decision' })]);
    const refused = await handle.executeUpdate(completenessUpdate, {
      args: [{ actor: reviewer, decision: 'refuse', reason: 'late, but refused on the merits' }],
    });
    expect(refused.status).toBe('refused');
    expect((await handle.result()).status).toBe('refused');
  });

  test('completeness decision: decided in time → no escalation', async () => {
    const handle = await submittedTransfer();
    await env.sleep('2 days');
    const state = await handle.executeUpdate(completenessUpdate, {
      args: [{ actor: reviewer, decision: 'accept' }],
    });
    expect(state.status).toBe('under_review');
    expect(state.escalations).toEqual([]);
  });
});
