/**
 * Substantive review (审批条件审查) and risk assessment and decision (风险评估与决策), with re-review.
 * Separation of duties lives here: the workflow's validators ask these functions, so the rule is the last word.
 */
import type { MaterialKind } from '../application';
import type { Actor } from '../authz';
import { extendDeadline, pauseDeadline, startDeadline } from '../deadlines';
import type { Role } from '../lifecycle';
import type { PolicyPack } from '../policy';
import type { RiskAssessment } from '../risk';
import { record, refuse, withoutDeadline, type Outcome, type TransferState } from '../transfer-state';

export type ApprovalCommand =
  | {
      type: 'review';
      actor: Actor;
      checklist: { item: string; result: 'pass' | 'concern' | 'fail'; note?: string }[];
      decision: 'complete' | 'request_supplement';
      items?: { material?: MaterialKind; field?: string; request: string }[];
    }
  | { type: 'extend_review'; actor: Actor; workingDays: number; reason: string }
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

/** Open a supplementation round: itemised, numbered, pausing the phase's reviewer clock. */
export function openSupplementRound(
  state: TransferState,
  actor: Actor,
  items: { material?: MaterialKind; field?: string; request: string }[] | undefined,
  phase: 'completeness' | 'substantive_review',
  nowMs: number,
  pack: PolicyPack,
  reason?: string,
): Outcome {
  const list = items ?? [];
  if (list.length === 0)
    return refuse('validation', 'a supplementation request lists at least one item', [
      { pointer: '/items', detail: 'at least one item' },
    ]);
  const bad = list.findIndex((i) => (i.material === undefined) === (i.field === undefined));
  if (bad >= 0)
    return refuse('validation', 'each item names either a material or a field', [
      { pointer: `/items/${bad}`, detail: 'exactly one of material, field' },
    ]);
  const round = state.supplementRequests.length + 1;
  const answerBy = startDeadline('supplement_answer', nowMs, pack);
  const clock = phase === 'completeness' ? 'completeness_decision' : 'substantive_review';
  return record(
    state,
    nowMs,
    {
      action: `${phase === 'completeness' ? 'completeness' : 'review'}.request_supplement`,
      by: actor.sub,
      role: actor.role,
      reason,
      details: { round },
    },
    {
      status: 'awaiting_supplement',
      supplementPhase: phase,
      deadlines: [
        ...state.deadlines.map((d) => (d.step === clock ? pauseDeadline(d, nowMs, pack) : d)),
        answerBy,
      ],
      supplementRequests: [
        ...state.supplementRequests,
        {
          round,
          phase,
          requestedBy: actor.sub,
          requestedAt: new Date(nowMs).toISOString(),
          items: list.map((i, n) => ({
            itemId: `r${round}-${n + 1}`,
            material: i.material,
            field: i.field,
            request: i.request,
          })),
          dueAt: answerBy.dueAt,
          status: 'open',
        },
      ],
    },
  );
}

