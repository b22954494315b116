/**
 * The cost of a bounded sticky cache (`npm run bench -- --replay`, BENCHMARKS.md "Bounded memory"): a transfer
 * evicted from the worker's cache replays its run's history on its next task. The app runs with a tiny cache
 * (`--cache`, default 2), so every decision on a transfer that was not touched since replays, and a decision on a
 * transfer driven there just before does not. Both are timed in the same run, alternating, at two points of a
 * transfer's first run: `completeness` (the first decision: a short history) and `filing_decision` (the last one
 * before `active`: the longest history a first run reaches before it continues as new).
 *
 * Per decision the history says what the worker had to read: the events of the run before the decision's workflow
 * task (what a replay processes), and the task queue the task was scheduled on (a replay after an eviction may come
 * through the normal queue instead of the worker's sticky queue).
 */
import type { Client } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import type { Actor } from '../domain/authz';
import { Driver, rita, type Point } from '../test/drive';
import { percentiles, round, type Percentiles } from './lib';
import { historyChain } from './shape';

const E = proto.api.enums.v1.EventType;
const KIND = proto.api.enums.v1.TaskQueueKind;

interface Stage {
  point: Point;
  action: string;
  segment: string;
  actor: Actor;
  body: unknown;
}

const STAGES: Stage[] = [
  {
    point: 'completeness_check',
    action: 'completeness',
    segment: 'completeness',
    actor: rita,
    body: { decision: 'accept' },
  },
  {
    point: 'filing_review',
    action: 'filing_decision',
    segment: 'filing-decision',
    actor: rita,
    body: { decision: 'accept' },
  },
];

export interface ReplaySide {
  ms: Percentiles;
  /** events of the run before the decision's workflow task (p50 over the samples) */
  historyEvents: number;
  /** decisions whose workflow task was scheduled on the normal (not the sticky) task queue */
  normalQueueTasks: number;
}

export interface ReplayStageResult {
  action: string;
  point: Point;
  samples: number;
  evicted: ReplaySide;
  cached: ReplaySide;
  /** evicted p50 / cached p50 */
  ratioP50: number;
  /** evicted p50 − cached p50 */
  extraP50Ms: number;
}

export interface ReplayResult {
  cache: number;
  stages: ReplayStageResult[];
}

/** What the history says about the last decision on a transfer (see the file's comment). */
async function taskOfLastDecision(
  client: Client,
  transferId: string,
): Promise<{ events: number; normalQueue: boolean }> {
  const runs = await historyChain(client, `transfer-${transferId}`);
  for (let r = runs.length - 1; r >= 0; r--) {
    const run = runs[r]!;
    let accepted = -1;
    for (let i = run.length - 1; i >= 0; i--)
      if (run[i]!.eventType === E.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
        accepted = i;
        break;
      }
    if (accepted < 0) continue;
    for (let i = accepted; i >= 0; i--) {
      const e = run[i]!;
      if (e.eventType !== E.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED) continue;
      const kind = e.workflowTaskScheduledEventAttributes?.taskQueue?.kind;
      return { events: i, normalQueue: kind === KIND.TASK_QUEUE_KIND_NORMAL };
    }
  }
  throw new Error(`transfer-${transferId}: no accepted update in its history`);
}

export async function replayProbe(o: {
  driver: Driver;
  client: Client;
  /** samples per side per stage */
  n: number;
  /** the app's cache size: as many fresh transfers are created to push the older ones out */
  cache: number;
  log: (line: string) => void;
}): Promise<ReplayResult> {
  const stages: ReplayStageResult[] = [];
  for (const stage of STAGES) {
    // the transfers that will be decided once evicted: driven to the point, then pushed out of the cache
    const old: string[] = [];
    for (let i = 0; i < o.n; i++) old.push(await o.driver.reach(stage.point));
    for (let i = 0; i < o.cache; i++) await o.driver.reach('completeness_check');

    const sides = {
      evicted: { ms: [] as number[], events: [] as number[], normal: 0 },
      cached: { ms: [] as number[], events: [] as number[], normal: 0 },
    };
    const decide = async (id: string, side: 'evicted' | 'cached') => {
      const t0 = performance.now();
      await o.driver.post(`/v1/transfers/${id}/${stage.segment}`, stage.actor, stage.body);
      sides[side].ms.push(performance.now() - t0);
      const task = await taskOfLastDecision(o.client, id);
      sides[side].events.push(task.events);
      if (task.normalQueue) sides[side].normal++;
    };
    const cachedOne = async () => decide(await o.driver.reach(stage.point), 'cached');
    for (let i = 0; i < o.n; i++) {
      // alternate which side goes first, so drift hits both
      if (i % 2 === 0) {
        await decide(old[i]!, 'evicted');
        await cachedOne();
      } else {
        await cachedOne();
        await decide(old[i]!, 'evicted');
      }
    }
    const side = (s: typeof sides.evicted): ReplaySide => ({
      ms: percentiles(s.ms),
      historyEvents: percentiles(s.events).p50,
      normalQueueTasks: s.normal,
    });
    const evicted = side(sides.evicted);
    const cached = side(sides.cached);
    const result: ReplayStageResult = {
      action: stage.action,
      point: stage.point,
      samples: o.n,
      evicted,
      cached,
      ratioP50: round(evicted.ms.p50 / cached.ms.p50),
      extraP50Ms: round(evicted.ms.p50 - cached.ms.p50, 1),
    };
    stages.push(result);
    o.log(
      `replay ${stage.action} at ${stage.point} (${evicted.historyEvents} events before its task), ${o.n} each: ` +
        `evicted p50/p95 ${evicted.ms.p50}/${evicted.ms.p95} ms (${evicted.normalQueueTasks} via the normal queue), ` +
        `cached ${cached.ms.p50}/${cached.ms.p95} ms (${cached.normalQueueTasks} via the normal queue); ` +
        `ratio p50 ${result.ratioP50}, +${result.extraP50Ms} ms`,
    );
  }
  return { cache: o.cache, stages };
}
