/**
 * Supervisory measures (监管措施, DOMAIN.md step 6): the reviewer warns, schedules an interview, records a fine,
 * orders rectification with a deadline (missed → suspended), suspends (transfers must stop), resumes or revokes;
 * the applicant answers a rectification order and the reviewer accepts or rejects the answer.
 */
import type { Actor } from '../authz';
import { dateOf, localDay } from '../calendar';
import { deadlineAt, startDeadline } from '../deadlines';
import type { Role } from '../lifecycle';
import type { PolicyPack } from '../policy';
import {
  record,
  refuse,
  withoutDeadline,
  type Outcome,
  type SupervisionAction,
  type TransferState,
} from '../transfer-state';
import { underSupervision } from './supervision';
import { isoAt, system, type DeadlineConsequence, type Handler, type PhaseRules } from './types';

export type MeasureCommand =
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
  | { type: 'rectification_decision'; actor: Actor; decision: 'accept' | 'reject'; reason: string };

type On<T extends MeasureCommand['type']> = Handler<Extract<MeasureCommand, { type: T }>>;
type Supervise = Extract<MeasureCommand, { type: 'supervise' }>;
type DecisionInput = { action: string; by: string; role: Role | 'system'; reason: string };

/** Suspend: transfers must stop; open change and extension requests end; the reviewer has a month to resolve. */
export function suspend(
  state: TransferState,
  nowMs: number,
  pack: PolicyPack,
  decision: DecisionInput,
  action: SupervisionAction,
): Outcome {
  const sup = state.supervision!;
  return record(state, nowMs, decision, {
    status: 'suspended',
    supervision: { ...sup, actions: [...sup.actions, action], suspendedAt: isoAt(nowMs) },
    change: null,
    extension: null,
    deadlines: [
      ...state.deadlines.filter((d) => d.step !== 'rectification' && d.step !== 'suspension_unresolved'),
      startDeadline('suspension_unresolved', nowMs, pack),
    ],
  });
}

type Measure = (state: TransferState, c: Supervise, nowMs: number, pack: PolicyPack) => Outcome;

/** The decision and the supervision action a measure records. */
function measureOf(c: Supervise, nowMs: number): { decision: DecisionInput; action: SupervisionAction } {
  return {
    decision: { action: `supervise.${c.kind}`, by: c.actor.sub, role: c.actor.role, reason: c.reason },
    action: { kind: c.kind, by: c.actor.sub, at: isoAt(nowMs), reason: c.reason },
  };
}

/** Record a measure that adds a supervision action and changes nothing else. */
function recordMeasure(
  state: TransferState,
  c: Supervise,
  nowMs: number,
  extra: Partial<SupervisionAction>,
  details?: Record<string, unknown>,
): Outcome {
  const sup = state.supervision!;
  const { decision, action } = measureOf(c, nowMs);
  return record(state, nowMs, details ? { ...decision, details } : decision, {
    supervision: { ...sup, actions: [...sup.actions, { ...action, ...extra }] },
  });
}

const rectificationOrder: Measure = (state, c, nowMs, pack) => {
  if (state.status !== 'active')
    return refuse(
      'wrong-phase',
      `rectification is ordered on an active transfer, not one that is ${state.status}`,
    );
  const today = dateOf(localDay(nowMs, pack.calendar));
  if (!c.deadline || !/^\d{4}-\d{2}-\d{2}$/.test(c.deadline))
    return refuse('validation', 'a rectification order sets a deadline date', [
      { pointer: '/deadline', detail: 'YYYY-MM-DD' },
    ]);
  // a well-formed date on the wrong side of today: a rule about the present, not the request's shape
  if (c.deadline <= today) {
    return refuse('rule-violation', 'a rectification order sets a deadline date after today', [
      { pointer: '/deadline', detail: 'YYYY-MM-DD after today' },
    ]);
  }
  // 24:00 Asia/Shanghai at the end of the deadline date
  const endOfDay =
    Date.parse(`${c.deadline}T00:00:00Z`) + 86_400_000 - pack.calendar.utcOffsetMinutes * 60_000;
  const deadline = deadlineAt('rectification', endOfDay, nowMs, pack);
  const sup = state.supervision!;
  const { decision, action } = measureOf(c, nowMs);
  return record(
    state,
    nowMs,
    { ...decision, details: { deadline: c.deadline } },
    {
      status: 'rectification_ordered',
      supervision: {
        ...sup,
        actions: [...sup.actions, { ...action, deadline: c.deadline }],
        rectification: { orderedAt: action.at, deadline: deadline.dueAt!, responses: [] },
      },
      deadlines: [...withoutDeadline(state, 'rectification'), deadline],
    },
  );
};

