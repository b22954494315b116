/**
 * Agreement signing and filing (签订协议与备案): the rendered agreement is signed by the recipient (who also
 * acknowledges any conditions), countersigned by the applicant, filed, and accepted with a filing number.
 */
import type { Actor } from '../authz';
import { addMonths, dateOf, localDay } from '../calendar';
import { startDeadline } from '../deadlines';
import type { Role } from '../lifecycle';
import type { PolicyPack } from '../policy';
import { startSupervision, validityWindow } from './supervision';
import { record, refuse, withoutDeadline, type Outcome, type TransferState } from '../transfer-state';

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
  | { type: 'countersign'; actor: Actor }
  | { type: 'file'; actor: Actor; effectiveDate: string }
  | { type: 'filing_decision'; actor: Actor; decision: 'accept' | 'return'; reason?: string }
  | { type: 'filing_number_issued'; filingNumber: string };

const FILING_NUMBER = /^XB-\d{4}-\d{6}$/;

/** Validity: 3 years (policy) from approval, or a standard contract's declared term. */
export function validityFor(
  state: TransferState,
  pack: PolicyPack,
): { from: string; until: string; extensionWindowOpensAt: string } {
  const from = Date.parse(state.approvedAt ?? state.updatedAt);
  const months =
    state.route?.route === 'standard_contract' && state.application.contractTermMonths
      ? state.application.contractTermMonths
      : pack.validityYears * 12;
  return validityWindow(new Date(from).toISOString(), addMonths(from, months, pack.calendar).dueAt, pack);
}

