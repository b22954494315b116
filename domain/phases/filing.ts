/**
 * Filing (备案, DOMAIN.md step 5, second half): the applicant files the signed agreement with its effective date;
 * the reviewer accepts (a filing number is issued, and the transfer becomes active under supervision) or returns
 * it with reasons (resubmission within 10 WD, or the case is terminated).
 */
import type { Actor } from '../authz';
import { addMonths, dateOf, localDay } from '../calendar';
import { startDeadline } from '../deadlines';
import type { PolicyPack } from '../policy';
import {
  needsFilingNumber,
  record,
  refuse,
  withoutDeadline,
  type TransferState,
  type Validity,
} from '../transfer-state';
import { validityWindow } from './extension';
import { startSupervision } from './supervision';
import { isoAt, system, type DeadlineConsequence, type Handler, type PhaseRules } from './types';

export type FilingCommand =
  | { type: 'file'; actor: Actor; effectiveDate: string }
  | { type: 'filing_decision'; actor: Actor; decision: 'accept' | 'return'; reason?: string }
  | { type: 'filing_number_issued'; filingNumber: string };

type On<T extends FilingCommand['type']> = Handler<Extract<FilingCommand, { type: T }>>;

const FILING_NUMBER = /^XB-\d{4}-\d{6}$/;

/** Validity: 3 years (policy) from approval, or a standard contract's declared term. */
export function validityFor(state: TransferState, pack: PolicyPack): Validity {
  const from = Date.parse(state.approvedAt ?? state.updatedAt);
  const months =
    state.route?.route === 'standard_contract' && state.application.contractTermMonths
      ? state.application.contractTermMonths
      : pack.validityYears * 12;
  return validityWindow(new Date(from).toISOString(), addMonths(from, months, pack.calendar).dueAt, pack);
}

const filingAccepted = (state: TransferState): boolean => !!state.filing?.acceptedAt;

const file: On<'file'> = (state, command, nowMs, pack) => {
  if (state.filing?.filedAt && state.status === 'filing_review')
    return refuse('conflict', 'filed already; the reviewer decides');
  const today = dateOf(localDay(nowMs, pack.calendar));
  const signedOn = state.agreement?.signedAt ?? today;
  if (command.effectiveDate > today || command.effectiveDate < signedOn) {
    return refuse(
      'rule-violation',
      `effectiveDate must lie between the signature (${signedOn}) and today (${today})`,
      [{ pointer: '/effectiveDate', detail: 'out of range' }],
    );
  }
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
      filing: {
        returns: state.filing?.returns ?? [],
        effectiveDate: command.effectiveDate,
        filedAt: isoAt(nowMs),
      },
      deadlines: [
        ...state.deadlines.filter((d) => d.step !== 'filing' && d.step !== 'filing_resubmission'),
        startDeadline('filing_check', nowMs, pack),
      ],
    },
  );
};

const filingDecision: On<'filing_decision'> = (state, command, nowMs, pack) => {
  if (!state.filing?.filedAt) return refuse('conflict', 'nothing is filed yet');
  if (state.filingNumber || filingAccepted(state))
    return refuse('conflict', 'the filing is accepted already');
  const { actor, reason } = command;
  if (command.decision === 'accept') {
    return record(
      state,
      nowMs,
      { action: 'filing_decision.accept', by: actor.sub, role: actor.role, reason },
      {
        filing: { ...state.filing, acceptedAt: isoAt(nowMs) },
        deadlines: withoutDeadline(state, 'filing_check'),
      },
    );
  }
  if (!reason?.trim())
    return refuse('validation', 'a return needs reasons', [{ pointer: '/reason', detail: 'required' }]);
  return record(
    state,
    nowMs,
    { action: 'filing_decision.return', by: actor.sub, role: actor.role, reason },
    {
      status: 'filing_returned',
      filing: {
        ...state.filing,
        filedAt: undefined,
        returns: [...state.filing.returns, { at: isoAt(nowMs), by: actor.sub, reason }],
      },
      deadlines: [
        ...withoutDeadline(state, 'filing_check'),
        startDeadline('filing_resubmission', nowMs, pack),
      ],
    },
  );
};

const filingNumberIssued: On<'filing_number_issued'> = (state, command, nowMs, pack) => {
  if (!needsFilingNumber(state)) return refuse('conflict', 'no accepted filing awaits a number');
  if (!FILING_NUMBER.test(command.filingNumber))
    return refuse('validation', `a filing number looks like XB-2026-000001, not ${command.filingNumber}`);
  const validity = validityFor(state, pack);
  return record(
    state,
    nowMs,
    { ...system, action: 'filing_number_issued', details: { filingNumber: command.filingNumber } },
    {
      status: 'active',
      filingNumber: command.filingNumber,
      validity,
      ...startSupervision(state, validity, nowMs, pack),
    },
  );
};

const notResubmitted: DeadlineConsequence = (state, _deadline, nowMs) =>
  record(
    state,
    nowMs,
    {
      ...system,
      action: 'deadline.filing_resubmission',
      reason: 'the returned filing was not resubmitted in time',
    },
    { status: 'terminated', deadlines: [] },
  );

export const filingPhase: PhaseRules<FilingCommand> = {
  commands: { file, filing_decision: filingDecision, filing_number_issued: filingNumberIssued },
  awaiting: {
    filing_review: (state) => {
      if (state.filingNumber || filingAccepted(state)) return [];
      return state.filing?.filedAt
        ? [{ role: 'reviewer', action: 'filing-decision' }]
        : [{ role: 'applicant', action: 'file' }];
    },
    filing_returned: () => [{ role: 'applicant', action: 'file' }],
  },
  deadlines: { filing_resubmission: notResubmitted },
};
