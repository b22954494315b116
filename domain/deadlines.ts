/**
 * Deadlines as state (DOMAIN.md "Deadlines"): each open deadline records its instant and calendar version, so a
 * query shows `dueAt` and working days left; a paused clock keeps the working days it had left and re-arms on
 * resume.
 */
import {
  addCalendarDays,
  addMonths,
  addWorkingDays,
  dateOf,
  localDay,
  workingDaysLeft,
  type Due,
} from './calendar';
import type { DeadlineRule, DeadlineStep, PolicyPack } from './policy';

export interface Deadline {
  step: DeadlineStep;
  actor: DeadlineRule['actor'];
  startedAt: string;
  /** null while paused */
  dueAt: string | null;
  dueDate: string | null;
  calendarVersion: string;
  calendarApproximate: boolean;
  paused: boolean;
  /** working days left when the clock was paused */
  remainingWorkingDays?: number;
  overdue: boolean;
  /** how a working-day deadline was counted, so a newer calendar can count it again */
  basis?: { from: string; workingDays: number };
  /** extra working days granted, with reasons */
  extensions?: { workingDays: number; reason: string; by: string; at: string }[];
}

export interface DeadlineView {
  step: DeadlineStep;
  actor: DeadlineRule['actor'];
  dueAt: string | null;
  workingDaysLeft: number | null;
  paused: boolean;
  overdue: boolean;
  calendarApproximate: boolean;
  calendarVersion: string;
}

export function ruleFor(step: DeadlineStep, pack: PolicyPack): DeadlineRule {
  const rule = pack.deadlines.find((d) => d.step === step);
  if (!rule) throw new RangeError(`policy ${pack.id} has no deadline for ${step}`);
  return rule;
}

/** When a period of this step's length, starting at `fromMs`, ends. */
export function dueFor(step: DeadlineStep, fromMs: number, pack: PolicyPack): Due {
  const { length } = ruleFor(step, pack);
  if ('workingDays' in length) return addWorkingDays(fromMs, length.workingDays, pack.calendar);
  if ('calendarDays' in length) return addCalendarDays(fromMs, length.calendarDays, pack.calendar);
  if ('months' in length) return addMonths(fromMs, length.months, pack.calendar);
  throw new RangeError(`the ${step} deadline has no fixed length: use deadlineAt`);
}

function fromDue(step: DeadlineStep, due: Due, startedAtMs: number, pack: PolicyPack): Deadline {
  return {
    step,
    actor: ruleFor(step, pack).actor,
    startedAt: new Date(startedAtMs).toISOString(),
    dueAt: due.dueAt,
    dueDate: due.dueDate,
    calendarVersion: due.calendarVersion,
    calendarApproximate: due.approximate,
    paused: false,
    overdue: false,
  };
}

export function startDeadline(step: DeadlineStep, nowMs: number, pack: PolicyPack): Deadline {
  const d = fromDue(step, dueFor(step, nowMs, pack), nowMs, pack);
  const { length } = ruleFor(step, pack);
  return 'workingDays' in length
    ? { ...d, basis: { from: d.startedAt, workingDays: length.workingDays } }
    : d;
}

/** A deadline whose instant is given (set by a reviewer, or the end of validity). */
export function deadlineAt(step: DeadlineStep, dueAtMs: number, nowMs: number, pack: PolicyPack): Deadline {
  const day = localDay(dueAtMs - 1, pack.calendar);
  return fromDue(
    step,
    {
      dueAt: new Date(dueAtMs).toISOString(),
      dueDate: dateOf(day),
      calendarVersion: `${pack.calendar.id}@${pack.calendar.version}`,
      approximate: false,
    },
    nowMs,
    pack,
  );
}

export function pauseDeadline(d: Deadline, nowMs: number, pack: PolicyPack): Deadline {
  if (d.paused || d.dueAt === null) return d;
  const left = Math.max(0, workingDaysLeft(nowMs, Date.parse(d.dueAt), pack.calendar));
  return { ...d, paused: true, remainingWorkingDays: left, dueAt: null, dueDate: null };
}

