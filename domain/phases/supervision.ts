/**
 * Supervision (监管与处罚, DOMAIN.md step 6): while a transfer is active, periodic reports fall due (a missed one
 * is an automatic warning) and the applicant reports incidents. The reviewer's measures are in ./measures.
 */
import type { Actor } from '../authz';
import { addMonths, dateOf, localDay } from '../calendar';
import { deadlineAt, dueFor, ruleFor, type Deadline } from '../deadlines';
import type { PolicyPack } from '../policy';
import {
  record,
  refuse,
  withoutDeadline,
  rulesVersionOf,
  type Supervision,
  type SupervisionAction,
  type TransferState,
} from '../transfer-state';
import { isoAt, system, type DeadlineConsequence, type Handler, type PhaseRules } from './types';

export type SupervisionCommand =
  | {
      type: 'report';
      actor: Actor;
      periodEnd: string;
      individualsTransferred: number;
      sensitiveIndividualsTransferred: number;
      incidents: string[];
      notes?: string;
    }
  | {
      type: 'report_incident';
      actor: Actor;
      severity: 'low' | 'medium' | 'high' | 'major';
      occurredAt: string;
      description: string;
    };

type On<T extends SupervisionCommand['type']> = Handler<Extract<SupervisionCommand, { type: T }>>;

/** Commands of an active transfer: refused before supervision starts. */
export function underSupervision<C>(handler: Handler<C>): Handler<C> {
  return (state, command, nowMs, pack) =>
    state.supervision
      ? handler(state, command, nowMs, pack)
      : refuse('wrong-phase', 'supervision starts when the transfer becomes active');
}

/**
 * When the open period's report may be sent: the pack's last days of the period (and after it ends, until the
 * report is due). Older states lack the field; it follows from the period's end.
 */
function reportWindowOpens(sup: Supervision, pack: PolicyPack): number {
  return sup.reportWindowOpensAt
    ? Date.parse(sup.reportWindowOpensAt)
    : Date.parse(sup.periodEnd) - pack.reportWindowDays * 86_400_000;
}

interface Period {
  periodStart: string;
  periodEnd: string;
  reportWindowOpensAt: string;
  due: Deadline;
}

/** The reporting period that starts at `fromMs`, and its report deadline (the pack's; cn-2024: 20 WD after the period ends). */
function period(fromMs: number, nowMs: number, pack: PolicyPack): Period {
  const end = addMonths(fromMs, pack.supervisionPeriodMonths, pack.calendar);
  const lastMs = Date.parse(end.dueAt) - 1;
  // the report is due the pack's supervision_report length after the period's last day
  const due = dueFor('supervision_report', lastMs, pack);
  const { length } = ruleFor('supervision_report', pack);
  return {
    periodStart: isoAt(fromMs),
    periodEnd: end.dueAt,
    reportWindowOpensAt: isoAt(Date.parse(end.dueAt) - pack.reportWindowDays * 86_400_000),
    due: {
      ...deadlineAt('supervision_report', Date.parse(due.dueAt), nowMs, pack),
      calendarApproximate: due.approximate,
      calendarVersion: due.calendarVersion,
      ...('workingDays' in length ? { basis: { from: isoAt(lastMs), workingDays: length.workingDays } } : {}),
    },
  };
}

/** On becoming active: the first reporting period and the expiry clock. */
export function startSupervision(
  state: TransferState,
  validity: { from: string; until: string },
  nowMs: number,
  pack: PolicyPack,
): Partial<TransferState> {
  const first = period(Date.parse(validity.from), nowMs, pack);
  return {
    supervision: {
      periodStart: first.periodStart,
      periodEnd: first.periodEnd,
      reportWindowOpensAt: first.reportWindowOpensAt,
      reports: [],
      actions: [],
      incidents: [],
      rectification: null,
      suspendedAt: null,
    },
    deadlines: [
      ...state.deadlines.filter((d) => d.step !== 'supervision_report' && d.step !== 'extension_window'),
      first.due,
      deadlineAt('extension_window', Date.parse(validity.until), nowMs, pack),
    ],
  };
}

/** The next reporting period, after a report or a missed one. */
function nextPeriod(state: TransferState, nowMs: number, pack: PolicyPack): Partial<TransferState> {
  const sup = state.supervision!;
  const next = period(Date.parse(sup.periodEnd), nowMs, pack);
  return {
    supervision: {
      ...sup,
      periodStart: next.periodStart,
      periodEnd: next.periodEnd,
      reportWindowOpensAt: next.reportWindowOpensAt,
    },
    deadlines: [...withoutDeadline(state, 'supervision_report'), next.due],
  };
}

