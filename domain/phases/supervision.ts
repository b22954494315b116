/**
 * Supervision (监管与处罚), change review (动态调整) and validity/extension: what happens to an `active`
 * transfer over the years — periodic reports, supervisory measures, rectification, incidents, changes that
 * re-route, and the extension window before expiry.
 */
import { mergeApplication, type PartialApplication } from '../application';
import type { Actor } from '../authz';
import { addMonths, addWorkingDays, dateOf, localDay, workingDaysBefore } from '../calendar';
import { deadlineAt, startDeadline, type Deadline } from '../deadlines';
import type { Role } from '../lifecycle';
import type { PolicyPack } from '../policy';
import type { RiskAssessment } from '../risk';
import { determineRoute } from '../routes';
import {
  record,
  refuse,
  withoutDeadline,
  type Outcome,
  type SupervisionAction,
  type TransferState,
} from '../transfer-state';

/** The extension window opens this many working days before expiry (DOMAIN.md step 8). */
export const EXTENSION_WINDOW_WORKING_DAYS = 60;

/** A validity period and the day its extension window opens (60 working days before it ends). */
export function validityWindow(
  from: string,
  until: string,
  pack: PolicyPack,
): { from: string; until: string; extensionWindowOpensAt: string } {
  return {
    from,
    until,
    extensionWindowOpensAt: workingDaysBefore(
      Date.parse(until) - 1,
      EXTENSION_WINDOW_WORKING_DAYS,
      pack.calendar,
    ),
  };
}

export const changeKinds = [
  'purpose',
  'scope',
  'data_types',
  'sensitivity',
  'method',
  'storage_location',
  'retention',
  'recipient',
  'control',
  'destination_law',
  'agreement',
] as const;

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
      type: 'supervise';
      actor: Actor;
      kind: SupervisionAction['kind'];
      reason: string;
      deadline?: string;
      scheduledAt?: string;
      amount?: { amount: number; currency: string };
    }
  | { type: 'respond_rectification'; actor: Actor; text: string; documentIds?: string[] }
  | { type: 'rectification_decision'; actor: Actor; decision: 'accept' | 'reject'; reason: string }
  | {
      type: 'report_incident';
      actor: Actor;
      severity: 'low' | 'medium' | 'high' | 'major';
      occurredAt: string;
      description: string;
    }
  | {
      type: 'report_change';
      actor: Actor;
      changes: { kind: (typeof changeKinds)[number]; description: string }[];
      application?: PartialApplication;
    }
  | { type: 'change_scored'; risk: RiskAssessment }
  | {
      type: 'change_decision';
      actor: Actor;
      decision: 'accept' | 'require_new_application' | 'suspend';
      reason: string;
    }
  | { type: 'request_extension'; actor: Actor; expectedIndividuals: number; notes?: string }
  | { type: 'extension_decision'; actor: Actor; decision: 'approve' | 'deny'; reason: string };

export const supervisionTypes: ReadonlySet<string> = new Set([
  'report',
  'supervise',
  'respond_rectification',
  'rectification_decision',
  'report_incident',
  'report_change',
  'change_scored',
  'change_decision',
  'request_extension',
  'extension_decision',
]);