const measures: Record<SupervisionAction['kind'], Measure> = {
  warning: (state, c, nowMs) => recordMeasure(state, c, nowMs, {}),
  interview: (state, c, nowMs) => {
    if (!c.scheduledAt || Number.isNaN(Date.parse(c.scheduledAt)))
      return refuse('validation', 'an interview needs scheduledAt', [
        { pointer: '/scheduledAt', detail: 'an ISO instant' },
      ]);
    return recordMeasure(state, c, nowMs, { scheduledAt: c.scheduledAt }, { scheduledAt: c.scheduledAt });
  },
  fine: (state, c, nowMs) => {
    if (!c.amount || !(c.amount.amount > 0))
      return refuse('validation', 'a fine needs an amount', [
        { pointer: '/amount', detail: '{amount > 0, currency}' },
      ]);
    return recordMeasure(state, c, nowMs, { amount: c.amount }, { amount: c.amount });
  },
  rectification_order: rectificationOrder,
  suspend: (state, c, nowMs, pack) => {
    if (state.status === 'suspended') return refuse('wrong-phase', 'suspended already');
    const { decision, action } = measureOf(c, nowMs);
    return suspend(state, nowMs, pack, decision, action);
  },
  resume: (state, c, nowMs) => {
    if (state.status !== 'suspended') return refuse('wrong-phase', 'only a suspended transfer resumes');
    const sup = state.supervision!;
    const { decision, action } = measureOf(c, nowMs);
    return record(state, nowMs, decision, {
      status: 'active',
      supervision: { ...sup, actions: [...sup.actions, action], suspendedAt: null, rectification: null },
      deadlines: state.deadlines.filter(
        (d) => d.step !== 'suspension_unresolved' && d.step !== 'rectification',
      ),
    });
  },
  revoke: (state, c, nowMs) => {
    const sup = state.supervision!;
    const { decision, action } = measureOf(c, nowMs);
    return record(state, nowMs, decision, {
      status: 'revoked',
      supervision: { ...sup, actions: [...sup.actions, action] },
      deadlines: [],
    });
  },
};

const supervise: On<'supervise'> = (state, c, nowMs, pack) => {
  if (!c.reason.trim())
    return refuse('validation', 'a supervisory measure needs a reason', [
      { pointer: '/reason', detail: 'required' },
    ]);
  return measures[c.kind](state, c, nowMs, pack);
};

const respondRectification: On<'respond_rectification'> = (state, c, nowMs) => {
  const sup = state.supervision!;
  if (!sup.rectification) return refuse('wrong-phase', 'no rectification was ordered');
  if (!c.text.trim())
    return refuse('validation', 'describe the rectification', [{ pointer: '/text', detail: 'required' }]);
  const response = { at: isoAt(nowMs), text: c.text, documentIds: c.documentIds ?? [] };
  const rectification = { ...sup.rectification, responses: [...sup.rectification.responses, response] };
  return record(
    state,
    nowMs,
    { action: 'respond_rectification', by: c.actor.sub, role: c.actor.role, reason: c.text },
    { supervision: { ...sup, rectification } },
  );
};

const rectificationDecision: On<'rectification_decision'> = (state, c, nowMs) => {
  const sup = state.supervision!;
  if (!sup.rectification?.responses.length) return refuse('conflict', 'the applicant has not responded yet');
  if (!c.reason.trim())
    return refuse('validation', 'a rectification decision needs a reason', [
      { pointer: '/reason', detail: 'required' },
    ]);
  const decision = {
    action: `rectification_decision.${c.decision}`,
    by: c.actor.sub,
    role: c.actor.role,
    reason: c.reason,
  };
  if (c.decision === 'reject') return record(state, nowMs, decision, {});
  return record(state, nowMs, decision, {
    status: 'active',
    supervision: { ...sup, rectification: null },
    deadlines: withoutDeadline(state, 'rectification'),
  });
};

const rectificationMissed: DeadlineConsequence = (state, _deadline, nowMs, pack) =>
  suspend(
    state,
    nowMs,
    pack,
    { ...system, action: 'deadline.rectification', reason: 'rectification not accepted by its deadline' },
    {
      kind: 'suspend',
      by: 'system',
      at: isoAt(nowMs),
      reason: 'rectification deadline missed',
      automatic: true,
    },
  );

export const measuresPhase: PhaseRules<MeasureCommand> = {
  commands: {
    supervise: underSupervision(supervise),
    respond_rectification: underSupervision(respondRectification),
    rectification_decision: underSupervision(rectificationDecision),
  },
  awaiting: {
    rectification_ordered: (state) =>
      state.supervision?.rectification?.responses.length
        ? [{ role: 'reviewer', action: 'rectification-decision' }]
        : [{ role: 'applicant', action: 'respond-rectification' }],
    suspended: () => [{ role: 'reviewer', action: 'supervise' }],
  },
  deadlines: { rectification: rectificationMissed },
};
