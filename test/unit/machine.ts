/** Driving the domain state machine in unit tests: apply commands, expect acceptance, reach a status. */
import type { Actor } from '../../domain/authz';
import { activePolicy } from '../../domain/policy';
import type { RiskAssessment } from '../../domain/risk';
import { decide, newTransfer, type Command, type TransferState } from '../../domain/transfer';
import { applicant, placeholderMaterials, recipient, reviewer, sampleApplication } from '../fixtures';

export const pack = activePolicy;
/** Monday 23 November 2026, 09:00 Shanghai */
export const t0 = Date.parse('2026-11-23T01:00:00Z');
export const rob: Actor = { sub: 'rob', role: 'reviewer', org: 'regulator' };
export const rosa: Actor = { sub: 'rosa', role: 'reviewer', org: 'audit-firm' };
export const checklist = pack.reviewChecklist.map((c) => ({ item: c.item, result: 'pass' as const }));
export const day = (ms: number): string => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

export const risk = (level: RiskAssessment['level']): RiskAssessment => ({
  score: 0,
  level,
  factors: [],
  gates: [],
  policy: { id: pack.id, version: pack.version },
});

export function run(state: TransferState, commands: Command[], at = t0): TransferState {
  return commands.reduce((s, c) => {
    const out = decide(s, c, at, pack);
    if (!out.ok) throw new Error(`${c.type}: ${out.refusal.kind} ${out.refusal.message}`);
    return out.state;
  }, state);
}

/** The refusal kind, or 'ok'. */
export function outcome(state: TransferState, c: Command, at = t0): string {
  const out = decide(state, c, at, pack);
  return out.ok ? 'ok' : out.refusal.kind;
}

/** A draft under the newest rules, or under `rulesVersion` (1: how histories recorded before rules 2 run). */
export function draft(rulesVersion?: number): TransferState {
  return newTransfer({
    id: 't',
    application: sampleApplication({ materials: placeholderMaterials() }),
    createdBy: applicant,
    pack,
    nowMs: t0,
    ...(rulesVersion === undefined ? {} : { rulesVersion }),
  });
}

/** Submitted, accepted, reviewed by rita, scored at `level`. */
export function scored(level: RiskAssessment['level'], from = draft()): TransferState {
  return run(from, [
    { type: 'submit', actor: applicant },
    { type: 'completeness', actor: reviewer, decision: 'accept' },
    { type: 'review', actor: reviewer, decision: 'complete', checklist },
    { type: 'risk_scored', risk: risk(level) },
  ]);
}

/** Approved by rob (low risk), signed, countersigned and filed, all at t0. */
export function filed(from = draft()): TransferState {
  return run(scored('low', from), [
    { type: 'risk_decision', actor: rob, decision: 'approve' },
    { type: 'agreement_rendered', documentId: `sha256:${'a'.repeat(64)}`, digest: 'a'.repeat(64) },
    {
      type: 'sign',
      actor: recipient,
      documentId: `sha256:${'e'.repeat(64)}`,
      signerName: 'E',
      signerTitle: 'MD',
      signedAt: day(t0),
    },
    { type: 'countersign', actor: applicant },
    { type: 'file', actor: applicant, effectiveDate: day(t0) },
  ]);
}

/** Active from t0: the filing accepted by rob and numbered. */
export function active(from = draft()): TransferState {
  return run(filed(from), [
    { type: 'filing_decision', actor: rob, decision: 'accept' },
    { type: 'filing_number_issued', filingNumber: 'XB-2026-000001' },
  ]);
}
