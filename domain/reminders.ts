/** Reminders before applicant and recipient deadlines (the pack's working days left; cn-2024: 2, DOMAIN.md). Pure. */
import { workingDaysLeft } from './calendar';
import { packWithCalendar, type PolicyPack } from './policy';
import type { TransferState } from './transfer-state';

export interface Reminder {
  key: string;
  step: string;
  audience: 'applicant' | 'recipient';
  dueAt: string;
  workingDaysLeft: number;
}

/** The reminders due for a transfer at `nowMs`: each running applicant/recipient deadline with at most the pack's working days left. */
export function remindersDue(state: TransferState, nowMs: number, policyPack: PolicyPack): Reminder[] {
  const pack = packWithCalendar(policyPack, state.calendarVersion);
  return state.deadlines.flatMap((d) => {
    if (d.actor === 'reviewer' || d.paused || d.overdue || d.dueAt === null) return [];
    const due = Date.parse(d.dueAt);
    if (nowMs >= due) return [];
    const left = workingDaysLeft(nowMs, due, pack.calendar);
    if (left > pack.remindAtWorkingDaysLeft) return [];
    return [
      {
        key: `${state.id}:reminder:${d.step}:${d.dueAt}`,
        step: d.step,
        audience: d.actor,
        dueAt: d.dueAt,
        workingDaysLeft: left,
      },
    ];
  });
}
