/**
 * Agreement signing (签订协议, DOMAIN.md step 5, first half): the engine renders the agreement on approval, the
 * recipient signs it and acknowledges any conditions, the applicant countersigns — all within 30 calendar days,
 * or the approval lapses. Countersigning opens the filing.
 */
import type { Actor } from '../authz';
import { dateOf, localDay } from '../calendar';
import { startDeadline } from '../deadlines';
import { record, refuse, withoutDeadline } from '../transfer-state';
import {
  isoAt,
  system,
  type Awaited,
  type DeadlineConsequence,
  type Handler,
  type PhaseRules,
} from './types';

export type AgreementCommand =
  | { type: 'agreement_rendered'; documentId: string; digest: string }
  | {
      type: 'sign';
      actor: Actor;
      documentId: string;
      signerName: string;
      signerTitle: string;
      signedAt: string;
    }
  | { type: 'acknowledge_conditions'; actor: Actor }
  | { type: 'countersign'; actor: Actor };

type On<T extends AgreementCommand['type']> = Handler<Extract<AgreementCommand, { type: T }>>;

const agreementRendered: On<'agreement_rendered'> = (state, command, nowMs) => {
  if (state.status !== 'awaiting_signature' || state.agreement)
    return refuse('conflict', 'the agreement is rendered once, on approval');
  return {
    ok: true,
    state: {
      ...state,
      agreement: { documentId: command.documentId, digest: command.digest },
      updatedAt: isoAt(nowMs),
    },
  };
};

const sign: On<'sign'> = (state, command, nowMs, pack) => {
  const a = state.agreement;
  if (!a) return refuse('conflict', 'the agreement is still being rendered; retry in a moment');
  if (a.signedDocumentId) return refuse('conflict', 'the agreement is signed already');
  const today = dateOf(localDay(nowMs, pack.calendar));
  const approvedOn = dateOf(localDay(Date.parse(state.approvedAt!), pack.calendar));
  if (command.signedAt > today || command.signedAt < approvedOn) {
    return refuse(
      'rule-violation',
      `signedAt must lie between the approval (${approvedOn}) and today (${today})`,
      [{ pointer: '/signedAt', detail: 'out of range' }],
    );
  }
  return record(
    state,
    nowMs,
    {
      action: 'sign',
      by: command.actor.sub,
      role: command.actor.role,
      details: { documentId: command.documentId },
    },
    {
      agreement: {
        ...a,
        signedDocumentId: command.documentId,
        signer: command.signerName,
        signerTitle: command.signerTitle,
        signedAt: command.signedAt,
      },
    },
  );
};

const acknowledgeConditions: On<'acknowledge_conditions'> = (state, command, nowMs) => {
  const open = state.conditions.filter((c) => !c.acknowledgedAt);
  if (open.length === 0) return refuse('conflict', 'there are no conditions awaiting acknowledgement');
  const at = isoAt(nowMs);
  return record(
    state,
    nowMs,
    {
      action: 'acknowledge_conditions',
      by: command.actor.sub,
      role: command.actor.role,
      details: { conditions: open.map((c) => c.id) },
    },
    { conditions: state.conditions.map((c) => (c.acknowledgedAt ? c : { ...c, acknowledgedAt: at })) },
  );
};

const countersign: On<'countersign'> = (state, command, nowMs, pack) => {
  if (!state.agreement?.signedDocumentId) return refuse('conflict', 'the recipient has not signed yet');
  if (state.conditions.some((c) => !c.acknowledgedAt))
    return refuse('conflict', 'the recipient has not acknowledged the conditions yet');
  return record(
    state,
    nowMs,
    { action: 'countersign', by: command.actor.sub, role: command.actor.role },
    {
      status: 'filing_review',
      agreement: { ...state.agreement, countersignedAt: isoAt(nowMs), countersignedBy: command.actor.sub },
      filing: { returns: [] },
      deadlines: [...withoutDeadline(state, 'signature'), startDeadline('filing', nowMs, pack)],
    },
  );
};

const notSignedInTime: DeadlineConsequence = (state, _deadline, nowMs) =>
  record(
    state,
    nowMs,
    {
      ...system,
      action: 'deadline.signature',
      reason: 'the agreement was not signed and countersigned in time',
    },
    { status: 'lapsed', deadlines: [] },
  );

export const agreementPhase: PhaseRules<AgreementCommand> = {
  commands: {
    agreement_rendered: agreementRendered,
    sign,
    acknowledge_conditions: acknowledgeConditions,
    countersign,
  },
  awaiting: {
    awaiting_signature: (state) => {
      if (!state.agreement) return [];
      const out: Awaited[] = [];
      if (!state.agreement.signedDocumentId) out.push({ role: 'recipient', action: 'sign' });
      if (state.conditions.some((c) => !c.acknowledgedAt))
        out.push({ role: 'recipient', action: 'acknowledge-conditions' });
      return out.length ? out : [{ role: 'applicant', action: 'countersign' }];
    },
  },
  deadlines: { signature: notSignedInTime },
};
