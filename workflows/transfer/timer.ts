/**
 * The timer of a transfer's nearest deadline. It lives until that deadline moves (a state change that leaves the
 * nearest deadline where it was starts and cancels nothing), and sets `due` when it fires; the main loop's single
 * wait watches `due` beside the state.
 */
import { CancellationScope, sleep } from '@temporalio/workflow';

export interface DueDeadline {
  step: string;
  dueAt: string;
}

export class DeadlineTimer {
  due: DueDeadline | undefined;
  private armed: { deadline: DueDeadline; scope: CancellationScope } | undefined;

  /** Point the timer at this deadline (or at none); the same deadline keeps the running timer. */
  arm(deadline: DueDeadline | undefined): void {
    const current = this.armed?.deadline;
    if (current && deadline && current.step === deadline.step && current.dueAt === deadline.dueAt) return;
    if (this.armed) this.armed.scope.cancel();
    this.armed = undefined;
    if (!deadline) return;
    const scope = new CancellationScope();
    const armed = { deadline, scope };
    this.armed = armed;
    scope
      .run(() => sleep(Math.max(1, Date.parse(deadline.dueAt) - Date.now())))
      .then(
        () => {
          if (this.armed === armed) {
            this.armed = undefined;
            this.due = deadline;
          }
        },
        () => undefined, // cancelled: the deadline moved
      );
  }

  /** The deadline that came due, once. */
  take(): DueDeadline | undefined {
    const due = this.due;
    this.due = undefined;
    return due;
  }
}
