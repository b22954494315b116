/**
 * Substantive review (审批条件审查, DOMAIN.md step 3): the reviewer assesses each checklist item of the pack
 * (a concern or fail needs a note), may ask for supplements (clock paused) or extend the period with a reason the
 * applicant sees. A completed review moves to risk assessment, where the transfer is scored.
 */
import type { Actor } from '../authz';
import { extendDeadline } from '../deadlines';
import { record, refuse, type Review } from '../transfer-state';
import { openSupplementRound, type SupplementItemRequest } from './completeness';
import { isoAt, type Handler, type PhaseRules } from './types';

export type ReviewCommand =
  | {
      type: 'review';
      actor: Actor;
      checklist: Review['checklist'];
      decision: 'complete' | 'request_supplement';
      items?: SupplementItemRequest[];
    }
  | { type: 'extend_review'; actor: Actor; workingDays: number; reason: string };

type On<T extends ReviewCommand['type']> = Handler<Extract<ReviewCommand, { type: T }>>;

/**
 * Field errors of a checklist: every expected item (the pack's, or eu-gdpr's items of the transfer's route) assessed
 * once, and a note for anything but a pass.
 */
export function checklistErrors(
  checklist: Review['checklist'],
  expected: readonly string[],
): { pointer: string; detail: string }[] {
  const given = checklist.map((c) => c.item);
  return [
    ...expected
      .filter((i) => !given.includes(i))
      .map((i) => ({ pointer: '/checklist', detail: `item ${i} is not assessed` })),
    ...given
      .filter((i, n) => !expected.includes(i) || given.indexOf(i) !== n)
      .map((i) => ({ pointer: '/checklist', detail: `item ${i} is unknown or repeated` })),
    ...checklist.flatMap((c, n) =>
      c.result !== 'pass' && !c.note?.trim()
        ? [{ pointer: `/checklist/${n}/note`, detail: `a ${c.result} needs a note` }]
        : [],
    ),
  ];
}

const review: On<'review'> = (state, command, nowMs, pack) => {
  const { actor } = command;
  if (command.decision === 'request_supplement')
    return openSupplementRound(state, actor, command.items, 'substantive_review', nowMs, pack);
  const errors = checklistErrors(
    command.checklist,
    pack.reviewChecklist.map((c) => c.item),
  );
  if (errors.length > 0)
    // the API checks the active pack's checklist; the transfer's own pack version has the last word
    return refuse(
      'rule-violation',
      `the checklist assesses each of: ${pack.reviewChecklist.map((c) => c.item).join(', ')}`,
      errors,
    );
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
      review: { by: actor.sub, at: isoAt(nowMs), checklist: command.checklist },
      risk: null,
    },
  );
};

const extendReview: On<'extend_review'> = (state, command, nowMs, pack) => {
  if (!command.reason.trim())
    return refuse('validation', 'an extension needs a reason the applicant sees', [
      { pointer: '/reason', detail: 'required' },
    ]);
  const clock = state.deadlines.find((d) => d.step === 'substantive_review');
  if (!clock) return refuse('wrong-phase', 'no review period is running');
  const extended = {
    ...extendDeadline(clock, command.workingDays, pack),
    extensions: [
      ...(clock.extensions ?? []),
      { workingDays: command.workingDays, reason: command.reason, by: command.actor.sub, at: isoAt(nowMs) },
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
    { deadlines: state.deadlines.map((d) => (d === clock ? extended : d)) },
  );
};

export const reviewPhase: PhaseRules<ReviewCommand> = {
  commands: { review, extend_review: extendReview },
  awaiting: {
    under_review: () => [{ role: 'reviewer', action: 'review' }],
  },
};
