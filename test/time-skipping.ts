/**
 * A time-skipping test server (the pinned `temporal-test-server`) with a worker, for tests of long clocks. The
 * worker and the client are wired as in production (worker.ts): the payload codec encrypts every payload with
 * the test key ring, and failures go through the failure converter (messages encoded, so encrypted too).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { dataConverterFor, parseKeyRing, type KeyRing } from '../activities/crypto';
import { openStore, type Store } from '../store';
import { defaultTestDatabase } from './helpers';
import { createTestDatabase } from './postgres';
import type { PartialApplication } from '../domain/application';
import { activePolicy } from '../domain/policy';
import type { TransferState } from '../domain/transfer';
import { registerSearchAttributes } from '../scripts/search-attributes';
import { ensureTool } from '../scripts/toolchain';
import { createWorker } from '../worker';
import type { transferWorkflow } from '../workflows';
import {
  actionState,
  actionUpdates,
  stateQuery,
  workflowIdFor,
  type ActionResult,
  type TransferInput,
} from '../workflows/messages';
import {
  applicant,
  placeholderMaterials,
  recipient,
  reviewer,
  sampleApplication,
  TEST_ENCRYPTION_KEYS,
} from './fixtures';

export interface TimeSkipping {
  env: TestWorkflowEnvironment;
  keyRing: KeyRing;
  store: Store;
  taskQueue: string;
  stop(): Promise<void>;
}

export async function startTimeSkipping(): Promise<TimeSkipping> {
  const keyRing = parseKeyRing(TEST_ENCRYPTION_KEYS);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: ensureTool('testServer') } },
    client: { dataConverter: dataConverterFor(keyRing) },
  });
  await registerSearchAttributes(env.connection, 'default');
  const dir = mkdtempSync(join(tmpdir(), 'xborder-ts-'));
  // the postgres jest project runs these suites with the data layer on PostgreSQL (test/postgres-project.ts)
  const databaseUrl =
    defaultTestDatabase() === 'postgres' ? await createTestDatabase('time_skipping') : undefined;
  const store = await openStore({ dataDir: dir, keyRing, ...(databaseUrl ? { databaseUrl } : {}) });
  const taskQueue = `ts-${randomUUID()}`;
  // the production worker: dataConverterFor(keyRing) and the production activities; the prebuilt bundle has
  // the failure converter bundled in (test/global-setup.ts)
  const worker = await createWorker({
    connection: env.nativeConnection,
    namespace: 'default',
    taskQueue,
    store,
    workflowBundle: { codePath: process.env.XB_TEST_WORKFLOW_BUNDLE! },
    keyRing,
  });
  const running = worker.run();
  return {
    env,
    keyRing,
    store,
    taskQueue,
    async stop() {
      worker.shutdown();
      await running;
      await env.teardown();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export type ActionType = keyof typeof actionUpdates;

/** Send one action (an update) to a transfer's workflow. */
export const act = (h: WorkflowHandle, type: ActionType, payload: object): Promise<TransferState> =>
  h
    .executeUpdate<ActionResult | TransferState, [object]>(actionUpdates[type] as never, { args: [payload] })
    .then(actionState);

export const shanghaiDay = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/** Start a transfer's workflow (a draft) on the time-skipping server. */
export async function startTransfer(
  ts: TimeSkipping,
  application: PartialApplication = sampleApplication({ materials: placeholderMaterials() }),
) {
  const id = randomUUID();
  const input: TransferInput = {
    id,
    application,
    createdBy: applicant,
    policyId: activePolicy.id,
    policyVersion: activePolicy.version,
  };
  const handle = await ts.env.client.workflow.start<typeof transferWorkflow>('transferWorkflow', {
    taskQueue: ts.taskQueue,
    workflowId: workflowIdFor(id),
    args: [input],
  });
  return handle;
}

export const fullChecklist = () =>
  activePolicy.reviewChecklist.map((c) => ({ item: c.item, result: 'pass' as const }));

/** Drive a transfer forward to a status through the ordinary actions. */
export async function driveTo(
  h: WorkflowHandle,
  target:
    | 'under_review'
    | 'risk_assessment'
    | 'not_passed'
    | 'awaiting_signature'
    | 'filing_review'
    | 'filed'
    | 'active',
): Promise<TransferState> {
  let s = await act(h, 'submit', { actor: applicant });
  s = await act(h, 'completeness', { actor: reviewer, decision: 'accept' });
  if (target === 'under_review') return s;
  s = await act(h, 'review', { actor: reviewer, decision: 'complete', checklist: fullChecklist() });
  if (target === 'risk_assessment') return s;
  if (target === 'not_passed')
    return act(h, 'risk_decision', {
      actor: reviewer,
      decision: 'not_passed',
      reason: 'insufficient safeguards',
    });
  s = await act(h, 'risk_decision', { actor: reviewer, decision: 'approve' });
  if (target === 'awaiting_signature') return s;
  const today = shanghaiDay(Date.parse(s.updatedAt));
  await act(h, 'sign', {
    actor: recipient,
    documentId: `sha256:${'e'.repeat(64)}`,
    signerName: 'E',
    signerTitle: 'MD',
    signedAt: today,
  });
  s = await act(h, 'countersign', { actor: applicant });
  if (target === 'filing_review') return s;
  s = await act(h, 'file', { actor: applicant, effectiveDate: shanghaiDay(Date.parse(s.updatedAt)) });
  if (target === 'filed') return s;
  return act(h, 'filing_decision', { actor: reviewer, decision: 'accept' });
}

export const query = (h: WorkflowHandle): Promise<TransferState> => h.query(stateQuery);
