import { activePolicy } from '../../domain/policy';
import { decide, newTransfer, type Command, type TransferState } from '../../domain/transfer';
import {
  acmeReviewer,
  applicant,
  otherApplicant,
  placeholderMaterials,
  recipient,
  reviewer,
  sampleApplication,
} from '../fixtures';

const pack = activePolicy;
const t0 = Date.parse('2026-11-23T01:00:00Z'); // Monday 09:00 Shanghai
const docs = placeholderMaterials();

function run(state: TransferState, command: Command, at = t0): TransferState {
  const out = decide(state, command, at, pack);
  if (!out.ok) throw new Error(`${out.refusal.kind}: ${out.refusal.message}`);
  return out.state;
}
const refusal = (state: TransferState, command: Command, at = t0) => {
  const out = decide(state, command, at, pack);
  return out.ok ? null : out.refusal.kind;
};
const draft = (materials = docs) =>
  newTransfer({
    id: 't1',
    application: sampleApplication({ materials }),
    createdBy: applicant,
    pack,
    nowMs: t0,
  });

describe('transfer state machine: application and completeness', () => {
  test('submitting a complete standard-contract application opens the completeness check with a 5-WD reviewer deadline', () => {
    const s = run(draft(), { type: 'submit', actor: applicant });
    expect(s.status).toBe('completeness_check');
    expect(s.route?.route).toBe('standard_contract');
    expect(s.findings).toEqual([]);
    expect(s.deadlines).toEqual([
      expect.objectContaining({
        step: 'completeness_decision',
        actor: 'reviewer',
        dueDate: '2026-11-30',
        paused: false,
      }),
    ]);
  });

  test('missing materials are listed by the automated check and block a plain accept', () => {
    const s = run(draft(docs.slice(0, 4)), { type: 'submit', actor: applicant });
    expect(s.findings.map((f) => `${f.material}:${f.problem}`)).toEqual([
      'authorisation_letter:missing',
      'undertaking_letter:missing',
    ]);
    expect(refusal(s, { type: 'completeness', actor: reviewer, decision: 'accept' })).toBe(
      'materials-incomplete',
    );
  });

  test('a self-assessment report older than 3 months is stale', () => {
    const app = sampleApplication({
      volume: { individualsYtd: 2_000_000, sensitiveIndividualsYtd: 0, importantData: false },
      materials: [
        { kind: 'self_assessment_report', documentId: `sha256:${'a'.repeat(64)}`, issuedOn: '2026-08-22' },
      ],
    });
    const s = run(newTransfer({ id: 't2', application: app, createdBy: applicant, pack, nowMs: t0 }), {
      type: 'submit',
      actor: applicant,
    });
    expect(s.route?.route).toBe('security_assessment');
    expect(s.findings).toContainEqual(
      expect.objectContaining({ material: 'self_assessment_report', problem: 'stale' }),
    );
    const fresh = {
      ...app,
      materials: [
        {
          kind: 'self_assessment_report' as const,
          documentId: `sha256:${'a'.repeat(64)}`,
          issuedOn: '2026-08-23',
        },
      ],
    };
    const s2 = run(newTransfer({ id: 't3', application: fresh, createdBy: applicant, pack, nowMs: t0 }), {
      type: 'submit',
      actor: applicant,
    });
    expect(s2.findings.filter((f) => f.material === 'self_assessment_report')).toEqual([]);
  });

  test('an exempt application is recorded as exempt with the rule that fired', () => {
    const app = sampleApplication({
      volume: { individualsYtd: 500, sensitiveIndividualsYtd: 0, importantData: false },
    });
    const s = run(newTransfer({ id: 't4', application: app, createdBy: applicant, pack, nowMs: t0 }), {
      type: 'submit',
      actor: applicant,
    });
    expect(s.status).toBe('exempt');
    expect(s.route?.rules.map((r) => r.id)).toEqual(['cn-2024/10']);
    expect(s.deadlines).toEqual([
      expect.objectContaining({ step: 'exempt_recheck', actor: 'applicant', dueDate: '2027-11-23' }),
    ]);
  });

  test('accept moves to under_review and starts the 45-WD review clock', () => {
    const s = run(run(draft(), { type: 'submit', actor: applicant }), {
      type: 'completeness',
      actor: reviewer,
      decision: 'accept',
    });
    expect(s.status).toBe('under_review');
    expect(s.deadlines.map((d) => d.step)).toEqual(['substantive_review']);
    expect(s.decisions.at(-1)).toMatchObject({ action: 'completeness.accept', by: 'rita', role: 'reviewer' });
  });

  test('a supplementation round pauses the reviewer clock; the answer resumes it with the working days left', () => {
    const submitted = run(draft(), { type: 'submit', actor: applicant });
    const wed = Date.parse('2026-11-25T02:00:00Z');
    const asked = run(
      submitted,
      {
        type: 'completeness',
        actor: reviewer,
        decision: 'request_supplement',
        items: [{ field: 'purpose', request: 'name the carriers' }],
      },
      wed,
    );
    expect(asked.status).toBe('awaiting_supplement');
    expect(asked.supplementRequests[0]).toMatchObject({
      round: 1,
      status: 'open',
      items: [{ itemId: 'r1-1', field: 'purpose' }],
    });
    expect(asked.deadlines.find((d) => d.step === 'completeness_decision')).toMatchObject({
      paused: true,
      remainingWorkingDays: 3,
    });
    expect(asked.deadlines.find((d) => d.step === 'supplement_answer')).toMatchObject({
      actor: 'applicant',
      dueDate: '2026-12-09',
    });

    const mon = Date.parse('2026-12-07T02:00:00Z');
    const answered = run(
      asked,
      { type: 'supplement', actor: applicant, responses: [{ itemId: 'r1-1', text: 'DHL and UPS' }] },
      mon,
    );
    expect(answered.status).toBe('completeness_check');
    expect(answered.supplementRequests[0]?.status).toBe('answered');
    expect(answered.deadlines).toEqual([
      expect.objectContaining({ step: 'completeness_decision', paused: false, dueDate: '2026-12-10' }),
    ]);
  });

  test('every open item must be answered, once; a material item needs a document', () => {
    const asked = run(run(draft(), { type: 'submit', actor: applicant }), {
      type: 'completeness',
      actor: reviewer,
      decision: 'request_supplement',
      items: [
        { field: 'purpose', request: 'be precise' },
        { material: 'pipia_report', request: 'signed version' },
      ],
    });
    expect(
      refusal(asked, { type: 'supplement', actor: applicant, responses: [{ itemId: 'r1-1', text: 'x' }] }),
    ).toBe('rule-violation');
    expect(
      refusal(asked, {
        type: 'supplement',
        actor: applicant,
        responses: [
          { itemId: 'r1-1', text: 'x' },
          { itemId: 'r1-2', text: 'no doc' },
        ],
      }),
    ).toBe('rule-violation');
    expect(
      refusal(asked, {
        type: 'supplement',
        actor: applicant,
        responses: [
          { itemId: 'r1-1', text: 'x' },
          { itemId: 'r1-1', text: 'y' },
          { itemId: 'r1-2', documentId: docs[0]!.documentId },
        ],
      }),
    ).toBe('rule-violation');
    const ok = run(asked, {
      type: 'supplement',
      actor: applicant,
      responses: [
        { itemId: 'r1-1', text: 'x' },
        { itemId: 'r1-2', documentId: `sha256:${'f'.repeat(64)}` },
      ],
    });
    expect(ok.application.materials?.find((m) => m.kind === 'pipia_report')?.documentId).toBe(
      `sha256:${'f'.repeat(64)}`,
    );
  });

  test('no answer in time terminates; a missed reviewer deadline only flags and escalates', () => {
    const submitted = run(draft(), { type: 'submit', actor: applicant });
    const late = run(
      submitted,
      { type: 'deadline_passed', step: 'completeness_decision' },
      Date.parse('2026-12-01T00:00:00Z'),
    );
    expect(late.status).toBe('completeness_check');
    expect(late.deadlines[0]?.overdue).toBe(true);
    expect(late.escalations).toEqual([expect.objectContaining({ step: 'completeness_decision' })]);

    const asked = run(submitted, {
      type: 'completeness',
      actor: reviewer,
      decision: 'request_supplement',
      items: [{ field: 'purpose', request: 'x' }],
    });
    const expired = run(asked, { type: 'deadline_passed', step: 'supplement_answer' });
    expect(expired.status).toBe('terminated');
    expect(expired.supplementRequests[0]?.status).toBe('expired');
  });

  test('refusals: out of scope → not-found, wrong role → forbidden-role, wrong phase → wrong-phase', () => {
    const s = run(draft(), { type: 'submit', actor: applicant });
    expect(refusal(s, { type: 'completeness', actor: acmeReviewer, decision: 'accept' })).toBe('not-found');
    expect(refusal(s, { type: 'withdraw', actor: otherApplicant, reason: 'x' })).toBe('not-found');
    expect(refusal(s, { type: 'completeness', actor: applicant, decision: 'accept' })).toBe('forbidden-role');
    expect(refusal(s, { type: 'completeness', actor: recipient, decision: 'accept' })).toBe('forbidden-role');
    expect(refusal(s, { type: 'submit', actor: applicant })).toBe('wrong-phase');
    expect(refusal(s, { type: 'completeness', actor: reviewer, decision: 'refuse' })).toBe('validation');
    const refused = run(s, {
      type: 'completeness',
      actor: reviewer,
      decision: 'refuse',
      reason: 'not a real exporter',
    });
    expect(refused.status).toBe('refused');
    expect(refusal(refused, { type: 'completeness', actor: reviewer, decision: 'accept' })).toBe(
      'wrong-phase',
    );
    expect(refusal(refused, { type: 'withdraw', actor: applicant, reason: 'x' })).toBe('wrong-phase');
  });

  test('a reviewer never sees a draft; a submit with missing facts names them', () => {
    const d = newTransfer({
      id: 't5',
      application: { title: 'partial', exporter: { org: 'acme' } },
      createdBy: applicant,
      pack,
      nowMs: t0,
    });
    expect(refusal(d, { type: 'completeness', actor: reviewer, decision: 'accept' })).toBe('not-found');
    expect(decide(d, { type: 'submit', actor: applicant }, t0, pack)).toMatchObject({
      ok: false,
      refusal: {
        errors: expect.arrayContaining([expect.objectContaining({ pointer: '/application/purpose' })]),
      },
    });
  });
});
