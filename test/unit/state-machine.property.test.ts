/**
 * Property: random sequences of actions by random actors (and deadlines, and system steps) never reach a status
 * or a transition DOMAIN.md does not allow, never let a refused action change anything, and never break the
 * separation-of-duties rules.
 */
import fc from 'fast-check';
import type { Actor } from '../../domain/authz';
import { isTerminal, statuses, transitions } from '../../domain/lifecycle';
import { activePolicy, type DeadlineStep } from '../../domain/policy';
import type { RiskAssessment } from '../../domain/risk';
import { decide, newTransfer, type Command, type TransferState } from '../../domain/transfer';
import {
  acmeReviewer,
  applicant,
  otherApplicant,
  otherRecipient,
  placeholderMaterials,
  recipient,
  reviewer,
  sampleApplication,
} from '../fixtures';

const pack = activePolicy;
const actors: Actor[] = [
  applicant,
  otherApplicant,
  reviewer,
  { sub: 'rob', role: 'reviewer', org: 'regulator' },
  { sub: 'rosa', role: 'reviewer', org: 'audit-firm' },
  acmeReviewer,
  recipient,
  otherRecipient,
  { sub: 'root', role: 'admin' },
];
const steps: DeadlineStep[] = pack.deadlines.map((d) => d.step);
const checklist = pack.reviewChecklist.map((c) => ({ item: c.item, result: 'pass' as const }));
const risk = (level: RiskAssessment['level']): RiskAssessment => ({
  score: { low: 5, medium: 25, high: 45, critical: 70 }[level],
  level,
  factors: [],
  gates: [],
  policy: { id: pack.id, version: pack.version },
});
const day = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

/** A command template: given an actor and the current time, the command. */
type Template = (a: Actor, nowMs: number) => Command;
const templates: Template[] = [
  (a) => ({ type: 'submit', actor: a }),
  (a) => ({ type: 'edit', actor: a, patch: { title: 'edited' } }),
  (a) => ({
    type: 'edit',
    actor: a,
    patch: { volume: { individualsYtd: 10, sensitiveIndividualsYtd: 0, importantData: false } },
  }),
  (a) => ({ type: 'completeness', actor: a, decision: 'accept' }),
  (a) => ({ type: 'completeness', actor: a, decision: 'refuse', reason: 'no' }),
  (a) => ({
    type: 'completeness',
    actor: a,
    decision: 'request_supplement',
    items: [{ field: 'purpose', request: 'more' }],
  }),
  (a) => ({ type: 'supplement', actor: a, responses: [{ itemId: 'r1-1', text: 'answer' }] }),
  (a) => ({ type: 'supplement', actor: a, responses: [{ itemId: 'r2-1', text: 'answer' }] }),
  (a) => ({ type: 'withdraw', actor: a, reason: 'changed plans' }),
  (a) => ({ type: 'review', actor: a, decision: 'complete', checklist }),
  (a) => ({
    type: 'review',
    actor: a,
    decision: 'request_supplement',
    checklist: [],
    items: [{ field: 'purpose', request: 'why' }],
  }),
  (a) => ({ type: 'extend_review', actor: a, workingDays: 5, reason: 'need time' }),
  (a) => ({ type: 'risk_decision', actor: a, decision: 'approve' }),
  (a) => ({ type: 'risk_decision', actor: a, decision: 'approve_with_conditions', conditions: ['audit'] }),
  (a) => ({ type: 'risk_decision', actor: a, decision: 'not_passed', reason: 'no' }),
  (a) => ({ type: 'request_re_review', actor: a, reason: 'please' }),
  (a) => ({
    type: 're_review_decision',
    actor: a,
    decision: 'approve_with_conditions',
    conditions: ['audit'],
    reason: 'ok',
  }),
  (a) => ({ type: 're_review_decision', actor: a, decision: 'reject', reason: 'no' }),
  (a, now) => ({
    type: 'sign',
    actor: a,
    documentId: `sha256:${'e'.repeat(64)}`,
    signerName: 'E',
    signerTitle: 'MD',
    signedAt: day(now),
  }),
  (a) => ({ type: 'acknowledge_conditions', actor: a }),
  (a) => ({ type: 'countersign', actor: a }),
  (a, now) => ({ type: 'file', actor: a, effectiveDate: day(now) }),
  (a) => ({ type: 'filing_decision', actor: a, decision: 'accept' }),
  (a) => ({ type: 'filing_decision', actor: a, decision: 'return', reason: 'missing page' }),
  (a) => ({ type: 'supervise', actor: a, kind: 'warning', reason: 'w' }),
  (a) => ({ type: 'supervise', actor: a, kind: 'suspend', reason: 's' }),
  (a) => ({ type: 'supervise', actor: a, kind: 'resume', reason: 'r' }),
  (a) => ({ type: 'supervise', actor: a, kind: 'revoke', reason: 'r' }),
  (a, now) => ({
    type: 'supervise',
    actor: a,
    kind: 'rectification_order',
    reason: 'fix',
    deadline: day(now + 10 * 86_400_000),
  }),
  (a) => ({ type: 'respond_rectification', actor: a, text: 'fixed' }),
  (a) => ({ type: 'rectification_decision', actor: a, decision: 'accept', reason: 'ok' }),
  (a, now) => ({
    type: 'report_incident',
    actor: a,
    severity: 'major',
    occurredAt: new Date(now - 1000).toISOString(),
    description: 'leak',
  }),
  (a) => ({
    type: 'report_change',
    actor: a,
    changes: [{ kind: 'retention', description: 'shorter' }],
    application: { transfer: { retentionDays: 30 } },
  }),
  (a) => ({ type: 'change_decision', actor: a, decision: 'accept', reason: 'ok' }),
  (a) => ({ type: 'change_decision', actor: a, decision: 'suspend', reason: 'no' }),
  (a) => ({ type: 'request_extension', actor: a, expectedIndividuals: 260_000 }),
  (a) => ({ type: 'extension_decision', actor: a, decision: 'approve', reason: 'ok' }),
];