export function agreementCommands(
  state: TransferState,
  command: AgreementCommand,
  nowMs: number,
  pack: PolicyPack,
): Outcome {
  const today = dateOf(localDay(nowMs, pack.calendar));
  switch (command.type) {
    case 'agreement_rendered':
      if (state.status !== 'awaiting_signature' || state.agreement)
        return refuse('conflict', 'the agreement is rendered once, on approval');
      return {
        ok: true,
        state: {
          ...state,
          agreement: { documentId: command.documentId, digest: command.digest },
          updatedAt: new Date(nowMs).toISOString(),
        },
      };

    case 'sign': {
      const a = state.agreement;
      if (!a) return refuse('conflict', 'the agreement is still being rendered; retry in a moment');
      if (a.signedDocumentId) return refuse('conflict', 'the agreement is signed already');
      const approvedOn = dateOf(localDay(Date.parse(state.approvedAt!), pack.calendar));
      if (command.signedAt > today || command.signedAt < approvedOn) {
        return refuse(
          'validation',
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
    }

    case 'acknowledge_conditions': {
      const open = state.conditions.filter((c) => !c.acknowledgedAt);
      if (open.length === 0) return refuse('conflict', 'there are no conditions awaiting acknowledgement');
      const at = new Date(nowMs).toISOString();
      return record(
        state,
        nowMs,
        {
          action: 'acknowledge_conditions',
          by: command.actor.sub,
          role: command.actor.role,
          details: { conditions: open.map((c) => c.id) },
        },
        {
          conditions: state.conditions.map((c) => (c.acknowledgedAt ? c : { ...c, acknowledgedAt: at })),
        },
      );
    }

    case 'countersign': {
      if (!state.agreement?.signedDocumentId) return refuse('conflict', 'the recipient has not signed yet');
      if (state.conditions.some((c) => !c.acknowledgedAt))
        return refuse('conflict', 'the recipient has not acknowledged the conditions yet');
      const at = new Date(nowMs).toISOString();
      return record(
        state,
        nowMs,
        { action: 'countersign', by: command.actor.sub, role: command.actor.role },
        {
          status: 'filing_review',
          agreement: { ...state.agreement, countersignedAt: at, countersignedBy: command.actor.sub },
          filing: { returns: [] },
          deadlines: [...withoutDeadline(state, 'signature'), startDeadline('filing', nowMs, pack)],
        },
      );
    }

    case 'file': {
      if (state.filing?.filedAt && state.status === 'filing_review')
        return refuse('conflict', 'filed already; the reviewer decides');
      const signedOn = state.agreement?.signedAt ?? today;
      if (command.effectiveDate > today || command.effectiveDate < signedOn) {
        return refuse(
          'validation',
          `effectiveDate must lie between the signature (${signedOn}) and today (${today})`,
          [{ pointer: '/effectiveDate', detail: 'out of range' }],
        );
      }
      const at = new Date(nowMs).toISOString();
      return record(
        state,
        nowMs,
        {
          action: 'file',
          by: command.actor.sub,
          role: command.actor.role,
          details: { effectiveDate: command.effectiveDate },
        },
        {
          status: 'filing_review',
          filing: { returns: state.filing?.returns ?? [], effectiveDate: command.effectiveDate, filedAt: at },
          deadlines: [
            ...state.deadlines.filter((d) => d.step !== 'filing' && d.step !== 'filing_resubmission'),
            startDeadline('filing_check', nowMs, pack),
          ],
        },
      );
    }

    case 'filing_decision': {
      if (!state.filing?.filedAt) return refuse('conflict', 'nothing is filed yet');
      if (state.filingNumber || state.decisions.some((d) => d.action === 'filing_decision.accept'))
        return refuse('conflict', 'the filing is accepted already');
      if (command.decision === 'return') {
        if (!command.reason?.trim())
          return refuse('validation', 'a return needs reasons', [{ pointer: '/reason', detail: 'required' }]);
        const at = new Date(nowMs).toISOString();
        return record(
          state,
          nowMs,
          {
            action: 'filing_decision.return',
            by: command.actor.sub,
            role: command.actor.role,
            reason: command.reason,
          },
          {
            status: 'filing_returned',
            filing: {
              ...state.filing,
              filedAt: undefined,
              returns: [...state.filing.returns, { at, by: command.actor.sub, reason: command.reason }],
            },
            deadlines: [
              ...withoutDeadline(state, 'filing_check'),
              startDeadline('filing_resubmission', nowMs, pack),
            ],
          },
        );
      }
      return record(
        state,
        nowMs,
        {
          action: 'filing_decision.accept',
          by: command.actor.sub,
          role: command.actor.role,
          reason: command.reason,
        },
        {
          deadlines: withoutDeadline(state, 'filing_check'),
        },
      );
    }

    case 'filing_number_issued': {
      if (!state.decisions.some((d) => d.action === 'filing_decision.accept') || state.filingNumber)
        return refuse('conflict', 'no accepted filing awaits a number');
      if (!FILING_NUMBER.test(command.filingNumber))
        return refuse('validation', `a filing number looks like XB-2026-000001, not ${command.filingNumber}`);
      const validity = validityFor(state, pack);
      return record(
        state,
        nowMs,
        {
          action: 'filing_number_issued',
          by: 'system',
          role: 'system',
          details: { filingNumber: command.filingNumber },
        },
        {
          status: 'active',
          filingNumber: command.filingNumber,
          validity,
          ...startSupervision(state, validity, nowMs, pack),
        },
      );
    }
  }
}

export function agreementAwaiting(state: TransferState): { role: Role; action: string }[] | undefined {
  switch (state.status) {
    case 'awaiting_signature': {
      if (!state.agreement) return [];
      const out: { role: Role; action: string }[] = [];
      if (!state.agreement.signedDocumentId) out.push({ role: 'recipient', action: 'sign' });
      if (state.conditions.some((c) => !c.acknowledgedAt))
        out.push({ role: 'recipient', action: 'acknowledge-conditions' });
      return out.length ? out : [{ role: 'applicant', action: 'countersign' }];
    }
    case 'filing_review':
      if (state.filingNumber || state.decisions.some((d) => d.action === 'filing_decision.accept')) return [];
      return state.filing?.filedAt
        ? [{ role: 'reviewer', action: 'filing-decision' }]
        : [{ role: 'applicant', action: 'file' }];
    case 'filing_returned':
      return [{ role: 'applicant', action: 'file' }];
    default:
      return undefined;
  }
}
