/**
 * Ten years of one transfer on the time-skipping test server: approval, a report every year, one change review,
 * one rectification, two extensions, and expiry — with the history budgets of each run measured.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
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

/** One run of the workflow: its first event (how it started) and its length. */
interface Run {
  runId: string;
  events: number;
  /** the start event's `continuedExecutionRunId`: set for a run continued as new from the previous one */
  continuedFrom: string | null;
  /** how the run ended (the last event's type) */
  end: string;
}

async function runs(firstRunId: string, workflowId: string): Promise<Run[]> {
  const out: Run[] = [];
  let runId: string | undefined = firstRunId;
  while (runId) {
    const history: Awaited<ReturnType<WorkflowHandle['fetchHistory']>> = await ts.env.client.workflow
      .getHandle(workflowId, runId)
      .fetchHistory();
    const events = history.events ?? [];
    if (process.env.XB_DEBUG_EVENTS) console.log(events.map((e) => e.eventType).join(' '));
    // XB_RECORD_HISTORIES=<label>: keep the first, the third and the last run as replay fixtures (encrypted
    // with the test key ring, as the production codec writes them: test/time-skipping.ts)
    if (process.env.XB_RECORD_HISTORIES && [0, 2].includes(out.length)) {
      writeFileSync(
        join(
          __dirname,
          'histories',
          `${process.env.XB_RECORD_HISTORIES}-long-life-run${out.length + 1}.json`,
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
    const started = events[0]?.workflowExecutionStartedEventAttributes;
    out.push({
      runId,
      events: events.length,
      continuedFrom: started?.continuedExecutionRunId || null,
      end: temporal.api.enums.v1.EventType[events.at(-1)?.eventType ?? 0]!,
    });
    runId = events.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return out;
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
  // what each step answered, checked after the decade (every step below must have happened)
  const reportsAfter: number[] = [];
  let change: Record<string, unknown> | undefined;
  let rectification: string | undefined;
  const extensions: { eligibility: unknown; extended: boolean }[] = [];
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
      reportsAfter.push(s.supervision!.reports.length);
    }
    if (year === 1 && !change) {
      s = await act(h, 'report_change', {
        actor: applicant,
        changes: [{ kind: 'storage_location', description: 'moved to Dublin' }],
        application: { transfer: { storageLocation: 'Dublin' } },
      });
      seen.add(s.status);
      change = { status: s.status, diff: s.change!.diff, scored: s.change!.risk !== null };
      s = await act(h, 'change_decision', {
        actor: rob,
        decision: 'accept',
        reason: 'same route, same risk',
      });
      change.storageLocationAfter = s.application.transfer?.storageLocation;
    }
    if (year === 2 && !rectification) {
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
      rectification = s.status;
    }
    // the extension window, twice
    const opens = Date.parse(s.validity!.extensionWindowOpensAt);
    if (extensions.length < 2 && (await now(h)) + 370 * DAY > opens && s.status === 'active') {
      await sleepUntil(opens + DAY);
      s = await act(h, 'request_extension', { actor: applicant, expectedIndividuals: 260_000 });
      seen.add(s.status);
      const eligibility = s.extension!.eligibility;
      const before = s.validity!.until;
      s = await act(h, 'extension_decision', { actor: reviewer, decision: 'approve', reason: 'eligible' });
      extensions.push({ eligibility, extended: Date.parse(s.validity!.until) > Date.parse(before) });
    }
    if (extensions.length === 2 && year >= 8) await sleepUntil(Date.parse(s.validity!.until) + DAY);
    s = await query(h);
    seen.add(s.status);
  }

  expect(s.status).toBe('expired');
  const eligible = {
    eligibility: expect.objectContaining({ eligible: true, noMajorIncident: true }),
    extended: true,
  };
  expect({ change, rectification, extensions }).toEqual({
    change: {
      status: 'change_review',
      diff: [{ path: 'transfer.storageLocation', before: 'Frankfurt', after: 'Dublin' }],
      scored: true,
      storageLocationAfter: 'Dublin',
    },
    rectification: 'active',
    extensions: [eligible, eligible],
  });
  expect([...seen]).toEqual(
    expect.arrayContaining([
      'active',
      'change_review',
      'rectification_ordered',
      'extension_requested',
      'expired',
    ]),
  );
  // every report is one more report
  expect(reportsAfter).toEqual(reportsAfter.map((_, i) => i + 1));
  const yearsReported = s.supervision!.reports.length;
  expect(yearsReported).toBeGreaterThanOrEqual(8);

  // DESIGN.md: continue-as-new per supervision period — at least one run per year reported and the first
  // one; every later run started by continue-as-new from the run before it, the last one closed
  const all = await runs(first.firstExecutionRunId, first.workflowId);
  const counts = all.map((r) => r.events);
  console.log(`history events: application→active ${toActive}; runs ${counts.join(', ')}`);
  expect(all.length).toBeGreaterThanOrEqual(yearsReported + 1);
  // (the time-skipping test server leaves the start event's `initiator` unspecified; the run link is what it sets)
  expect(all.slice(1).map((r) => r.continuedFrom)).toEqual(
    all.slice(0, -1).map((previous) => previous.runId),
  );
  expect(all.map((r) => r.end)).toEqual([
    ...all.slice(1).map(() => 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW'),
    'EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED',
  ]);
  // the budgets: the first run (application to active), each supervision year, any run
  const perYear = counts.slice(1, -1);
  expect(toActive).toBeLessThanOrEqual(150);
  expect(Math.max(...counts)).toBeLessThanOrEqual(2_000);
  expect(Math.max(...perYear)).toBeLessThanOrEqual(60);
});