const commandArb = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .tuple(fc.integer({ min: 0, max: templates.length - 1 }), fc.constantFrom(...actors))
      .map(([i, a]) => ({ kind: 'action' as const, i, a })),
  },
  { weight: 1, arbitrary: fc.constantFrom(...steps).map((step) => ({ kind: 'deadline' as const, step })) },
  {
    weight: 1,
    arbitrary: fc
      .constantFrom<RiskAssessment['level']>('low', 'medium', 'high', 'critical')
      .map((level) => ({ kind: 'risk' as const, level })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'system' as const }) },
  // time jumps to the extension window of an approved transfer
  { weight: 1, arbitrary: fc.constant({ kind: 'window' as const }) },
  // a random one among the commands that would be accepted now: drives runs deep into the lifecycle
  {
    weight: 30,
    arbitrary: fc.noBias(fc.nat({ max: 1_000_000 })).map((pick) => ({ kind: 'valid' as const, pick })),
  },
);

type Step = typeof commandArb extends fc.Arbitrary<infer T> ? T : never;
/** `cancel`: an operator closes the workflow from outside (only among the commands that would be accepted) */
type Concrete = Exclude<Step, { kind: 'valid' } | { kind: 'window' }> | { kind: 'cancel' };

function toCommand(c: Concrete, state: TransferState, nowMs: number): Command {
  if (c.kind === 'action') return templates[c.i]!(c.a, nowMs);
  if (c.kind === 'cancel')
    return { type: 'cancel_execution', by: 'ops', reason: 'closed in the Temporal UI' };
  if (c.kind === 'deadline') return { type: 'deadline_passed', step: c.step };
  if (c.kind === 'risk')
    return { type: state.status === 'change_review' ? 'change_scored' : 'risk_scored', risk: risk(c.level) };
  if (!state.agreement && state.status === 'awaiting_signature')
    return { type: 'agreement_rendered', documentId: `sha256:${'a'.repeat(64)}`, digest: 'a'.repeat(64) };
  return { type: 'filing_number_issued', filingNumber: 'XB-2026-000001' };
}

const everything: Concrete[] = [
  ...templates.flatMap((_, i) => actors.map((a) => ({ kind: 'action' as const, i, a }))),
  ...steps.map((step) => ({ kind: 'deadline' as const, step })),
  ...(['low', 'medium', 'high', 'critical'] as const).map((level) => ({ kind: 'risk' as const, level })),
  { kind: 'system' as const },
  { kind: 'cancel' as const },
];

