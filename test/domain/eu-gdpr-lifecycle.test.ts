/**
 * The eu-gdpr lifecycle's clocks and supervision as a state machine (EU-GDPR.md §5.1, §7; SCC Clause 16), driven
 * through `decide` with the pack's workflow pack: what the real stack cannot show in a test run because it takes a
 * year (the TIA review), a month (an unanswered re-evaluation, an unresolved suspension), or a derogation's uses.
 * The HTTP lifecycle is test/api/eu-gdpr-lifecycle.test.ts.
 */
import type { Actor } from '../../domain/authz';
import { resolvePolicy } from '../../domain/policy';
import { decide, newTransfer, type Command, type TransferState } from '../../domain/transfer';
import { effectiveTia, facts, importer, scc } from './eu-gdpr-fixtures';
import type { EuGdprFacts } from '../../domain/policy/eu-gdpr';
import { checklistFor } from '../../domain/policy/eu-gdpr/lifecycle';

const pack = resolvePolicy('eu-gdpr', '2026.1')!;
const alice: Actor = { sub: 'alice', role: 'applicant', org: 'acme' };
const dora: Actor = { sub: 'dora', role: 'reviewer', org: 'dpo-service' };
const t0 = Date.parse('2026-11-28T09:00:00Z');
const DAY = 86_400_000;

function apply(state: TransferState, commands: Command[], at = t0): TransferState {
  return commands.reduce((s, c) => {
    const out = decide(s, c, at, pack);
    if (!out.ok) throw new Error(`${c.type}: ${out.refusal.kind} ${out.refusal.message}`);
    return out.state;
  }, state);
}
const refusal = (state: TransferState, c: Command, at = t0) => {
  const out = decide(state, c, at, pack);
  return out.ok ? 'ok' : out.refusal.kind;
};
/** A deadline's consequence, at its instant. */
function pass(state: TransferState, step: string): TransferState {
  const d = state.deadlines.find((x) => x.step === step);
  if (!d?.dueAt) throw new Error(`no ${step} deadline in ${state.deadlines.map((x) => x.step).join(', ')}`);
  return apply(state, [{ type: 'deadline_passed', step } as Command], Date.parse(d.dueAt));
}

/** The §9 checklist items of a route, all passed. */
const passed = (route: string) => checklistFor(route).map((item) => ({ item, result: 'pass' as const }));

function application(f: EuGdprFacts, kinds: string[]) {
  return {
    title: 't',
    exporter: { org: 'acme', name: 'Acme GmbH' },
    recipient: { id: 'r1', name: 'Importer', country: f.importer!.country!, contactEmail: 'a@b.example' },
    purpose: 'support',
    dataCategories: [{ category: 'contact', sensitive: false, fields: [] }],
    materials: kinds.map((kind, n) => ({ kind, documentId: `sha256:${String(n).padStart(64, '0')}` })),
    facts: f,
  };
}

/** Submitted with every required material, completeness accepted. */
function underReview(f: EuGdprFacts): TransferState {
  const draft = newTransfer({
    id: 'eu-1',
    application: application(f, []) as never,
    createdBy: alice,
    pack,
    nowMs: t0,
  });
  const kinds = pack.flow!.materialsRequired({ ...draft, application: application(f, []) as never });
  const start = { ...draft, application: application(f, kinds) as never };
  return apply(start, [
    { type: 'submit', actor: alice },
    { type: 'completeness', actor: dora, decision: 'accept' },
  ]);
}

function activeScc(): TransferState {
  const s = apply(underReview(facts({ importer: importer('IN'), scc: scc('M2'), tia: effectiveTia })), [
    {
      type: 'privacy_review',
      actor: dora,
      decision: 'approve',
      checklist: passed('scc'),
    },
    {
      type: 'sign',
      actor: { sub: 'eve', role: 'recipient', recipient: 'r1' },
      documentId: 'sha256:' + 'f'.repeat(64),
      signerName: 'E',
      signerTitle: 'D',
      signedAt: '2026-11-28',
    },
    { type: 'countersign', actor: alice },
    { type: 'register_number_issued', registerNumber: 'EU-GDPR-2026-000001' },
  ]);
  expect(s.status).toBe('active');
  return s;
}

describe('the submitter never decides (separation of duties)', () => {
  test('a reviewer token with the submitter’s subject cannot review', () => {
    const s = underReview(facts({ importer: importer('IN'), scc: scc('M2'), tia: effectiveTia }));
    expect(
      refusal(s, {
        type: 'privacy_review',
        actor: { ...dora, sub: 'alice' },
        decision: 'reject',
        reason: 'x',
      }),
    ).toBe('separation-of-duties');
  });
});

