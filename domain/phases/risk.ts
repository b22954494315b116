/**
 * Risk assessment and decision (风险评估与决策, DOMAIN.md step 4), with re-review. Separation of duties lives
 * here: the workflow's validators ask these functions, so the rule is the last word.
 */
import type { Actor } from '../authz';
import { startDeadline } from '../deadlines';
import type { PolicyPack } from '../policy';
import type { RiskAssessment } from '../risk';
import {
  record,
  refuse,
  rulesVersionOf,
  withoutDeadline,
  type Outcome,
  type TransferState,
} from '../transfer-state';
import { isoAt, system, type DeadlineConsequence, type Handler, type PhaseRules } from './types';

export type RiskCommand =
  | { type: 'risk_scored'; risk: RiskAssessment }
  | {
      type: 'risk_decision';
      actor: Actor;
      decision: 'approve' | 'approve_with_conditions' | 'not_passed';
      conditions?: string[];
      reason?: string;
    }
  | { type: 'request_re_review'; actor: Actor; reason: string }
  | {
      type: 're_review_decision';
      actor: Actor;
      decision: 'approve' | 'approve_with_conditions' | 'reject';
      conditions?: string[];
      reason: string;
    };

type On<T extends RiskCommand['type']> = Handler<Extract<RiskCommand, { type: T }>>;

interface Approving {
  actor: Actor;
  decision: 'approve' | 'approve_with_conditions';
  conditions: string[];
  reason: string | undefined;
  /** the decision's action prefix: `risk_decision` or `re_review_decision` */
  action: string;
  /** distinct approvals the decision needs (the pack's rule for the stage and level) */
  needed: number;
}

/** Approve (first or final approval): move to signing with the conditions, or wait for a second approver. */
function approve(state: TransferState, a: Approving, nowMs: number, pack: PolicyPack): Outcome {
  const risk = state.risk!;
  if (risk.gates.length > 0) return refuse('rule-violation', `approval is blocked: ${risk.gates.join('; ')}`);
  if (a.decision === 'approve_with_conditions' && a.conditions.length === 0) {
    return refuse('validation', 'approve_with_conditions lists the conditions', [
      { pointer: '/conditions', detail: 'at least one condition' },
    ]);
  }
  if (
    risk.level !== 'low' &&
    a.decision === 'approve' &&
    state.approvals.every((x) => x.conditions.length === 0)
  ) {
    return refuse(
      'rule-violation',
      `a ${risk.level}-risk transfer needs documented extra measures: approve_with_conditions`,
    );
  }
  const at = isoAt(nowMs);
  const { actor, decision, conditions, reason } = a;
  const approvals = [...state.approvals, { by: actor.sub, at, decision, conditions, reason }];
  if (approvals.length < a.needed) {
    const first = {
      action: `${a.action}.first_approval`,
      by: actor.sub,
      role: actor.role,
      reason,
      details: { conditions },
    };
    return record(state, nowMs, first, { approvals });
  }
  const texts = [...new Set(approvals.flatMap((x) => x.conditions))];
  return record(
    state,
    nowMs,
    {
      action: `${a.action}.${decision}`,
      by: actor.sub,
      role: actor.role,
      reason,
      details: { conditions: texts, level: risk.level },
    },
    {
      status: 'awaiting_signature',
      approvals,
      approvedAt: at,
      conditions: texts.map((text, i) => ({ id: `c${i + 1}`, text })),
      deadlines: [
        ...state.deadlines.filter((d) => d.step !== 'substantive_review' && d.step !== 're_review_request'),
        startDeadline('signature', nowMs, pack),
      ],
    },
  );
}

/** Reviewers who took part in the decision a re-review reconsiders. */
export function involvedInDecision(state: TransferState): Set<string> {
  return new Set([...(state.review ? [state.review.by] : []), ...state.riskDeciders]);
}

/**
 * Separation of duties for the decision a transfer awaits (DOMAIN.md): who may not take it and why, how many
 * distinct approving reviewers it needs and who approved so far. The decisions below refuse by it, and the
 * Transfer view shows it (the console's "needs a second reviewer: not you"); null when no such decision is open.
 */
export interface SeparationOfDuties {
  action: 'risk_decision' | 're_review_decision';
  approvalsNeeded: number;
  approvedBy: string[];
  excluded: { sub: string; rule: 'substantive_reviewer' | 'approved_already' | 'took_part' }[];
}

export function separationOfDuties(state: TransferState, pack: PolicyPack): SeparationOfDuties | null {
  if (state.status === 'risk_assessment' && state.risk) return riskDecisionDuties(state, state.risk, pack);
  if (state.status === 're_review' && state.risk) return reReviewDuties(state, pack);
  return null;
}

function riskDecisionDuties(
  state: TransferState,
  risk: RiskAssessment,
  pack: PolicyPack,
): SeparationOfDuties {
  const fourEyes = risk.level === 'high' || risk.level === 'critical';
  return {
    action: 'risk_decision',
    approvalsNeeded: pack.approvers.riskDecision[risk.level],
    approvedBy: state.approvals.map((a) => a.by),
    excluded: [
      ...(fourEyes && state.review ? [{ sub: state.review.by, rule: 'substantive_reviewer' as const }] : []),
      ...state.approvals.map((a) => ({ sub: a.by, rule: 'approved_already' as const })),
    ],
  };
}