/**
 * The lifecycle and separation-of-duties invariants one accepted step must keep: every broken one, named (an
 * empty list when the step is fine).
 */
function violations(state: TransferState, next: TransferState): string[] {
  const broken: string[] = [];
  const step = `${state.status} → ${next.status}`;
  if (!statuses.includes(next.status)) broken.push(`${step}: unknown status`);
  if (next.status !== state.status) {
    if (!transitions[state.status].includes(next.status)) broken.push(`${step}: not a DOMAIN.md transition`);
    if (isTerminal(state.status)) broken.push(`${step}: left a terminal status`);
  }
  const last = next.decisions.at(-1);
  if (last && next.decisions.length > state.decisions.length && last.role === 'reviewer') {
    if (last.by === acmeReviewer.sub)
      broken.push(`${step}: ${last.action} by the applicant org's own reviewer`);
    const level = next.risk?.level;
    if (
      last.action.startsWith('risk_decision.') &&
      last.action !== 'risk_decision.not_passed' &&
      (level === 'high' || level === 'critical') &&
      last.by === next.review?.by
    )
      broken.push(`${step}: ${level}-risk ${last.action} by the reviewer who reviewed (${last.by})`);
    if (last.action.startsWith('re_review_decision')) {
      const involved = state.decisions
        .filter((d) => d.action.startsWith('risk_decision') || d.action === 'review.complete')
        .map((d) => d.by);
      if (involved.includes(last.by)) broken.push(`${step}: re-review by ${last.by}, involved before`);
    }
  }
  if (next.approvals.length === 2 && next.approvals[0]!.by === next.approvals[1]!.by)
    broken.push(`${step}: both approvals by ${next.approvals[0]!.by}`);
  return broken;
}

const reached = new Set<string>();

test('random actions by random actors stay within the lifecycle, and refusals change nothing', () => {
  fc.assert(
    fc.property(
      fc.array(
        fc.tuple(
          commandArb,
          fc.oneof(
            { weight: 9, arbitrary: fc.integer({ min: 0, max: 6 }) },
            { weight: 2, arbitrary: fc.integer({ min: 30, max: 300 }) },
          ),
        ),
        { minLength: 20, maxLength: 120, size: 'max' },
      ),
      (script) => {
        let nowMs = Date.parse('2026-03-02T02:00:00Z');
        let state: TransferState = newTransfer({
          id: 't',
          application: sampleApplication({ materials: placeholderMaterials() }),
          createdBy: applicant,
          pack,
          nowMs,
        });
        for (const [c, days] of script) {
          nowMs += days * 86_400_000;
          let command: Command;
          if (c.kind === 'window') {
            // jump into the extension window and ask for an extension (refused unless active)
            if (state.validity)
              nowMs = Math.max(nowMs, Date.parse(state.validity.extensionWindowOpensAt) + 86_400_000);
            command = { type: 'request_extension', actor: applicant, expectedIndividuals: 255_000 };
          } else if (c.kind === 'valid') {
            const accepted = everything
              .map((e) => toCommand(e, state, nowMs))
              .filter((cmd) => decide(state, cmd, nowMs, pack).ok);
            // mostly keep the transfer alive (and so go deeper); one time in five, anything goes
            const alive = accepted.filter((cmd) => {
              const o = decide(state, cmd, nowMs, pack);
              return o.ok && !isTerminal(o.state.status);
            });
            const pool = c.pick % 5 === 0 || alive.length === 0 ? accepted : alive;
            if (pool.length === 0) continue;
            command = pool[Math.floor(c.pick / 5) % pool.length]!;
          } else command = toCommand(c, state, nowMs);

          const before = JSON.stringify(state);
          const out = decide(state, command, nowMs, pack);
          expect(JSON.stringify(state)).toBe(before); // decide never mutates
          if (!out.ok) continue;
          const next = out.state;
          expect(violations(state, next)).toEqual([]);
          state = next;
          reached.add(state.status);
        }
      },
    ),
    { numRuns: 250, seed: Number(process.env.XB_FC_SEED ?? 20261128) },
  );
  if (process.env.XB_DEBUG_REACHED) console.log([...reached].sort().join(' '));
  // the runs went deep: every status of the lifecycle was reached at least once
  expect([...reached].sort()).toEqual([...statuses].sort());
});
