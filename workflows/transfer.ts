/**
 * transferWorkflow: one transfer from draft to its end. Every human action is an update whose synchronous
 * validator asks the domain whether it may happen (refusing without touching history); its handler applies the
 * same decision under the entity's mutex (workflows/transfer/entity.ts). This function only waits: one
 * `condition` on "changed, deadline due, or continue-as-new suggested", then the step the new state calls for.
 * Nothing can change the state between "is it over?" and that wait, so no run is ever left open.
 */
import {
  allHandlersFinished,
  CancellationScope,
  condition,
  isCancellation,
  makeContinueAsNewFunc,
  patched,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { nextDeadline, type TransferState } from '../domain/transfer';
import { transferWorkflowV5 } from './legacy/transfer-v5';
import type { TransferInput } from './messages';
import { TransferEntity } from './transfer/entity';
import { DeadlineTimer } from './transfer/timer';

/** v6: the entity shape (one wait, handlers under a mutex), evidence written only once durable, `cancelled`. */
const V6 = 'v6-entity-one-wait-durable-evidence';
/** The code version this file implements; a run continued as new by it starts at this version. */
const CODE_VERSION = 6;

export async function transferWorkflow(input: TransferInput): Promise<TransferState> {
  // histories written by code versions 1–5 replay through the frozen v5 function
  if ((input.codeVersion ?? 0) < CODE_VERSION && !patched(V6)) return transferWorkflowV5(input);

  const entity = new TransferEntity(input);
  entity.register();
  const timer = new DeadlineTimer();
  try {
    for (;;) {
      const seen = entity.version;
      await entity.step();
      if (entity.terminal) break;
      if (entity.shouldContinueAsNew()) {
        await condition(allHandlersFinished);
        return await makeContinueAsNewFunc<typeof transferWorkflow>({
          memo: { title: entity.state.application.title ?? null },
        })(entity.continuedInput(CODE_VERSION));
      }
      const next = nextDeadline(entity.state);
      timer.arm(next?.dueAt ? { step: next.step, dueAt: next.dueAt } : undefined);
      await condition(
        () =>
          entity.terminal ||
          entity.version !== seen ||
          timer.due !== undefined ||
          workflowInfo().continueAsNewSuggested,
      );
      const due = timer.take();
      if (due) await entity.deadlinePassed(due.step, due.dueAt);
    }
    await finish(entity);
    return entity.state;
  } catch (err) {
    if (!isCancellation(err)) throw err;
    // cancelled from the Temporal UI/CLI: the transfer ends as `cancelled`, recorded, then the run ends cancelled
    await CancellationScope.nonCancellable(async () => {
      timer.arm(undefined);
      await entity.mutex.runExclusive(() => entity.cancelExecution());
      await finish(entity);
    });
    throw err;
  }
}

/**
 * The end of a run: every handler done, then the evidence of the last step once it is durable (a one-millisecond
 * timer ends the current workflow task, so the decision that ended the transfer is in history before it is written).
 */
async function finish(entity: TransferEntity): Promise<void> {
  await condition(allHandlersFinished);
  if (!entity.allDurable) {
    await sleep(1);
    entity.markTaskBoundary();
  }
  await entity.mutex.runExclusive(() => entity.record());
}
