/**
 * State as facts (REVIEW §6.5): what behaviour depends on is a typed field, not a scan of the decisions by their
 * spelling; a state carried over from older code gets the fields from its decisions.
 */
import {
  awaiting,
  decide,
  isDeadlineConsequence,
  needsFilingNumber,
  upgradeState,
  type CarriedState,
  type TransferState,
} from '../../domain/transfer';
import { applicant, reviewer } from '../fixtures';
import { active, filed, outcome, pack, rob, rosa, run, scored, t0 } from './machine';

/** What an older version of the engine carried over: no derived fields, no decision kinds. */
function asCarried(state: TransferState): CarriedState {
  const { riskDeciders: _r, changesAccepted: _c, ...rest } = state;
  return {
    ...rest,
    decisions: state.decisions.map(({ kind: _k, ...d }) => d),
    filing: state.filing ? (({ acceptedAt: _a, ...f }) => f)(state.filing) : null,
  };
}

const changeAccepted = (s: TransferState, kind: 'retention' | 'recipient') =>
  run(s, [
    {
      type: 'report_change',
      actor: applicant,
      changes: [{ kind, description: 'changed' }],
      application: { transfer: { retentionDays: 30 } },
    },
    { type: 'change_scored', risk: { ...s.risk!, gates: [] } },
    { type: 'change_decision', actor: rob, decision: 'accept', reason: 'fine' },
  ]);

describe('the filing', () => {
  test('an accepted filing is a fact with its instant; it needs a number until one is issued', () => {
    const f = filed();
    expect(needsFilingNumber(f)).toBe(false);
    const accepted = run(f, [{ type: 'filing_decision', actor: rob, decision: 'accept' }]);
    expect(accepted.filing?.acceptedAt).toBe(new Date(t0).toISOString());
    expect(needsFilingNumber(accepted)).toBe(true);
    expect(awaiting(accepted)).toEqual([]);
    expect(outcome(accepted, { type: 'withdraw', actor: applicant, reason: 'late' })).toBe('wrong-phase');
    const numbered = run(accepted, [{ type: 'filing_number_issued', filingNumber: 'XB-2026-000001' }]);
    expect(needsFilingNumber(numbered)).toBe(false);
    expect(numbered.status).toBe('active');
  });
});

describe('risk deciders and accepted changes are fields', () => {
  test('everyone who made a risk decision is listed once, and none of them decides the re-review', () => {
    const s = run(scored('critical'), [
      { type: 'risk_decision', actor: rob, decision: 'approve_with_conditions', conditions: ['audit'] },
    ]);
    expect(s.riskDeciders).toEqual(['rob']);
    const notPassed = run(s, [
      { type: 'risk_decision', actor: rosa, decision: 'not_passed', reason: 'no' },
      { type: 'request_re_review', actor: applicant, reason: 'please' },
    ]);
    expect(notPassed.riskDeciders).toEqual(['rob', 'rosa']);
    const reReview = (by: typeof rob) =>
      outcome(notPassed, { type: 're_review_decision', actor: by, decision: 'reject', reason: 'final' });
    expect(reReview(rob)).toBe('separation-of-duties');
    expect(reReview(rosa)).toBe('separation-of-duties');
    expect(reReview(reviewer)).toBe('separation-of-duties');
    expect(reReview({ sub: 'ruth', role: 'reviewer', org: 'regulator' })).toBe('ok');
  });

  test('an accepted change is recorded with its kinds; a change of parties makes an extension ineligible', () => {
    const retention = changeAccepted(active(), 'retention');
    expect(retention.changesAccepted).toEqual([
      { at: new Date(t0).toISOString(), by: 'rob', kinds: ['retention'] },
    ]);
    const parties = changeAccepted(active(), 'recipient');
    const windowOpen = Date.parse(parties.validity!.extensionWindowOpensAt) + 86_400_000;
    const asked = (s: TransferState) =>
      run(s, [{ type: 'request_extension', actor: applicant, expectedIndividuals: 250_000 }], windowOpen)
        .extension!.eligibility;
    expect(asked(retention).samePurposeScopeParties).toBe(true);
    expect(asked(parties).samePurposeScopeParties).toBe(false);
  });
});

describe('deadline consequences are typed', () => {
  test('a decision a passing deadline made is one; a person’s decision is not', () => {
    const s = run(scored('low'), [
      { type: 'risk_decision', actor: rob, decision: 'not_passed', reason: 'no' },
    ]);
    const due = Date.parse(s.deadlines.find((d) => d.step === 're_review_request')!.dueAt!);
    const rejected = run(s, [{ type: 'deadline_passed', step: 're_review_request' }], due);
    expect(rejected.status).toBe('rejected');
    expect(rejected.decisions.map(isDeadlineConsequence)).toEqual([...s.decisions.map(() => false), true]);
    expect(rejected.decisions.at(-1)).toMatchObject({ kind: 'deadline', role: 'system' });
  });
});

describe('upgradeState: a state carried over from older code', () => {
  test('gets every derived field back from its decisions', () => {
    const s = changeAccepted(active(), 'recipient');
    const due = Date.parse(s.deadlines.find((d) => d.step === 'supervision_report')!.dueAt!);
    const warned = run(s, [{ type: 'deadline_passed', step: 'supervision_report' }], due);
    const old = asCarried(warned);
    expect(old).not.toHaveProperty('riskDeciders');
    expect(upgradeState(old)).toEqual(warned);
  });

  test('a calendar recount (deadline.recomputed) is no deadline consequence', () => {
    const s = asCarried(active());
    const recount = { action: 'deadline.recomputed', by: 'system', role: 'system' as const, at: s.updatedAt };
    const upgraded = upgradeState({ ...s, decisions: [...s.decisions, recount] });
    expect(isDeadlineConsequence(upgraded.decisions.at(-1)!)).toBe(false);
  });

  test('an upgraded state is returned as it is', () => {
    const s = active();
    expect(upgradeState(s)).toBe(s);
  });

  test('decide upgrades what it is given: the rules read the fields, not the carried decisions', () => {
    const notPassed = asCarried(
      run(scored('medium'), [
        { type: 'risk_decision', actor: rob, decision: 'not_passed', reason: 'no' },
        { type: 'request_re_review', actor: applicant, reason: 'please' },
      ]),
    ) as TransferState;
    const out = decide(
      notPassed,
      { type: 're_review_decision', actor: rob, decision: 'reject', reason: 'x' },
      t0,
      pack,
    );
    expect(out.ok ? 'ok' : out.refusal.kind).toBe('separation-of-duties');
  });
});
