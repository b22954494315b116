/**
 * Commands no party sends: a deadline passing (each phase says what its missed deadlines do; any other is flagged
 * overdue and escalated) and an operator's recount of deadlines after a calendar update.
 */
import { recountDeadline } from '../deadlines';
import { isTerminal } from '../lifecycle';
import type { DeadlineStep, PolicyPack } from '../policy';
import { record, refuse, type Outcome, type TransferState } from '../transfer-state';
import { isoAt, system, type DeadlineConsequence, type Handler } from './types';

export type SystemCommand =
  | { type: 'deadline_passed'; step: DeadlineStep }
  | { type: 'recompute_deadlines' }
  /** the workflow was cancelled from outside (Temporal UI or CLI): `by` and `reason` as the operator gave them */
  | { type: 'cancel_execution'; by?: string; reason?: string };

/**
 * Reviewer deadlines never decide: the transfer is flagged overdue and the lapse escalated. A late filing by the
 * applicant is flagged and warned about.
 */
export const escalate: DeadlineConsequence = (state, deadline, nowMs) => {
  const at = isoAt(nowMs);
  const { step } = deadline;
  const notice =
    deadline.actor === 'reviewer'
      ? `${step} deadline of ${deadline.dueAt} passed without a decision: escalated`
      : `warning: ${step} deadline of ${deadline.dueAt} passed`;
  return {
    ok: true,
    state: {
      ...state,
      deadlines: state.deadlines.map((d) => (d === deadline ? { ...d, overdue: true } : d)),
      escalations: [...state.escalations, { step, at, notice }],
      updatedAt: at,
    },
  };
};

/** The `deadline_passed` handler over the phases' consequences. */
export function deadlinePassed(
  consequences: Partial<Record<DeadlineStep, DeadlineConsequence>>,
): Handler<Extract<SystemCommand, { type: 'deadline_passed' }>> {
  return (state, { step }, nowMs, pack) => {
    const deadline = state.deadlines.find((d) => d.step === step && !d.paused && !d.overdue);
    if (!deadline || isTerminal(state.status)) return refuse('conflict', `no running ${step} deadline`);
    const out = (pack.flow?.deadlines[step] ?? consequences[step] ?? escalate)(state, deadline, nowMs, pack);
    if (!out.ok || out.state.decisions.length === state.decisions.length) return out;
    // the decisions the consequence recorded say so, typed (no one reads it from the action's spelling)
    const decisions = out.state.decisions.map((d, i) =>
      i < state.decisions.length ? d : { ...d, kind: 'deadline' as const },
    );
    return { ok: true, state: { ...out.state, decisions } };
  };
}

/**
 * Move a transfer to the newest calendar: deadlines counted Monday–Friday for a year whose schedule is now
 * published are counted again, and the change is recorded. Sent by operators after a calendar update.
 */
export function recomputeDeadlines(state: TransferState, nowMs: number, pack: PolicyPack): Outcome {
  if (isTerminal(state.status)) return refuse('wrong-phase', 'a closed transfer has no deadlines');
  const latest = pack.calendar.version;
  const deadlines = state.deadlines.map((d) => recountDeadline(d, pack));
  const changes = deadlines.flatMap((d, i) => {
    const before = state.deadlines[i]!;
    return d === before
      ? []
      : [{ step: d.step, before: before.dueAt, after: d.dueAt, approximate: d.calendarApproximate }];
  });
  if (changes.length === 0 && state.calendarVersion === latest)
    return refuse('conflict', 'the deadlines already follow the newest calendar');
  return record(
    state,
    nowMs,
    { action: 'deadline.recomputed', ...system, reason: `calendar ${latest}`, details: { changes } },
    { calendarVersion: latest, deadlines },
  );
}

/** Close an open transfer that was cancelled from outside the engine: recorded like any other end. */
export const cancelExecution: Handler<Extract<SystemCommand, { type: 'cancel_execution' }>> = (
  state,
  command,
  nowMs,
) => {
  if (isTerminal(state.status)) return refuse('wrong-phase', `the transfer is ${state.status} already`);
  return record(
    state,
    nowMs,
    {
      action: 'cancel_execution',
      by: command.by ?? 'system',
      role: 'system',
      reason: command.reason?.trim() || 'closed from outside the engine: the workflow was cancelled',
      details: { from: state.status },
      kind: 'external',
    },
    {
      status: 'cancelled',
      deadlines: [],
      change: null,
      extension: null,
      supplementRequests: state.supplementRequests.map((r) =>
        r.status === 'open' ? { ...r, status: 'withdrawn' as const } : r,
      ),
    },
  );
};
