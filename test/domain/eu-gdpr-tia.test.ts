/**
 * The TIA (EU-GDPR.md §4.4 six steps, EU-5), the approval gate (§9 "Outcomes": not_effective is a hard gate),
 * the re-evaluation schedule and deadlines (§7), materials per route (§8) and the reviewer checklist (§9).
 */
import {
  buildEuGdprPack,
  checklistFor,
  euApprovalGate,
  euGdpr2026,
  euMaterials,
  euRoute,
  euSchedule,
  euTia,
  suspensionTerminationDue,
  tiaSteps,
  type EuGdprFacts,
} from '../../domain/policy/eu-gdpr';
import { dpf, effectiveTia, facts, importer, scc } from './eu-gdpr-fixtures';

const sccFacts = (tia: EuGdprFacts['tia'], over: Partial<EuGdprFacts> = {}) =>
  facts({ scc: scc('M2'), tia, ...over });
const gate = (f: EuGdprFacts) => euApprovalGate(f, euRoute(f));

describe('§4.4 the six steps and the evaluator', () => {
  test('§4.4 the six steps are modelled in order, each with its engine artefact', () => {
    expect(tiaSteps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(tiaSteps[2].artefact).toBe('tia.outcome');
  });

  test('§4.4 step 3/4: outcome not_effective blocks approval', () => {
    const t = euTia(sccFacts({ ...effectiveTia, outcome: 'not_effective' }));
    expect(t).toMatchObject({ result: 'not_effective', blocksApproval: true });
  });

  test('§4.4 an effective TIA does not block; the next review defaults to 12 months after the assessment', () => {
    expect(euTia(sccFacts(effectiveTia))).toMatchObject({
      result: 'effective',
      blocksApproval: false,
      nextReview: '2027-11-01',
    });
  });

  test('§4.4 step 4: effective_with_measures needs a listed, effective measure', () => {
    const none = euTia(sccFacts({ ...effectiveTia, outcome: 'effective_with_measures', measures: [] }));
    expect(none.blocksApproval).toBe(true);
    const ineffective = euTia(
      sccFacts({
        ...effectiveTia,
        outcome: 'effective_with_measures',
        measures: [{ type: 'contractual', description: 'transparency report', effective: false }],
      }),
    );
    expect(ineffective).toMatchObject({ result: 'not_effective', blocksApproval: true });
    const keys = euTia(
      sccFacts({
        ...effectiveTia,
        outcome: 'effective_with_measures',
        measures: [{ type: 'technical', description: 'encrypted backup, keys held only in the EEA' }],
      }),
    );
    expect(keys).toMatchObject({ result: 'effective_with_measures', blocksApproval: false });
  });

  test('§4.4 step 1 / Clause 14(b)(i): a TIA that does not cover the onward transfers blocks', () => {
    const t = euTia(
      sccFacts({ ...effectiveTia, steps: { step1KnowYourTransfers: { onwardTransfersMapped: false } } }),
    );
    expect(t.blocksApproval).toBe(true);
    expect(t.findings.map((f) => f.step)).toContain('know_your_transfers');
  });

  test('§4.4 step 3: an Essential Guarantee not met with "effective" and no documented no-reason-to-believe blocks', () => {
    const steps = {
      step3Assessment: {
        lawsAssessed: ['FISA s702', 'EO 12333'],
        essentialGuarantees: { necessityAndProportionality: 'not_met' as const },
      },
    };
    expect(euTia(sccFacts({ ...effectiveTia, steps })).blocksApproval).toBe(true);
    const documented = {
      step3Assessment: { ...steps.step3Assessment, noReasonToBelieveAppliedDocumented: true },
    };
    expect(euTia(sccFacts({ ...effectiveTia, steps: documented })).blocksApproval).toBe(false);
  });

  test('§4.4 step 4: clear-text access where the law is problematic — the EDPB found no effective measure', () => {
    const t = euTia(
      sccFacts({
        ...effectiveTia,
        outcome: 'effective_with_measures',
        measures: [{ type: 'organisational', description: 'access policy' }],
        steps: {
          step3Assessment: {
            lawsAssessed: ['x'],
            essentialGuarantees: { independentOversight: 'not_met' },
          },
          step4Measures: { clearTextAccessInDestination: true },
        },
      }),
    );
    expect(t.blocksApproval).toBe(true);
  });

  test('§4.4 step 5: measures that amend the SCCs need SA authorisation (Art. 46(3)(a))', () => {
    const t = euTia(
      sccFacts({
        ...effectiveTia,
        steps: { step5Procedural: { saAuthorisationNeeded: true, saAuthorisationObtained: false } },
      }),
    );
    expect(t.blocksApproval).toBe(true);
  });

  test('§7 a review date earlier than the assessment date is rejected', () => {
    const t = euTia(sccFacts({ ...effectiveTia, nextReview: '2026-10-01' }));
    expect(t.blocksApproval).toBe(true);
    expect(t.findings.find((f) => f.step === 're_evaluate')!.text).toMatch(/earlier than/);
  });

  test('§7 more than 366 days to the next review without a recorded rationale → warning, with one → none', () => {
    const late = { ...effectiveTia, nextReview: '2027-12-01' };
    const warned = euTia(sccFacts(late));
    expect(warned.blocksApproval).toBe(false);
    expect(warned.findings).toContainEqual(
      expect.objectContaining({ step: 're_evaluate', severity: 'warn' }),
    );
    const reasoned = euTia(
      sccFacts({
        ...late,
        steps: { step6Reevaluation: { longerIntervalRationale: 'stable destination law' } },
      }),
    );
    expect(reasoned.findings.filter((f) => f.step === 're_evaluate')).toEqual([]);
  });

  test('§7 the TIA review interval is configurable (a pack of 6 months)', () => {
    const six = buildEuGdprPack('2026.1-test', { tiaReviewMonths: 6 });
    expect(euTia(sccFacts(effectiveTia), six).nextReview).toBe('2027-05-01');
  });
});

describe('§9 approval gate: a TIA with not_effective is a hard gate (EU-5)', () => {
  test('§9 / EU-5 SCC route with an effective TIA → approvable', () => {
    expect(gate(sccFacts(effectiveTia))).toMatchObject({ approvable: true, blockers: [] });
  });

  test('§9 / EU-5 TIA not_effective blocks approval', () => {
    const g = gate(sccFacts({ ...effectiveTia, outcome: 'not_effective' }));
    expect(g.approvable).toBe(false);
    expect(g.blockers.map((b) => b.text).join(' ')).toMatch(/not_effective/);
    expect(g.tia['']!.result).toBe('not_effective');
  });

  test('§9 / §4.4 SCC route before any TIA → not approvable until the TIA is done', () => {
    const g = gate(sccFacts(undefined));
    expect(g.approvable).toBe(false);
    expect(g.blockers.map((b) => b.text).join(' ')).toMatch(/no TIA recorded/);
  });

  test('§4.1 Module 4 without combined EU data needs no TIA → approvable without one', () => {
    const f = facts({
      exporter: { country: 'DE', role: 'processor' },
      importer: importer('IN', { role: 'controller' }),
      scc: scc('M4', { euCollectedDataCombined: false }),
    });
    expect(gate(f)).toMatchObject({ approvable: true, tia: {} });
  });

  test('§2 adequacy and derogation routes need no TIA', () => {
    expect(gate(facts({ importer: importer('CH') })).approvable).toBe(true);
  });

  test('§2 needs_info, not_permitted and no_transfer are not approvable', () => {
    const { scc: _s, ...missing } = facts();
    expect(gate(missing).approvable).toBe(false);
    expect(gate(facts()).approvable).toBe(false);
    expect(gate(facts({ importer: importer('FR') })).approvable).toBe(false);
  });
});

describe('§7 re-evaluation schedule and deadlines', () => {
  test('§7 every period in the deadline table is in months or per transfer (the document gives no working days)', () => {
    for (const d of euGdpr2026.deadlines) expect(Object.keys(d.length)).not.toContain('workingDays');
    expect(euGdpr2026.deadlines.find((d) => d.step === 'tia_review')!.length).toEqual({ months: 12 });
    expect(euGdpr2026.deadlines.find((d) => d.step === 'suspension_unresolved')!.length).toEqual({
      months: 1,
    });
  });

  test('§7 adequacy (UK): review opens 6 months before the decision ends (2031-12-27)', () => {
    const f = facts({ importer: importer('GB') });
    const s = euSchedule(f, euRoute(f));
    expect(s.find((c) => c.step === 'adequacy_expiry_review')!.due).toBe('2031-06-27');
    expect(s.map((c) => c.step)).toContain('adequacy_in_force_per_transfer');
  });

  test('§7 adequacy (US DPF): List check at least every 12 months from the recorded check date', () => {
    const f = facts({
      hrData: false,
      importer: importer('US', { scopeFacts: { dpf: dpf({ checkedOn: '2026-03-15' }) } }),
    });
    expect(euSchedule(f, euRoute(f)).find((c) => c.step === 'dpf_list_check')!.due).toBe('2027-03-15');
    const unchecked = facts({ hrData: false, importer: importer('US', { scopeFacts: { dpf: dpf() } }) });
    const first = euSchedule(unchecked, euRoute(unchecked)).find((c) => c.step === 'dpf_list_check')!;
    expect(first.due).toBe('2026-11-28');
    expect(first.warnings.join(' ')).toMatch(/before the first transfer/);
  });

  test('§7 scc: TIA review 12 months after the assessment by default; a review date before the assessment is an error', () => {
    const f = sccFacts(effectiveTia);
    expect(euSchedule(f, euRoute(f)).find((c) => c.step === 'tia_review')!.due).toBe('2027-11-01');
    const bad = sccFacts({ ...effectiveTia, nextReview: '2026-01-01' });
    expect(euSchedule(bad, euRoute(bad)).find((c) => c.step === 'tia_review')!.errors).toHaveLength(1);
  });

  test('§7 derogation: evaluated per transfer, not a standing approval', () => {
    const f = facts({ derogation: { basis: 'b', frequency: 'occasional', necessityNote: 'booking' } });
    expect(euSchedule(f, euRoute(f))).toEqual([
      expect.objectContaining({ step: 'derogation_per_transfer', due: '2026-11-28' }),
    ]);
  });

  test('§4.1 / §7 a suspended SCC transfer is terminated if not restored within one month', () => {
    expect(suspensionTerminationDue('2026-01-31', euGdpr2026.options)).toBe('2026-02-28');
  });
});

describe('§8 materials per route', () => {
  const kinds = (f: EuGdprFacts, pack = euGdpr2026) => euMaterials(f, euRoute(f), pack).map((m) => m.kind);

  test('§8 adequacy (US): the DPF List record; Art. 28 DPA when the importer is a processor', () => {
    const f = facts({ hrData: false, importer: importer('US', { scopeFacts: { dpf: dpf() } }) });
    expect(kinds(f)).toEqual(['dpf_list_record', 'art30_record_entry', 'privacy_notice_text', 'art28_dpa']);
  });

  test('§8 adequacy (CA, KR): PIPEDA statement; Korean not-credit-information statement', () => {
    expect(
      kinds(
        facts({ importer: importer('CA', { role: 'controller', scopeFacts: { subjectToPIPEDA: true } }) }),
      ),
    ).toContain('pipeda_applicability_statement');
    const kr = { creditInfoUnderFSC: false, religiousMissionary: false, politicalNomination: false };
    expect(kinds(facts({ importer: importer('KR', { scopeFacts: { kr } }) }))).toContain(
      'kr_not_credit_information_statement',
    );
  });

  test('§3 / §8 requireFallbackForDPF (default off) adds SCCs and a TIA to a DPF reliance', () => {
    const f = facts({ hrData: false, importer: importer('US', { scopeFacts: { dpf: dpf() } }) });
    expect(kinds(f)).not.toContain('scc_signed');
    expect(kinds(f, buildEuGdprPack('2026.1-test', { requireFallbackForDPF: true }))).toEqual(
      expect.arrayContaining(['scc_signed', 'tia_report']),
    );
  });

  test('§8 scc M2: Annex III and the TIA report; M4 pure return: the no-combination statement, no TIA', () => {
    expect(kinds(sccFacts(effectiveTia))).toEqual(expect.arrayContaining(['scc_annex_iii', 'tia_report']));
    const m4 = facts({
      exporter: { country: 'DE', role: 'processor' },
      importer: importer('IN', { role: 'controller' }),
      scc: scc('M4', { euCollectedDataCombined: false }),
    });
    expect(kinds(m4)).toContain('m4_no_combination_statement');
    expect(kinds(m4)).not.toContain('tia_report');
    expect(kinds(m4)).not.toContain('scc_annex_iii');
  });

  test('§8 derogation (a): the consent record; CLI: SA notification and data-subject notice copies', () => {
    expect(
      kinds(
        facts({
          derogation: {
            basis: 'a',
            frequency: 'occasional',
            consent: { explicit: true, specific: true, informedOfRisks: true },
          },
        }),
      ),
    ).toContain('consent_record');
    const cli = facts({
      approxDataSubjects: 2,
      derogation: {
        basis: 'cli',
        frequency: 'occasional',
        compellingInterests: {
          noOtherToolPossibleDemonstrated: true,
          limitedDataSubjects: true,
          compellingForController: true,
          balancingDone: true,
          safeguards: ['x'],
          saInformed: true,
          dataSubjectsInformed: true,
          art30Documented: true,
        },
      },
    });
    expect(kinds(cli)).toEqual(expect.arrayContaining(['sa_notification_copy', 'data_subject_notice_copy']));
  });

  test('§8 no materials for not_permitted or needs_info', () => {
    expect(kinds(facts())).toEqual([]);
  });
});

describe('§9 reviewer checklist', () => {
  test('§9 scc: the 5 common items and the 10 SCC items', () => {
    const items = checklistFor('scc');
    expect(items.filter((i) => i.route === 'all')).toHaveLength(5);
    expect(items.filter((i) => i.route === 'scc')).toHaveLength(10);
  });
  test('§9 adequacy 4 items, bcr 4 items, derogation 7 items', () => {
    expect(checklistFor('adequacy').filter((i) => i.route === 'adequacy')).toHaveLength(4);
    expect(checklistFor('bcr').filter((i) => i.route === 'bcr')).toHaveLength(4);
    expect(checklistFor('derogation').filter((i) => i.route === 'derogation')).toHaveLength(7);
  });
});