/** The reporting period that starts at `fromMs`, and its report deadline (20 WD after the period ends). */
function period(
  fromMs: number,
  nowMs: number,
  pack: PolicyPack,
): { periodStart: string; periodEnd: string; due: Deadline } {
  const end = addMonths(fromMs, pack.supervisionPeriodMonths, pack.calendar);
  const rule = pack.deadlines.find((d) => d.step === 'supervision_report')!.length;
  const wd = 'workingDays' in rule ? rule.workingDays : 20;
  const due = addWorkingDays(Date.parse(end.dueAt) - 1, wd, pack.calendar);
  return {
    periodStart: new Date(fromMs).toISOString(),
    periodEnd: end.dueAt,
    due: {
      ...deadlineAt('supervision_report', Date.parse(due.dueAt), nowMs, pack),
      calendarApproximate: due.approximate,
      calendarVersion: due.calendarVersion,
      basis: { from: new Date(Date.parse(end.dueAt) - 1).toISOString(), workingDays: wd },
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
    supervision: { ...sup, periodStart: next.periodStart, periodEnd: next.periodEnd },
    deadlines: [...withoutDeadline(state, 'supervision_report'), next.due],
  };
}

/** Paths (dotted) whose values differ between two applications. */
export function diffApplications(
  before: unknown,
  after: unknown,
  path = '',
): { path: string; before: unknown; after: unknown }[] {
  const plain = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if (plain(before) && plain(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => diffApplications(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
}

export function extensionEligibility(
  state: TransferState,
  expectedIndividuals: number,
  pack: PolicyPack,
): TransferState['extension'] extends infer E ? (E extends { eligibility: infer X } ? X : never) : never {
  const approved = state.application.volume?.individualsYtd ?? 0;
  const growth =
    approved === 0 ? (expectedIndividuals > 0 ? 1 : 0) : (expectedIndividuals - approved) / approved;
  const partiesChanged = state.decisions.some(
    (d) =>
      d.action === 'change_decision.accept' &&
      ((d.details?.kinds as string[] | undefined) ?? []).some((k) =>
        ['purpose', 'scope', 'recipient', 'control'].includes(k),
      ),
  );
  const noMajorIncident = !(state.supervision?.incidents ?? []).some((i) => i.severity === 'major');
  const reasons: string[] = [];
  if (partiesChanged) reasons.push('purpose, scope or parties changed since approval');
  if (growth > pack.extensionGrowthLimit)
    reasons.push(
      `growth of ${Math.round(growth * 100)} % exceeds ${Math.round(pack.extensionGrowthLimit * 100)} %`,
    );
  if (!noMajorIncident) reasons.push('a major incident was reported');
  return {
    eligible: reasons.length === 0,
    samePurposeScopeParties: !partiesChanged,
    growth: Math.round(growth * 1000) / 1000,
    noMajorIncident,
    reasons,
  };
}

function supervise(
  state: TransferState,
  c: Extract<SupervisionCommand, { type: 'supervise' }>,
  nowMs: number,
  pack: PolicyPack,
): Outcome {
  const sup = state.supervision!;
  const at = new Date(nowMs).toISOString();
  if (!c.reason.trim())
    return refuse('validation', 'a supervisory measure needs a reason', [
      { pointer: '/reason', detail: 'required' },
    ]);
  const action: SupervisionAction = { kind: c.kind, by: c.actor.sub, at, reason: c.reason };
  const base = { action: `supervise.${c.kind}`, by: c.actor.sub, role: c.actor.role, reason: c.reason };
  switch (c.kind) {
    case 'warning':
      return record(state, nowMs, base, { supervision: { ...sup, actions: [...sup.actions, action] } });
    case 'interview': {
      if (!c.scheduledAt || Number.isNaN(Date.parse(c.scheduledAt)))
        return refuse('validation', 'an interview needs scheduledAt', [
          { pointer: '/scheduledAt', detail: 'an ISO instant' },
        ]);
      return record(
        state,
        nowMs,
        { ...base, details: { scheduledAt: c.scheduledAt } },
        { supervision: { ...sup, actions: [...sup.actions, { ...action, scheduledAt: c.scheduledAt }] } },
      );
    }
    case 'fine': {
      if (!c.amount || !(c.amount.amount > 0))
        return refuse('validation', 'a fine needs an amount', [
          { pointer: '/amount', detail: '{amount > 0, currency}' },
        ]);
      return record(
        state,
        nowMs,
        { ...base, details: { amount: c.amount } },
        { supervision: { ...sup, actions: [...sup.actions, { ...action, amount: c.amount }] } },
      );
    }
    case 'rectification_order': {
      if (state.status !== 'active')
        return refuse(
          'wrong-phase',
          `rectification is ordered on an active transfer, not one that is ${state.status}`,
        );
      const today = dateOf(localDay(nowMs, pack.calendar));
      if (!c.deadline || !/^\d{4}-\d{2}-\d{2}$/.test(c.deadline) || c.deadline <= today) {
        return refuse('validation', 'a rectification order sets a deadline date after today', [
          { pointer: '/deadline', detail: 'YYYY-MM-DD after today' },
        ]);
      }
      // 24:00 Asia/Shanghai at the end of the deadline date
      const deadline = deadlineAt(
        'rectification',
        Date.parse(`${c.deadline}T00:00:00Z`) + 86_400_000 - pack.calendar.utcOffsetMinutes * 60_000,
        nowMs,
        pack,
      );
      return record(
        state,
        nowMs,
        { ...base, details: { deadline: c.deadline } },
        {
          status: 'rectification_ordered',
          supervision: {
            ...sup,
            actions: [...sup.actions, { ...action, deadline: c.deadline }],
            rectification: { orderedAt: at, deadline: deadline.dueAt!, responses: [] },
          },
          deadlines: [...withoutDeadline(state, 'rectification'), deadline],
        },
      );
    }
    case 'suspend':
      if (state.status === 'suspended') return refuse('wrong-phase', 'suspended already');
      return suspend(state, nowMs, pack, base, action);
    case 'resume':
      if (state.status !== 'suspended') return refuse('wrong-phase', 'only a suspended transfer resumes');
      return record(state, nowMs, base, {
        status: 'active',
        supervision: { ...sup, actions: [...sup.actions, action], suspendedAt: null, rectification: null },
        deadlines: state.deadlines.filter(
          (d) => d.step !== 'suspension_unresolved' && d.step !== 'rectification',
        ),
      });
    case 'revoke':
      return record(state, nowMs, base, {
        status: 'revoked',
        supervision: { ...sup, actions: [...sup.actions, action] },
        deadlines: [],
      });
  }
}

function suspend(
  state: TransferState,
  nowMs: number,
  pack: PolicyPack,
  decision: { action: string; by: string; role: Role | 'system'; reason: string },
  action: SupervisionAction,
): Outcome {
  const sup = state.supervision!;
  return record(state, nowMs, decision, {
    status: 'suspended',
    supervision: { ...sup, actions: [...sup.actions, action], suspendedAt: new Date(nowMs).toISOString() },
    change: null,
    extension: null,
    deadlines: [
      ...state.deadlines.filter((d) => d.step !== 'rectification' && d.step !== 'suspension_unresolved'),
      startDeadline('suspension_unresolved', nowMs, pack),
    ],
  });
}

export function supervisionCommands(
  state: TransferState,
  c: SupervisionCommand,
  nowMs: number,
  pack: PolicyPack,
): Outcome {
  const sup = state.supervision;
  if (!sup) return refuse('wrong-phase', 'supervision starts when the transfer becomes active');
  const at = new Date(nowMs).toISOString();
  switch (c.type) {
    case 'report': {
      if (c.periodEnd !== dateOf(localDay(Date.parse(sup.periodEnd) - 1, pack.calendar))) {
        return refuse(
          'validation',
          `the open reporting period ends ${dateOf(localDay(Date.parse(sup.periodEnd) - 1, pack.calendar))}`,
          [{ pointer: '/periodEnd', detail: 'not the open period' }],
        );
      }
      if (nowMs < Date.parse(sup.periodEnd) - 30 * 86_400_000) {
        return refuse('wrong-phase', 'a period is reported in its last 30 days or after it ends');
      }
      const report = {
        periodEnd: c.periodEnd,
        at,
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
        { ...next, supervision: { ...next.supervision!, reports: [...sup.reports, report] } },
      );
    }
    case 'supervise':
      return supervise(state, c, nowMs, pack);
    case 'respond_rectification': {
      if (!sup.rectification) return refuse('wrong-phase', 'no rectification was ordered');
      if (!c.text.trim())
        return refuse('validation', 'describe the rectification', [{ pointer: '/text', detail: 'required' }]);
      const rect = {
        ...sup.rectification,
        responses: [...sup.rectification.responses, { at, text: c.text, documentIds: c.documentIds ?? [] }],
      };
      return record(
        state,
        nowMs,
        { action: 'respond_rectification', by: c.actor.sub, role: c.actor.role },
        { supervision: { ...sup, rectification: rect } },
      );
    }
    case 'rectification_decision': {
      if (!sup.rectification?.responses.length)
        return refuse('conflict', 'the applicant has not responded yet');
      if (!c.reason.trim())
        return refuse('validation', 'a rectification decision needs a reason', [
          { pointer: '/reason', detail: 'required' },
        ]);
      if (c.decision === 'reject')
        return record(
          state,
          nowMs,
          { action: 'rectification_decision.reject', by: c.actor.sub, role: c.actor.role, reason: c.reason },
          {},
        );
      return record(
        state,
        nowMs,
        { action: 'rectification_decision.accept', by: c.actor.sub, role: c.actor.role, reason: c.reason },
        {
          status: 'active',
          supervision: { ...sup, rectification: null },
          deadlines: withoutDeadline(state, 'rectification'),
        },
      );
    }
    case 'report_incident': {
      if (Number.isNaN(Date.parse(c.occurredAt)) || Date.parse(c.occurredAt) > nowMs)
        return refuse('validation', 'occurredAt is an instant in the past', [
          { pointer: '/occurredAt', detail: 'ISO instant, not in the future' },
        ]);
      return record(
        state,
        nowMs,
        {
          action: `report_incident.${c.severity}`,
          by: c.actor.sub,
          role: c.actor.role,
          details: { severity: c.severity },
        },
        {
          supervision: {
            ...sup,
            incidents: [
              ...sup.incidents,
              { severity: c.severity, occurredAt: c.occurredAt, description: c.description, reportedAt: at },
            ],
          },
        },
      );
    }
    case 'report_change': {
      if (state.status !== 'active')
        return refuse(
          'wrong-phase',
          `changes are reported on an active transfer, not one that is ${state.status}`,
        );
      if (c.changes.length === 0)
        return refuse('validation', 'list at least one change', [
          { pointer: '/changes', detail: 'at least one' },
        ]);
      const proposed = c.application ? mergeApplication(state.application, c.application) : state.application;
      if (proposed.exporter?.org !== state.applicantOrg)
        return refuse('validation', 'exporter.org cannot change', [
          { pointer: '/application/exporter/org', detail: 'fixed' },
        ]);
      const route = determineRoute(proposed, pack);
      return record(
        state,
        nowMs,
        {
          action: 'report_change',
          by: c.actor.sub,
          role: c.actor.role,
          details: { kinds: c.changes.map((x) => x.kind), route: route.route },
        },
        {
          status: 'change_review',
          change: {
            requestedAt: at,
            changes: c.changes,
            proposed,
            diff: diffApplications(state.application, proposed),
            route,
            risk: null,
          },
        },
      );
    }
    case 'change_scored':
      if (state.status !== 'change_review' || !state.change || state.change.risk)
        return refuse('wrong-phase', 'a change is scored once, when reported');
      return { ok: true, state: { ...state, change: { ...state.change, risk: c.risk }, updatedAt: at } };
    case 'change_decision': {
      const change = state.change;
      if (!change) return refuse('wrong-phase', 'no change is under review');
      if (!change.risk) return refuse('conflict', 'the change is still being scored; retry in a moment');
      if (!c.reason.trim())
        return refuse('validation', 'a change decision needs a reason', [
          { pointer: '/reason', detail: 'required' },
        ]);
      const kinds = change.changes.map((x) => x.kind);
      const base = {
        action: `change_decision.${c.decision}`,
        by: c.actor.sub,
        role: c.actor.role,
        reason: c.reason,
        details: { kinds, route: change.route.route, level: change.risk.level },
      };
      if (c.decision === 'suspend') {
        return suspend({ ...state, change: null }, nowMs, pack, base, {
          kind: 'suspend',
          by: c.actor.sub,
          at,
          reason: c.reason,
        });
      }
      if (c.decision === 'require_new_application')
        return record(state, nowMs, base, { status: 'active', change: null });
      if (change.route.route !== state.route?.route) {
        return refuse(
          'rule-violation',
          `the change re-routes the transfer from ${state.route?.route} to ${change.route.route ?? 'undetermined'}: require a new application`,
        );
      }
      if (change.risk.gates.length > 0)
        return refuse('rule-violation', `the changed transfer is blocked: ${change.risk.gates.join('; ')}`);
      return record(state, nowMs, base, {
        status: 'active',
        application: change.proposed,
        route: change.route,
        risk: change.risk,
        change: null,
      });
    }
    case 'request_extension': {
      if (state.status !== 'active')
        return refuse(
          'wrong-phase',
          `an extension is requested on an active transfer, not one that is ${state.status}`,
        );
      const opens = Date.parse(state.validity!.extensionWindowOpensAt);
      if (nowMs < opens)
        return refuse('wrong-phase', `the extension window opens ${state.validity!.extensionWindowOpensAt}`);
      const eligibility = extensionEligibility(state, c.expectedIndividuals, pack);
      return record(
        state,
        nowMs,
        {
          action: 'request_extension',
          by: c.actor.sub,
          role: c.actor.role,
          details: { eligible: eligibility.eligible },
        },
        {
          status: 'extension_requested',
          extension: {
            requestedAt: at,
            expectedIndividuals: c.expectedIndividuals,
            notes: c.notes,
            eligibility,
          },
        },
      );
    }
    case 'extension_decision': {
      const ext = state.extension;
      if (!ext) return refuse('wrong-phase', 'no extension is requested');
      if (!c.reason.trim())
        return refuse('validation', 'an extension decision needs a reason', [
          { pointer: '/reason', detail: 'required' },
        ]);
      if (c.decision === 'approve' && !ext.eligibility.eligible) {
        return refuse('rule-violation', `not eligible for extension: ${ext.eligibility.reasons.join('; ')}`);
      }
      const base = {
        action: `extension_decision.${c.decision}`,
        by: c.actor.sub,
        role: c.actor.role,
        reason: c.reason,
      };
      if (c.decision === 'deny') return record(state, nowMs, base, { status: 'active', extension: null });
      const until = addMonths(
        Date.parse(state.validity!.until) - 1,
        pack.validityYears * 12,
        pack.calendar,
      ).dueAt;
      const validity = validityWindow(state.validity!.from, until, pack);
      return record(
        state,
        nowMs,
        { ...base, details: { until } },
        {
          status: 'active',
          extension: null,
          validity,
          deadlines: [
            ...withoutDeadline(state, 'extension_window'),
            deadlineAt('extension_window', Date.parse(until), nowMs, pack),
          ],
        },
      );
    }
  }
}

/** What a missed supervision deadline does (DOMAIN.md deadline table). */
export function supervisionDeadlinePassed(
  state: TransferState,
  step: 'supervision_report' | 'rectification' | 'extension_window',
  nowMs: number,
  pack: PolicyPack,
): Outcome {
  const sup = state.supervision!;
  const at = new Date(nowMs).toISOString();
  const system = { by: 'system', role: 'system' as const };
  switch (step) {
    case 'supervision_report': {
      const warning: SupervisionAction = {
        kind: 'warning',
        by: 'system',
        at,
        reason: `no supervision report for the period ending ${sup.periodEnd}`,
        automatic: true,
      };
      const next = nextPeriod(state, nowMs, pack);
      return record(
        state,
        nowMs,
        { ...system, action: 'deadline.supervision_report', reason: warning.reason },
        { ...next, supervision: { ...next.supervision!, actions: [...sup.actions, warning] } },
      );
    }
    case 'rectification':
      return suspend(
        state,
        nowMs,
        pack,
        { ...system, action: 'deadline.rectification', reason: 'rectification not accepted by its deadline' },
        {
          kind: 'suspend',
          by: 'system',
          at,
          reason: 'rectification deadline missed',
          automatic: true,
        },
      );
    case 'extension_window':
      return record(
        state,
        nowMs,
        { ...system, action: 'deadline.expiry', reason: `validity ended ${state.validity?.until}` },
        { status: 'expired', deadlines: [], change: null, extension: null },
      );
  }
}

export function supervisionAwaiting(state: TransferState): { role: Role; action: string }[] | undefined {
  switch (state.status) {
    case 'active':
      return [{ role: 'applicant', action: 'report' }];
    case 'rectification_ordered':
      return state.supervision?.rectification?.responses.length
        ? [{ role: 'reviewer', action: 'rectification-decision' }]
        : [{ role: 'applicant', action: 'respond-rectification' }];
    case 'suspended':
      return [{ role: 'reviewer', action: 'supervise' }];
    case 'change_review':
      return state.change?.risk ? [{ role: 'reviewer', action: 'change-decision' }] : [];
    case 'extension_requested':
      return [{ role: 'reviewer', action: 'extension-decision' }];
    default:
      return undefined;
  }
}
