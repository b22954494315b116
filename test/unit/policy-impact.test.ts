/**
 * policyImpact: what moving an open transfer to another policy version would change. The other version here is
 * built in the test (a copy of cn-2024 with one threshold and one deadline length changed); it is not a product pack.
 */
import { activePolicy, type PolicyPack } from '../../domain/policy';
import { describeImpact, policyImpact } from '../../domain/policy/impact';
import { decide, newTransfer, type TransferState } from '../../domain/transfer';
import { applicant, placeholderMaterials, sampleApplication } from '../fixtures';

const pack = activePolicy;
const t0 = Date.parse('2026-11-23T01:00:00Z');

/** cn-2024 with a lower security-assessment threshold and a longer completeness decision (test only). */
const stricter: PolicyPack = {
  ...pack,
  version: '2099.1',
  thresholds: { ...pack.thresholds, securityAssessmentIndividuals: 200_000 },
  deadlines: pack.deadlines.map((d) =>
    d.step === 'completeness_decision' ? { ...d, length: { workingDays: 7 } } : d,
  ),
};

function submitted(individualsYtd: number): TransferState {
  const draft = newTransfer({
    id: `t-${individualsYtd}`,
    application: sampleApplication({
      materials: placeholderMaterials(),
      volume: { individualsYtd, sensitiveIndividualsYtd: 0, importantData: false },
    }),
    createdBy: applicant,
    pack,
    nowMs: t0,
  });
  const out = decide(draft, { type: 'submit', actor: applicant }, t0, pack);
  if (!out.ok) throw new Error(out.refusal.message);
  return out.state;
}

describe('policyImpact', () => {
  test('under the same version nothing differs', () => {
    const impact = policyImpact(submitted(250_000), pack, pack);
    expect(impact).toMatchObject({ differs: false, route: null, materials: null, deadlines: [] });
    expect(describeImpact(impact)).toEqual([]);
  });

  test('a lower threshold re-routes a standard contract to a security assessment, with its materials', () => {
    const state = submitted(250_000);
    expect(state.route?.route).toBe('standard_contract');
    const impact = policyImpact(state, pack, stricter);
    expect(impact.differs).toBe(true);
    expect(impact.from).toEqual({ id: 'cn-2024', version: pack.version });
    expect(impact.to).toEqual({ id: 'cn-2024', version: '2099.1' });
    expect(impact.route).toEqual({ from: 'standard_contract', to: 'security_assessment' });
    expect(impact.materials?.added).toEqual([
      'declaration_form',
      'self_assessment_report',
      'legal_documents',
    ]);
    expect(impact.materials?.removed).toEqual(['pipia_report', 'standard_contract', 'undertaking_letter']);
    expect(describeImpact(impact)).toEqual([
      'route: standard_contract → security_assessment',
      'materials: +declaration_form +self_assessment_report +legal_documents -pipia_report -standard_contract -undertaking_letter',
      'deadline completeness_decision: 5 WD → 7 WD',
    ]);
  });

  test('below both thresholds only the open deadline whose length changed is listed', () => {
    const impact = policyImpact(submitted(150_000), pack, stricter);
    expect(impact.route).toBeNull();
    expect(impact.materials).toBeNull();
    expect(impact.deadlines).toEqual([
      { step: 'completeness_decision', from: { workingDays: 5 }, to: { workingDays: 7 } },
    ]);
  });

  test('a deadline that is not open does not count', () => {
    const longerSignature: PolicyPack = {
      ...pack,
      version: '2099.2',
      deadlines: pack.deadlines.map((d) =>
        d.step === 'signature' ? { ...d, length: { calendarDays: 45 } } : d,
      ),
    };
    expect(policyImpact(submitted(250_000), pack, longerSignature).differs).toBe(false);
  });

  test('a draft missing facts needs info under both: no difference, no guess', () => {
    const draft = newTransfer({
      id: 'draft',
      application: { title: 'partial' },
      createdBy: applicant,
      pack,
      nowMs: t0,
    });
    expect(policyImpact(draft, pack, stricter).differs).toBe(false);
  });
});