export function resumeDeadline(d: Deadline, nowMs: number, pack: PolicyPack): Deadline {
  if (!d.paused) return d;
  const due = addWorkingDays(nowMs, d.remainingWorkingDays ?? 0, pack.calendar);
  return {
    ...d,
    paused: false,
    remainingWorkingDays: undefined,
    basis: { from: new Date(nowMs).toISOString(), workingDays: d.remainingWorkingDays ?? 0 },
    dueAt: due.dueAt,
    dueDate: due.dueDate,
    calendarVersion: due.calendarVersion,
    calendarApproximate: due.approximate,
  };
}

/** Milliseconds until a running deadline passes (≤ 0 when it has), or null when paused/overdue already. */
export function msUntilDue(d: Deadline, nowMs: number): number | null {
  if (d.paused || d.dueAt === null || d.overdue) return null;
  return Date.parse(d.dueAt) - nowMs;
}

/**
 * Whether a deadline is overdue at `nowMs`: flagged when its timer fired, or running with its instant passed
 * (the timer may not have fired yet, e.g. while no worker runs). Without `nowMs`, the flag alone — what the
 * transfer's own state says. The one definition the view, the inbox and the Overdue search attribute use.
 */
export function isDeadlineOverdue(
  d: { overdue: boolean; dueAt: string | null; paused?: boolean },
  nowMs?: number,
): boolean {
  return d.overdue || (nowMs !== undefined && !d.paused && d.dueAt !== null && nowMs >= Date.parse(d.dueAt));
}

export function viewDeadline(d: Deadline, nowMs: number, pack: PolicyPack): DeadlineView {
  return {
    step: d.step,
    actor: d.actor,
    dueAt: d.dueAt,
    workingDaysLeft: d.paused
      ? (d.remainingWorkingDays ?? null)
      : d.dueAt
        ? workingDaysLeft(nowMs, Date.parse(d.dueAt), pack.calendar)
        : null,
    paused: d.paused,
    overdue: isDeadlineOverdue(d, nowMs),
    calendarApproximate: d.calendarApproximate,
    calendarVersion: d.calendarVersion,
  };
}

/** Move a deadline N working days later (an extension granted with a reason); a paused clock keeps more days. */
export function extendDeadline(d: Deadline, workingDays: number, pack: PolicyPack): Deadline {
  if (d.paused || d.dueAt === null)
    return { ...d, remainingWorkingDays: (d.remainingWorkingDays ?? 0) + workingDays };
  const due = addWorkingDays(Date.parse(d.dueAt) - 1, workingDays, pack.calendar);
  return {
    ...d,
    ...(d.basis ? { basis: { ...d.basis, workingDays: d.basis.workingDays + workingDays } } : {}),
    dueAt: due.dueAt,
    dueDate: due.dueDate,
    calendarVersion: due.calendarVersion,
    calendarApproximate: due.approximate,
    overdue: false,
  };
}

/**
 * Count a working-day deadline again with a newer calendar (one that publishes a year the old one approximated).
 * Unchanged (the same object) when nothing moves.
 */
export function recountDeadline(d: Deadline, pack: PolicyPack): Deadline {
  if (!d.basis || d.paused || d.dueAt === null || !d.calendarApproximate) return d;
  const due = addWorkingDays(Date.parse(d.basis.from), d.basis.workingDays, pack.calendar);
  if (
    due.dueAt === d.dueAt &&
    due.approximate === d.calendarApproximate &&
    due.calendarVersion === d.calendarVersion
  )
    return d;
  return {
    ...d,
    dueAt: due.dueAt,
    dueDate: due.dueDate,
    calendarVersion: due.calendarVersion,
    calendarApproximate: due.approximate,
  };
}