function reReviewDuties(state: TransferState, pack: PolicyPack): SeparationOfDuties {
  const tookPart = [...involvedInDecision(state)].map((sub) => ({ sub, rule: 'took_part' as const }));
  // rules 1: the re-review's result is final and one approval suffices, whatever the level
  if (rulesVersionOf(state) < 2)
    return { action: 're_review_decision', approvalsNeeded: 1, approvedBy: [], excluded: tookPart };
  return {
    action: 're_review_decision',
    approvalsNeeded: pack.approvers.reReview[state.risk!.level],
    approvedBy: state.approvals.map((a) => a.by),
    excluded: [
      ...tookPart,
      ...state.approvals
        .filter((a) => !tookPart.some((t) => t.sub === a.by))
        .map((a) => ({ sub: a.by, rule: 'approved_already' as const })),
    ],
  };
}

const riskScored: On<'risk_scored'> = (state, command, nowMs) => {
  if (state.status !== 'risk_assessment' || state.risk)
    return refuse('wrong-phase', 'risk is scored once, on entering risk assessment');
  return { ok: true, state: { ...state, risk: command.risk, updatedAt: isoAt(nowMs) } };
};

const riskDecision: On<'risk_decision'> = (state, command, nowMs, pack) => {
  const { actor } = command;
  const risk = state.risk;
  if (!risk) return refuse('conflict', 'the risk score is still being computed; retry in a moment');
  const barred = riskDecisionDuties(state, risk, pack).excluded.find((e) => e.sub === actor.sub);
  if (barred?.rule === 'substantive_reviewer') {
    return refuse(
      'separation-of-duties',
      `a ${risk.level}-risk decision is made by a reviewer other than the substantive reviewer (${actor.sub})`,
    );
  }
  if (barred) {
    return refuse(
      'separation-of-duties',
      'a critical-risk transfer needs two distinct approving reviewers; you approved already',
    );
  }
  const deciding = {
    ...state,
    riskDeciders: state.riskDeciders.includes(actor.sub)
      ? state.riskDeciders
      : [...state.riskDeciders, actor.sub],
  };
  if (command.decision !== 'not_passed') {
    const { decision, conditions = [], reason } = command;
    const needed = riskDecisionDuties(state, risk, pack).approvalsNeeded;
    return approve(
      deciding,
      { actor, decision, conditions, reason, action: 'risk_decision', needed },
      nowMs,
      pack,
    );
  }
  if (!command.reason?.trim())
    return refuse('validation', 'not_passed needs reasons', [{ pointer: '/reason', detail: 'required' }]);
  return record(
    deciding,
    nowMs,
    {
      action: 'risk_decision.not_passed',
      by: actor.sub,
      role: actor.role,
      reason: command.reason,
      details: { level: risk.level },
    },
    {
      status: 'not_passed',
      approvals: [],
      deadlines: [
        ...withoutDeadline(state, 'substantive_review'),
        startDeadline('re_review_request', nowMs, pack),
      ],
    },
  );
};

const requestReReview: On<'request_re_review'> = (state, command, nowMs) => {
  if (!command.reason.trim())
    return refuse('validation', 'a re-review request needs a reason', [
      { pointer: '/reason', detail: 'required' },
    ]);
  return record(
    state,
    nowMs,
    { action: 'request_re_review', by: command.actor.sub, role: command.actor.role, reason: command.reason },
    { status: 're_review', deadlines: withoutDeadline(state, 're_review_request') },
  );
};

const reReviewDecision: On<'re_review_decision'> = (state, command, nowMs, pack) => {
  const { actor } = command;
  const barred = reReviewDuties(state, pack).excluded.find((e) => e.sub === actor.sub);
  if (barred?.rule === 'took_part') {
    return refuse(
      'separation-of-duties',
      'a re-review is decided by a reviewer who took no part in the decision under re-review',
    );
  }
  if (!command.reason.trim())
    return refuse('validation', 'a re-review decision needs a reason', [
      { pointer: '/reason', detail: 'required' },
    ]);
  if (command.decision === 'reject') {
    return record(
      state,
      nowMs,
      { action: 're_review_decision.reject', by: actor.sub, role: actor.role, reason: command.reason },
      { status: 'rejected', deadlines: [] },
    );
  }
  const { decision, conditions = [], reason } = command;
  const approving = { actor, decision, conditions, reason, action: 're_review_decision' };
  if (rulesVersionOf(state) < 2) {
    // rules 1: the re-review's result is final and one approval suffices, whatever the level
    return approve({ ...state, approvals: [] }, { ...approving, needed: 1 }, nowMs, pack);
  }
  if (barred) {
    return refuse(
      'separation-of-duties',
      'this re-review needs distinct approving reviewers; you approved already',
    );
  }
  const needed = reReviewDuties(state, pack).approvalsNeeded;
  return approve(state, { ...approving, needed }, nowMs, pack);
};

const reReviewNotRequested: DeadlineConsequence = (state, _deadline, nowMs) =>
  record(
    state,
    nowMs,
    {
      ...system,
      action: 'deadline.re_review_request',
      reason: 'no re-review requested in time: the not-passed decision stands',
    },
    { status: 'rejected', deadlines: [] },
  );

export const riskPhase: PhaseRules<RiskCommand> = {
  commands: {
    risk_scored: riskScored,
    risk_decision: riskDecision,
    request_re_review: requestReReview,
    re_review_decision: reReviewDecision,
  },
  awaiting: {
    risk_assessment: (state) => (state.risk ? [{ role: 'reviewer', action: 'risk-decision' }] : []),
    not_passed: () => [{ role: 'applicant', action: 'request-re-review' }],
    re_review: () => [{ role: 'reviewer', action: 're-review-decision' }],
  },
  deadlines: { re_review_request: reReviewNotRequested },
};
