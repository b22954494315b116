/**
 * The bare-Temporal baseline: a workflow that does the Temporal work of one transfer (bench/shape.ts, read from a
 * real transfer's history) and nothing else. Update `step` i runs step i's handler work and answers; the main
 * loop then runs that step's after-work, as the transfer workflow runs its own step after a decision. After the
 * last step it continues as new when the transfer did, and the next run does what the transfer's next run did,
 * then waits (open, like a transfer at `active`).
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  continueAsNew,
  defineUpdate,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  sleep,
  upsertSearchAttributes,
} from '@temporalio/workflow';
import type { Shape, Work } from './shape';

export interface BaselineActivities {
  benchActivity(n: number): Promise<number>;
}

/** registered by the bench on the dev server; the transfer's own attributes are left alone */
export const BENCH_SEARCH_ATTRIBUTE = 'BenchStep';

export const stepUpdate = defineUpdate<number, [number]>('step');

const { benchActivity } = proxyActivities<BaselineActivities>({ startToCloseTimeout: '1 minute' });
const { benchActivity: benchLocal } = proxyLocalActivities<BaselineActivities>({
  startToCloseTimeout: '1 minute',
});

/** a deadline timer far away (cancelled when a later step moves it, as the transfer's DeadlineTimer does) */
const FAR = '300 days';

export async function baselineWorkflow(shape: Shape, continued = false): Promise<void> {
  const timers: CancellationScope[] = [];
  let upserts = 0;
  const run = async (w: Work) => {
    for (let i = 0; i < w.upserts; i++)
      upsertSearchAttributes({ [BENCH_SEARCH_ATTRIBUTE]: [`s${++upserts}`] });
    for (let i = 0; i < w.localActivities; i++) await benchLocal(i);
    for (let i = 0; i < w.activities; i++) await benchActivity(i);
    for (let i = 0; i < w.timersStarted; i++) {
      const scope = new CancellationScope();
      timers.push(scope);
      scope.run(() => sleep(FAR)).catch(() => undefined);
    }
    for (let i = 0; i < w.timersCancelled; i++) timers.shift()?.cancel();
  };

  if (continued) {
    await run(shape.nextRuns);
    await condition(() => false);
    return;
  }
  const done: number[] = [];
  // the bench sends the steps in order, one at a time (as a transfer's decisions come)
  setHandler(stepUpdate, async (i) => {
    await run(shape.steps[i]!.handler);
    done.push(i);
    return i;
  });
  await run(shape.prelude);
  for (let next = 0; next < shape.steps.length; next++) {
    await condition(() => done.length > 0);
    await run(shape.steps[done.shift()!]!.after);
  }
  if (shape.continuedAsNew) {
    await condition(allHandlersFinished);
    await continueAsNew<typeof baselineWorkflow>(shape, true);
  }
  await condition(() => false);
}
