/**
 * The Temporal work of one transfer, read from a real transfer's history, so the baseline does the same work when
 * the workflow changes. Per update (in history order): what runs while it is being handled (between
 * UpdateAccepted and UpdateCompleted) and what runs after it, before the next update (the workflow's own step);
 * what the first run does before its first update; whether that run continued as new; and what the runs after it
 * did up to the moment the shape was read. Work is counted as activities (ActivityTaskScheduled), local
 * activities (MarkerRecorded `core_local_activity`), timers started and cancelled, and search-attribute upserts.
 * Not reproduced: version markers (`core_patch`), memo changes, the payloads themselves.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

export interface Work {
  activities: number;
  localActivities: number;
  timersStarted: number;
  timersCancelled: number;
  upserts: number;
}

export interface Step {
  /** the update's name in the transfer workflow (for the printout) */
  name: string;
  handler: Work;
  after: Work;
}

export interface Shape {
  prelude: Work;
  steps: Step[];
  continuedAsNew: boolean;
  nextRuns: Work;
}

/** Totals of a shape (the counts the baseline must match). */
export interface ShapeTotals {
  updates: number;
  activities: number;
  localActivities: number;
  timersStarted: number;
  timersCancelled: number;
  upserts: number;
  continuedAsNew: number;
  /** events in the histories read (every run) */
  events: number;
}

const E = temporal.api.enums.v1.EventType;
type Event = temporal.api.history.v1.IHistoryEvent;

export const emptyWork = (): Work => ({
  activities: 0,
  localActivities: 0,
  timersStarted: 0,
  timersCancelled: 0,
  upserts: 0,
});

function count(work: Work, e: Event): void {
  switch (e.eventType) {
    case E.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED:
      work.activities++;
      break;
    case E.EVENT_TYPE_MARKER_RECORDED:
      if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') work.localActivities++;
      break;
    case E.EVENT_TYPE_TIMER_STARTED:
      work.timersStarted++;
      break;
    case E.EVENT_TYPE_TIMER_CANCELED:
      work.timersCancelled++;
      break;
    case E.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES:
      work.upserts++;
      break;
    default:
  }
}

/** The shape of a chain of runs' histories (the first run first). */
export function shapeOf(runs: Event[][]): Shape {
  const [first = [], ...later] = runs;
  const shape: Shape = { prelude: emptyWork(), steps: [], continuedAsNew: false, nextRuns: emptyWork() };
  let current = shape.prelude;
  for (const e of first) {
    if (e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
      const name = e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ?? '?';
      shape.steps.push({ name, handler: emptyWork(), after: emptyWork() });
      current = shape.steps.at(-1)!.handler;
    } else if (e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED) {
      const step = shape.steps.at(-1);
      if (step) current = step.after;
    } else if (e.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
      shape.continuedAsNew = true;
    } else count(current, e);
  }
  for (const run of later) for (const e of run) count(shape.nextRuns, e);
  return shape;
}

export function totals(shape: Shape, events: number): ShapeTotals {
  const all = [shape.prelude, ...shape.steps.flatMap((s) => [s.handler, s.after]), shape.nextRuns];
  const sum = (k: keyof Work) => all.reduce((n, w) => n + w[k], 0);
  return {
    updates: shape.steps.length,
    activities: sum('activities'),
    localActivities: sum('localActivities'),
    timersStarted: sum('timersStarted'),
    timersCancelled: sum('timersCancelled'),
    upserts: sum('upserts'),
    continuedAsNew: shape.continuedAsNew ? 1 : 0,
    events,
  };
}

/** Every run of a workflow id, first run first (following each run's `continuedExecutionRunId` back). */
export async function historyChain(client: Client, workflowId: string): Promise<Event[][]> {
  const runs: Event[][] = [];
  let runId: string | undefined;
  for (let i = 0; i < 100; i++) {
    const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    runs.unshift(events);
    runId = events[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId ?? undefined;
    if (!runId) break;
  }
  return runs;
}

/** One line per step, for the printout. */
export function describeShape(shape: Shape, t: ShapeTotals): string {
  const w = (x: Work) =>
    [
      x.activities ? `${x.activities} act` : '',
      x.localActivities ? `${x.localActivities} LA` : '',
      x.timersStarted ? `${x.timersStarted} timer` : '',
      x.timersCancelled ? `${x.timersCancelled} cancel` : '',
      x.upserts ? `${x.upserts} SA` : '',
    ]
      .filter(Boolean)
      .join(' ') || '-';
  return [
    `derived shape: ${t.updates} updates, ${t.activities} activities, ${t.localActivities} local activities, ` +
      `${t.timersStarted} timers (${t.timersCancelled} cancelled), ${t.upserts} search-attribute upserts, ` +
      `${t.continuedAsNew} continue-as-new; ${t.events} events in the transfer's histories`,
    `  start: ${w(shape.prelude)}`,
    ...shape.steps.map(
      (s, i) => `  update ${i + 1} ${s.name}: in handler ${w(s.handler)}; after ${w(s.after)}`,
    ),
    `  next run: ${w(shape.nextRuns)}`,
  ].join('\n');
}
