/** The Transfer view computes with the policy version the transfer pinned, never the newest pack. */
import { toTransferView } from '../../api/view';
import { HttpProblem } from '../../api/problems';
import { activePolicy } from '../../domain/policy';
import { decide, newTransfer } from '../../domain/transfer';
import { applicant, placeholderMaterials, sampleApplication } from '../fixtures';

const t0 = Date.parse('2026-11-23T01:00:00Z');
const draft = newTransfer({
  id: 't-view',
  application: sampleApplication({ materials: placeholderMaterials() }),
  createdBy: applicant,
  pack: activePolicy,
  nowMs: t0,
});
const out = decide(draft, { type: 'submit', actor: applicant }, t0, activePolicy);
if (!out.ok) throw new Error(out.refusal.message);
const submitted = out.state;

describe('toTransferView', () => {
  test('a transfer pinned to cn-2024@2024.1 shows that version, its materials and deadlines', () => {
    const view = toTransferView(submitted, applicant, t0);
    expect(view.policy).toEqual({ id: 'cn-2024', version: '2024.1' });
    expect(view.materialsRequired).toContain('standard_contract');
    expect(view.deadlines[0]).toMatchObject({ step: 'completeness_decision', workingDaysLeft: 5 });
  });

  test('a transfer pinned to a version this process does not hold → 503 (a rolling deployment), not a guess', () => {
    const later = { ...submitted, policy: { id: 'cn-2024', version: '2099.1' } };
    let thrown: unknown;
    try {
      toTransferView(later, applicant, t0);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(HttpProblem);
    expect(thrown).toMatchObject({ kind: 'unavailable', status: 503, retryAfterSeconds: 30 });
    expect((thrown as HttpProblem).detail).toContain('cn-2024@2099.1');
  });
});
