/**
 * Ten years of one transfer on the time-skipping test server: approval, a report every year, one change review,
 * one rectification, two extensions, and expiry — with the history budgets of each run measured.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Actor } from '../../domain/authz';
import {
  act,
  driveTo,
  query,
  shanghaiDay,
  startTimeSkipping,
  startTransfer,
  type TimeSkipping,
} from '../time-skipping';
import { applicant, placeholderMaterials, reviewer, sampleApplication } from '../fixtures';

let ts: TimeSkipping;
const rob: Actor = { sub: 'rob', role: 'reviewer', org: 'regulator' };
const DAY = 86_400_000;

beforeAll(async () => {
  ts = await startTimeSkipping();
});
afterAll(async () => {
  await ts.stop();
});

const now = async (h: WorkflowHandle) => Date.parse((await query(h)).updatedAt);

/** Sleep (skipping time) until `targetMs` as seen by the server's clock. */
async function sleepUntil(targetMs: number) {
  const serverNow = Date.now() + skew;
  if (targetMs > serverNow) await ts.env.sleep(targetMs - serverNow);
  skew += Math.max(0, targetMs - serverNow);
}
let skew = 0;

async function runs(firstRunId: string, workflowId: string): Promise<number[]> {
  const counts: number[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await ts.env.client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events = history.events ?? [];
    if (process.env.XB_DEBUG_EVENTS) console.log(events.map((e) => e.eventType).join(' '));
    // XB_RECORD_HISTORIES=<label>: keep the first, the third and the last run as replay fixtures
    if (process.env.XB_RECORD_HISTORIES && [0, 2].includes(counts.length)) {
      writeFileSync(
        join(
          __dirname,
          'histories',
          `${process.env.XB_RECORD_HISTORIES}-long-life-run${counts.length + 1}.json`,
        ),
        historyToJSON(history),
      );
    }
    if (process.env.XB_RECORD_HISTORIES && !events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes) {
      writeFileSync(
        join(__dirname, 'histories', `${process.env.XB_RECORD_HISTORIES}-long-life-last.json`),
        historyToJSON(history),
      );
    }
    counts.push(events.length);
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return counts;
}

test('ten years: approval, yearly reports, a change, a rectification, two extensions, expiry — within the event budgets', async () => {
  const first = await startTransfer(
    ts,
    sampleApplication({ materials: placeholderMaterials(), contractTermMonths: 36 }),
  );
  const h = ts.env.client.workflow.getHandle(first.workflowId);
  skew = (await now(first)) - Date.now();
  let s = await driveTo(h, 'active');
  expect(s.status).toBe('active');
  expect(s.filingNumber).toMatch(/^XB-\d{4}-\d{6}$/);
  const toActive =
    (await ts.env.client.workflow.getHandle(first.workflowId, first.firstExecutionRunId).fetchHistory())
      .events?.length ?? 0;

  const seen = new Set<string>([s.status]);
  let extensions = 0;
  let changed = false;
  let rectified = false;
  for (let year = 1; year <= 12 && s.status !== 'expired'; year++) {
    // the yearly report, ten days before the period ends
    const periodEnd = Date.parse(s.supervision!.periodEnd);
    const until = Date.parse(s.validity!.until);
    if (periodEnd < until) {
      await sleepUntil(periodEnd - 10 * DAY);
      s = await act(h, 'report', {
        actor: applicant,
        periodEnd: shanghaiDay(periodEnd - 1),
        individualsTransferred: 200_000,
        sensitiveIndividualsTransferred: 0,
        incidents: [],
      });
      expect(s.supervision!.reports.length).toBeGreaterThanOrEqual(1);
    }
    if (year === 1 && !changed) {
      s = await act(h, 'report_change', {
        actor: applicant,
        changes: [{ kind: 'storage_location', description: 'moved to Dublin' }],
        application: { transfer: { storageLocation: 'Dublin' } },
      });
      seen.add(s.status);
      expect(s.status).toBe('change_review');
      expect(s.change!.diff).toEqual([
        { path: 'transfer.storageLocation', before: 'Frankfurt', after: 'Dublin' },
      ]);
      expect(s.change!.risk).not.toBeNull();
      s = await act(h, 'change_decision', {
        actor: rob,
        decision: 'accept',
        reason: 'same route, same risk',
      });
      expect(s.application.transfer?.storageLocation).toBe('Dublin');
      changed = true;
    }
    if (year === 2 && !rectified) {
      const deadline = shanghaiDay((await now(h)) + 20 * DAY);
      s = await act(h, 'supervise', {
        actor: reviewer,
        kind: 'rectification_order',
        reason: 'access logs incomplete',
        deadline,
      });
      seen.add(s.status);
      s = await act(h, 'respond_rectification', {
        actor: applicant,
        text: 'logging extended to all replicas',
      });
      s = await act(h, 'rectification_decision', { actor: rob, decision: 'accept', reason: 'verified' });
      expect(s.status).toBe('active');
      rectified = true;
    }
    // the extension window, twice
    const opens = Date.parse(s.validity!.extensionWindowOpensAt);
    if (extensions < 2 && (await now(h)) + 370 * DAY > opens && s.status === 'active') {
      await sleepUntil(opens + DAY);
      s = await act(h, 'request_extension', { actor: applicant, expectedIndividuals: 260_000 });
      seen.add(s.status);
      expect(s.extension!.eligibility).toMatchObject({ eligible: true, noMajorIncident: true });
      const before = s.validity!.until;
      s = await act(h, 'extension_decision', { actor: reviewer, decision: 'approve', reason: 'eligible' });
      expect(Date.parse(s.validity!.until)).toBeGreaterThan(Date.parse(before));
      extensions++;
    }
    if (extensions === 2 && year >= 8) {
      await sleepUntil(Date.parse(s.validity!.until) + DAY);
      s = await query(h);
    } else {
      s = await query(h);
    }
    seen.add(s.status);
  }

  expect(s.status).toBe('expired');
  expect(extensions).toBe(2);
  expect([...seen]).toEqual(
    expect.arrayContaining([
      'active',
      'change_review',
      'rectification_ordered',
      'extension_requested',
      'expired',
    ]),
  );
  expect(s.supervision!.reports.length).toBeGreaterThanOrEqual(8);

  const counts = await runs(first.firstExecutionRunId, first.workflowId);
  const perYear = counts.slice(1, -1);
  console.log(`history events: application→active ${toActive}; runs ${counts.join(', ')}`);
  expect(toActive).toBeLessThanOrEqual(150);
  expect(Math.max(...counts)).toBeLessThanOrEqual(2_000);
  expect(Math.max(...perYear)).toBeLessThanOrEqual(60);
});