/** Approve (first or final approval): move to signing with the conditions, or wait for a second approver. */
function approve(
  state: TransferState,
  actor: Actor,
  decision: 'approve' | 'approve_with_conditions',
  conditions: string[],
  reason: string | undefined,
  action: string,
  nowMs: number,
  pack: PolicyPack,
): Outcome {
  const risk = state.risk!;
  if (risk.gates.length > 0) return refuse('rule-violation', `approval is blocked: ${risk.gates.join('; ')}`);
  if (decision === 'approve_with_conditions' && conditions.length === 0) {
    return refuse('validation', 'approve_with_conditions lists the conditions', [
      { pointer: '/conditions', detail: 'at least one condition' },
    ]);
  }
  if (
    risk.level !== 'low' &&
    decision === 'approve' &&
    state.approvals.every((a) => a.conditions.length === 0)
  ) {
    return refuse(
      'rule-violation',
      `a ${risk.level}-risk transfer needs documented extra measures: approve_with_conditions`,
    );
  }
  const at = new Date(nowMs).toISOString();
  const approvals = [...state.approvals, { by: actor.sub, at, decision, conditions, reason }];
  const needed = risk.level === 'critical' ? 2 : 1;
  if (approvals.length < needed) {
    return record(
      state,
      nowMs,
      {
        action: `${action}.first_approval`,
        by: actor.sub,
        role: actor.role,
        reason,
        details: { conditions },
      },
      { approvals },
    );
  }
  const texts = [...new Set(approvals.flatMap((a) => a.conditions))];
  return record(
    state,
    nowMs,
    {
      action: `${action}.${decision}`,
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
  const who = new Set<string>();
  if (state.review) who.add(state.review.by);
  for (const d of state.decisions) if (d.action.startsWith('risk_decision')) who.add(d.by);
  return who;
}

export function approvalCommands(
  state: TransferState,
  command: ApprovalCommand,
  nowMs: number,
  pack: PolicyPack,
): Outcome {
  switch (command.type) {
    case 'review': {
      const { actor } = command;
      if (command.decision === 'request_supplement')
        return openSupplementRound(state, actor, command.items, 'substantive_review', nowMs, pack);
      const expected = pack.reviewChecklist.map((c) => c.item);
      const given = command.checklist.map((c) => c.item);
      const errors = [
        ...expected
          .filter((i) => !given.includes(i))
          .map((i) => ({ pointer: '/checklist', detail: `item ${i} is not assessed` })),
        ...given
          .filter((i, n) => !expected.includes(i) || given.indexOf(i) !== n)
          .map((i) => ({ pointer: '/checklist', detail: `item ${i} is unknown or repeated` })),
        ...command.checklist.flatMap((c, n) =>
          c.result !== 'pass' && !c.note?.trim()
            ? [{ pointer: `/checklist/${n}/note`, detail: `a ${c.result} needs a note` }]
            : [],
        ),
      ];
      if (errors.length > 0)
        return refuse('validation', `the checklist assesses each of: ${expected.join(', ')}`, errors);
      const at = new Date(nowMs).toISOString();
      return record(
        state,
        nowMs,
        {
          action: 'review.complete',
          by: actor.sub,
          role: actor.role,
          details: { results: command.checklist.map((c) => `${c.item}:${c.result}`) },
        },
        {
          status: 'risk_assessment',
          review: { by: actor.sub, at, checklist: command.checklist },
          risk: null,
        },
      );
    }

    case 'extend_review': {
      if (!command.reason.trim())
        return refuse('validation', 'an extension needs a reason the applicant sees', [
          { pointer: '/reason', detail: 'required' },
        ]);
      const clock = state.deadlines.find((d) => d.step === 'substantive_review');
      if (!clock) return refuse('wrong-phase', 'no review period is running');
      const at = new Date(nowMs).toISOString();
      const extended = {
        ...extendDeadline(clock, command.workingDays, pack),
        extensions: [
          ...(clock.extensions ?? []),
          { workingDays: command.workingDays, reason: command.reason, by: command.actor.sub, at },
        ],
      };
      return record(
        state,
        nowMs,
        {
          action: 'review.extend',
          by: command.actor.sub,
          role: command.actor.role,
          reason: command.reason,
          details: { workingDays: command.workingDays },
        },
        {
          deadlines: state.deadlines.map((d) => (d === clock ? extended : d)),
        },
      );
    }

    case 'risk_scored':
      if (state.status !== 'risk_assessment' || state.risk)
        return refuse('wrong-phase', 'risk is scored once, on entering risk assessment');
      return { ok: true, state: { ...state, risk: command.risk, updatedAt: new Date(nowMs).toISOString() } };

    case 'risk_decision': {
      const { actor } = command;
      const risk = state.risk;
      if (!risk) return refuse('conflict', 'the risk score is still being computed; retry in a moment');
      const fourEyes = risk.level === 'high' || risk.level === 'critical';
      if (fourEyes && state.review?.by === actor.sub) {
        return refuse(
          'separation-of-duties',
          `a ${risk.level}-risk decision is made by a reviewer other than the substantive reviewer (${actor.sub})`,
        );
      }
      if (state.approvals.some((a) => a.by === actor.sub)) {
        return refuse(
          'separation-of-duties',
          'a critical-risk transfer needs two distinct approving reviewers; you approved already',
        );
      }
      if (command.decision === 'not_passed') {
        if (!command.reason?.trim())
          return refuse('validation', 'not_passed needs reasons', [
            { pointer: '/reason', detail: 'required' },
          ]);
        return record(
          state,
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
      }
      return approve(
        state,
        actor,
        command.decision,
        command.conditions ?? [],
        command.reason,
        'risk_decision',
        nowMs,
        pack,
      );
    }

    case 'request_re_review':
      if (!command.reason.trim())
        return refuse('validation', 'a re-review request needs a reason', [
          { pointer: '/reason', detail: 'required' },
        ]);
      return record(
        state,
        nowMs,
        {
          action: 'request_re_review',
          by: command.actor.sub,
          role: command.actor.role,
          reason: command.reason,
        },
        {
          status: 're_review',
          deadlines: withoutDeadline(state, 're_review_request'),
        },
      );

    case 're_review_decision': {
      const { actor } = command;
      if (involvedInDecision(state).has(actor.sub)) {
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
      // The re-review's result is final: one approval suffices, whatever the level.
      const single = {
        ...state,
        risk:
          state.risk && state.risk.level === 'critical'
            ? { ...state.risk, level: 'high' as const }
            : state.risk,
        approvals: [],
      };
      const out = approve(
        single,
        actor,
        command.decision,
        command.conditions ?? [],
        command.reason,
        're_review_decision',
        nowMs,
        pack,
      );
      return out.ok ? { ok: true, state: { ...out.state, risk: state.risk } } : out;
    }
  }
}

export function approvalAwaiting(state: TransferState): { role: Role; action: string }[] | undefined {
  switch (state.status) {
    case 'under_review':
      return [{ role: 'reviewer', action: 'review' }];
    case 'risk_assessment':
      return state.risk ? [{ role: 'reviewer', action: 'risk-decision' }] : [];
    case 'not_passed':
      return [{ role: 'applicant', action: 'request-re-review' }];
    case 're_review':
      return [{ role: 'reviewer', action: 're-review-decision' }];
    default:
      return undefined;
  }
}
