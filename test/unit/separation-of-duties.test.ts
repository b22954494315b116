/** Separation of duties (DOMAIN.md "Actors"): each rule, allowed and refused, at the domain's last word. */
import type { Actor } from '../../domain/authz';
import { activePolicy } from '../../domain/policy';
import type { RiskAssessment } from '../../domain/risk';
import { decide, newTransfer, type Command, type TransferState } from '../../domain/transfer';
import { acmeReviewer, applicant, placeholderMaterials, reviewer, sampleApplication } from '../fixtures';
import * as machine from './machine';

const pack = activePolicy;
const t0 = Date.parse('2026-11-23T01:00:00Z');
const rob: Actor = { sub: 'rob', role: 'reviewer', org: 'regulator' };
const rosa: Actor = { sub: 'rosa', role: 'reviewer', org: 'audit-firm' };
const checklist = pack.reviewChecklist.map((c) => ({ item: c.item, result: 'pass' as const }));
const risk = (level: RiskAssessment['level']): RiskAssessment => ({
  score: 0,
  level,
  factors: [],
  gates: [],
  policy: { id: pack.id, version: pack.version },
});

function run(state: TransferState, ...commands: Command[]): TransferState {
  return commands.reduce((s, c) => {
    const out = decide(s, c, t0, pack);
    if (!out.ok) throw new Error(`${c.type}: ${out.refusal.kind} ${out.refusal.message}`);
    return out.state;
  }, state);
}
const kind = (state: TransferState, c: Command) => {
  const out = decide(state, c, t0, pack);
  return out.ok ? 'ok' : out.refusal.kind;
};

/** Reviewed by rita, scored at `level`. */
function scored(level: RiskAssessment['level']): TransferState {
  const draft = newTransfer({
    id: 't',
    application: sampleApplication({ materials: placeholderMaterials() }),
    createdBy: applicant,
    pack,
    nowMs: t0,
  });
  return run(
    draft,
    { type: 'submit', actor: applicant },
    { type: 'completeness', actor: reviewer, decision: 'accept' },
    { type: 'review', actor: reviewer, decision: 'complete', checklist },
    { type: 'risk_scored', risk: risk(level) },
  );
}
const approve = (actor: Actor): Command => ({
  type: 'risk_decision',
  actor,
  decision: 'approve_with_conditions',
  conditions: ['audit'],
});

describe('no reviewer decides on a transfer of its own organisation', () => {
  test('refused as if the transfer did not exist; another organisation’s reviewer may', () => {
    const s = run(
      newTransfer({
        id: 't',
        application: sampleApplication({ materials: placeholderMaterials() }),
        createdBy: applicant,
        pack,
        nowMs: t0,
      }),
      { type: 'submit', actor: applicant },
    );
    expect(kind(s, { type: 'completeness', actor: acmeReviewer, decision: 'accept' })).toBe('not-found');
    expect(kind(s, { type: 'completeness', actor: reviewer, decision: 'accept' })).toBe('ok');
  });
});

describe('high risk: the risk decision is made by someone other than the substantive reviewer', () => {
  test.each(['high', 'critical'] as const)('%s: the substantive reviewer is refused', (level) => {
    expect(kind(scored(level), approve(reviewer))).toBe('separation-of-duties');
  });
  test.each(['high', 'critical'] as const)('%s: another reviewer may decide', (level) => {
    expect(kind(scored(level), approve(rob))).toBe('ok');
  });
  test.each(['low', 'medium'] as const)('%s: the substantive reviewer may decide', (level) => {
    expect(kind(scored(level), approve(reviewer))).toBe('ok');
  });
  test('not_passed is a decision too: refused to the substantive reviewer on a high-risk transfer', () => {
    expect(
      kind(scored('high'), { type: 'risk_decision', actor: reviewer, decision: 'not_passed', reason: 'no' }),
    ).toBe('separation-of-duties');
  });
});

describe('critical: two distinct approving reviewers', () => {
  test('one approval waits for a second; the same reviewer cannot approve twice; a second reviewer completes it', () => {
    const first = run(scored('critical'), approve(rob));
    expect(first.status).toBe('risk_assessment');
    expect(first.approvals.map((a) => a.by)).toEqual(['rob']);
    expect(kind(first, approve(rob))).toBe('separation-of-duties');
    expect(kind(first, approve(reviewer))).toBe('separation-of-duties'); // the substantive reviewer
    const second = run(first, approve(rosa));
    expect(second.status).toBe('awaiting_signature');
    expect(second.approvals.map((a) => a.by)).toEqual(['rob', 'rosa']);
  });
  test('high needs one approval only', () => {
    expect(run(scored('high'), approve(rob)).status).toBe('awaiting_signature');
  });
});