describe('§7 the TIA review: every 12 months a re-evaluation opens', () => {
  test('scheduled 12 months after activation; when it passes the transfer is re-evaluated, the applicant awaited', () => {
    const s = activeScc();
    const review = s.deadlines.find((d) => d.step === 'tia_review')!;
    expect(review.dueDate).toBe('2027-11-28');
    const due = pass(s, 'tia_review');
    expect(due).toMatchObject({ status: 'change_review' });
    expect(due.eu!.reEvaluations.at(-1)).toMatchObject({ trigger: 'tia_review' });
    expect(due.decisions.at(-1)).toMatchObject({
      action: 'deadline.tia_review',
      by: 'system',
      kind: 'deadline',
    });
    expect(due.deadlines.map((d) => d.step)).toEqual(['re_evaluation']);
  });

  test('unanswered within 30 days: suspended (transfers stop); unresolved a month later: terminated (Clause 16(c)(i))', () => {
    const open = pass(activeScc(), 'tia_review');
    const suspended = pass(open, 're_evaluation');
    expect(suspended.status).toBe('suspended');
    const reDue = Date.parse(open.deadlines[0]!.dueAt!) - Date.parse(open.eu!.reEvaluations.at(-1)!.openedAt);
    expect(Math.round(reDue / DAY)).toBe(31); // 30 days after the day it opened, to the end of that day
    const ended = pass(suspended, 'suspension_unresolved');
    expect(ended).toMatchObject({ status: 'terminated', deadlines: [] });
  });

  test('answered and confirmed: active again, the next review 12 months from the confirmation', () => {
    const open = pass(activeScc(), 'tia_review');
    const at = Date.parse('2027-12-01T10:00:00Z');
    const answered = apply(
      open,
      [
        {
          type: 're_evaluate',
          actor: alice,
          facts: facts({ importer: importer('IN'), scc: scc('M2'), tia: effectiveTia }),
        },
      ],
      at,
    );
    expect(refusal(answered, { type: 're_evaluation_decision', actor: alice, decision: 'confirm' }, at)).toBe(
      'forbidden-role',
    );
    const confirmed = apply(
      answered,
      [{ type: 're_evaluation_decision', actor: dora, decision: 'confirm' }],
      at,
    );
    expect(confirmed.status).toBe('active');
    expect(confirmed.deadlines.find((d) => d.step === 'tia_review')!.dueDate).toBe('2028-12-01');
  });
});

describe('§5.1 a derogation is re-checked for "occasional" on every use', () => {
  const derogationFacts = facts({
    importer: importer('IN'),
    derogation: { basis: 'b', frequency: 'occasional', necessityNote: 'booking a hotel for the customer' },
  });

  function activeDerogation(): TransferState {
    const s = underReview(derogationFacts);
    expect(s.route!.route).toBe('derogation');
    const approved = apply(s, [
      { type: 'privacy_review', actor: dora, decision: 'approve', checklist: passed('derogation') },
    ]);
    const active = apply(approved, [
      { type: 'register_number_issued', registerNumber: 'EU-GDPR-2026-000002' },
    ]);
    expect(active.status).toBe('active');
    expect(active.deadlines).toEqual([]); // no schedule: each use is the check
    return active;
  }

  test('an occasional use is recorded; a repetitive one opens a re-evaluation (re-route to Art. 46)', () => {
    const s = activeDerogation();
    const used = apply(s, [{ type: 'report_use', actor: alice, on: '2026-11-28', frequency: 'occasional' }]);
    expect(used).toMatchObject({ status: 'active', eu: { uses: 1, lastUseOn: '2026-11-28' } });
    const repetitive = apply(used, [
      { type: 'report_use', actor: alice, on: '2026-11-28', frequency: 'repetitive' },
    ]);
    expect(repetitive.status).toBe('change_review');
    expect(repetitive.eu!.reEvaluations.at(-1)).toMatchObject({ trigger: 'use_report' });
    expect(repetitive.eu!.reEvaluations.at(-1)!.reason).toMatch(/repetitive/);
  });

  test('use reports are for derogation-based transfers only', () => {
    expect(
      refusal(activeScc(), { type: 'report_use', actor: alice, on: '2026-11-28', frequency: 'occasional' }),
    ).toBe('wrong-phase');
  });
});