const report: On<'report'> = (state, c, nowMs, pack) => {
  const sup = state.supervision!;
  const openPeriodEnds = dateOf(localDay(Date.parse(sup.periodEnd) - 1, pack.calendar));
  if (c.periodEnd !== openPeriodEnds) {
    return refuse('rule-violation', `the open reporting period ends ${openPeriodEnds}`, [
      { pointer: '/periodEnd', detail: 'not the open period' },
    ]);
  }
  if (nowMs < reportWindowOpens(sup, pack)) {
    return refuse(
      'wrong-phase',
      `a period is reported in its last ${pack.reportWindowDays} days or after it ends (from ${isoAt(reportWindowOpens(sup, pack))})`,
    );
  }
  const entry = {
    periodEnd: c.periodEnd,
    at: isoAt(nowMs),
    individualsTransferred: c.individualsTransferred,
    sensitiveIndividualsTransferred: c.sensitiveIndividualsTransferred,
    incidents: c.incidents,
    notes: c.notes,
  };
  const next = nextPeriod(state, nowMs, pack);
  return record(
    state,
    nowMs,
    { action: 'report', by: c.actor.sub, role: c.actor.role, details: { periodEnd: c.periodEnd } },
    { ...next, supervision: { ...next.supervision!, reports: [...sup.reports, entry] } },
  );
};

const reportIncident: On<'report_incident'> = (state, c, nowMs) => {
  if (Number.isNaN(Date.parse(c.occurredAt)))
    return refuse('validation', 'occurredAt is an ISO instant', [
      { pointer: '/occurredAt', detail: 'invalid' },
    ]);
  if (Date.parse(c.occurredAt) > nowMs)
    return refuse('rule-violation', 'occurredAt is an instant in the past', [
      { pointer: '/occurredAt', detail: 'not in the future' },
    ]);
  const sup = state.supervision!;
  const incident = {
    severity: c.severity,
    occurredAt: c.occurredAt,
    description: c.description,
    reportedAt: isoAt(nowMs),
  };
  return record(
    state,
    nowMs,
    {
      action: `report_incident.${c.severity}`,
      by: c.actor.sub,
      role: c.actor.role,
      reason: c.description,
      details: { severity: c.severity },
    },
    { supervision: { ...sup, incidents: [...sup.incidents, incident] } },
  );
};

const reportMissed: DeadlineConsequence = (state, _deadline, nowMs, pack) => {
  const sup = state.supervision!;
  const reason = `no supervision report for the period ending ${sup.periodEnd}`;
  const warning: SupervisionAction = {
    kind: 'warning',
    by: 'system',
    at: isoAt(nowMs),
    reason,
    automatic: true,
  };
  const next = nextPeriod(state, nowMs, pack);
  return record(
    state,
    nowMs,
    { ...system, action: 'deadline.supervision_report', reason },
    { ...next, supervision: { ...next.supervision!, actions: [...sup.actions, warning] } },
  );
};

/**
 * Whether the applicant owes the open period's report at `nowMs`: under rules 2 once its window opens (a report
 * is refused before), under rules 1 all year.
 */
function reportAwaited(state: TransferState, nowMs: number | undefined): boolean {
  if (rulesVersionOf(state) < 2 || !state.supervision) return true;
  const opens = state.supervision.reportWindowOpensAt;
  return opens === undefined || (nowMs ?? Date.parse(state.updatedAt)) >= Date.parse(opens);
}

/** The instant after `nowMs` when the report window opens and the applicant becomes awaited, if it is ahead. */
export function reportAwaitedFrom(state: TransferState, nowMs: number): string | null {
  const opens = state.supervision?.reportWindowOpensAt;
  if (rulesVersionOf(state) < 2 || state.status !== 'active' || opens === undefined) return null;
  return Date.parse(opens) > nowMs ? opens : null;
}

export const supervisionPhase: PhaseRules<SupervisionCommand> = {
  commands: {
    report: underSupervision(report),
    report_incident: underSupervision(reportIncident),
  },
  awaiting: {
    active: (state, nowMs) => (reportAwaited(state, nowMs) ? [{ role: 'applicant', action: 'report' }] : []),
  },
  deadlines: { supervision_report: reportMissed },
};