describe('re-review by a reviewer who took no part in the decision under re-review', () => {
  const notPassed = () =>
    run(
      scored('medium'),
      { type: 'risk_decision', actor: rob, decision: 'not_passed', reason: 'no' },
      { type: 'request_re_review', actor: applicant, reason: 'please' },
    );
  const decideAs = (a: Actor): Command => ({
    type: 're_review_decision',
    actor: a,
    decision: 'reject',
    reason: 'final',
  });
  test('the one who decided is refused', () =>
    expect(kind(notPassed(), decideAs(rob))).toBe('separation-of-duties'));
  test('the substantive reviewer is refused', () =>
    expect(kind(notPassed(), decideAs(reviewer))).toBe('separation-of-duties'));
  test('an uninvolved reviewer may decide', () => expect(kind(notPassed(), decideAs(rosa))).toBe('ok'));
});

describe('decisions need reasons unless they are a plain accept', () => {
  test.each<[string, Command]>([
    ['refuse intake', { type: 'completeness', actor: reviewer, decision: 'refuse' }],
    ['not pass', { type: 'risk_decision', actor: rob, decision: 'not_passed' }],
  ])('%s without a reason is refused', (_name, c) => {
    const s =
      c.type === 'completeness'
        ? run(
            newTransfer({
              id: 't',
              application: sampleApplication({ materials: placeholderMaterials() }),
              createdBy: applicant,
              pack,
              nowMs: t0,
            }),
            { type: 'submit', actor: applicant },
          )
        : scored('low');
    expect(kind(s, c)).toBe('validation');
  });
});

describe('critical re-review: the pack’s approvers, not a level rewrite', () => {
  const ruth: Actor = { sub: 'ruth', role: 'reviewer', org: 'regulator' };
  /** critical, not passed by rob, re-review requested: rita (review) and rob are involved, rosa and ruth are not */
  const reReview = (rulesVersion?: number): TransferState =>
    machine.run(machine.scored('critical', machine.draft(rulesVersion)), [
      { type: 'risk_decision', actor: rob, decision: 'not_passed', reason: 'no' },
      { type: 'request_re_review', actor: applicant, reason: 'please' },
    ]);
  const approveAs = (a: Actor): Command => ({
    type: 're_review_decision',
    actor: a,
    decision: 'approve_with_conditions',
    conditions: ['audit'],
    reason: 'reconsidered',
  });

  test('cn-2024 says so: a critical re-review needs two approvers, like the risk decision', () => {
    expect(pack.approvers.reReview.critical).toBe(2);
    expect(pack.approvers.riskDecision.critical).toBe(2);
  });

  test('one approval waits for a second; the same reviewer cannot approve twice; a second uninvolved one completes it', () => {
    const first = run(reReview(), approveAs(rosa));
    expect(first.status).toBe('re_review');
    expect(first.approvals.map((a) => a.by)).toEqual(['rosa']);
    expect(first.decisions.at(-1)!.action).toBe('re_review_decision.first_approval');
    expect(kind(first, approveAs(rosa))).toBe('separation-of-duties');
    expect(kind(first, approveAs(rob))).toBe('separation-of-duties'); // decided the not-passed
    const second = run(first, approveAs(ruth));
    expect(second.status).toBe('awaiting_signature');
    expect(second.approvals.map((a) => a.by)).toEqual(['rosa', 'ruth']);
    expect(second.risk?.level).toBe('critical');
    expect(second.decisions.at(-1)!.details).toMatchObject({ level: 'critical' });
  });

  test('a pack that asks one approver for a critical re-review gets one', () => {
    const lenient = {
      ...pack,
      approvers: { ...pack.approvers, reReview: { ...pack.approvers.reReview, critical: 1 } },
    };
    const out = decide(reReview(), approveAs(rosa), t0, lenient);
    expect(out.ok && out.state.status).toBe('awaiting_signature');
  });

  test('rules 1 (histories recorded before): one approval completes a critical re-review', () => {
    expect(run(reReview(1), approveAs(rosa)).status).toBe('awaiting_signature');
  });
});
