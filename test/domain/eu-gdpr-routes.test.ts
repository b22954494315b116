/**
 * eu-gdpr route determination, from EU-GDPR.md §0 (is it a transfer), §1 (facts, needs_info), §2 (decision order
 * EU-0 … EU-8, unknown facts, chain rule), §4.1 (SCC modules, M4 and the TIA) and §4.3 (other Art. 46 tools).
 */
import { euGdprFactsSchema, euRoute, type EuRouteAnswer } from '../../domain/policy/eu-gdpr';
import { effectiveTia, facts, hop, importer, scc } from './eu-gdpr-fixtures';

const ruleOf = (a: EuRouteAnswer, id: string) => a.rules.find((r) => r.id === id);
const fields = (a: EuRouteAnswer) => a.needsInfo.map((m) => m.field);

describe('§0 EU-0: is there a restricted transfer at all?', () => {
  test('§0 remote access from a third country to EEA-hosted data is a transfer', () => {
    const a = euRoute(facts({ disclosureMeans: 'remote_access', scc: scc('M2') }));
    expect(a.route).toBe('scc');
    expect(ruleOf(a, 'EU-0')).toMatchObject({ outcome: 'fails' });
  });

  test('§0 storage in a cloud outside the EEA is a transfer', () => {
    expect(euRoute(facts({ disclosureMeans: 'cloud_storage', scc: scc('M2') })).route).toBe('scc');
  });

  test('§0 data subject entering data directly into a non-EU website: no exporter → no_transfer', () => {
    const a = euRoute(facts({ disclosureMeans: 'data_subject_direct' }));
    expect(a).toMatchObject({ route: 'no_transfer', tiaRequired: false });
    expect(ruleOf(a, 'EU-0')).toMatchObject({ outcome: 'holds' });
    expect(ruleOf(a, 'EU-0')!.source).toContain('05/2021');
  });

  test("§0 exporter's own branch abroad within the same legal entity → no_transfer", () => {
    const a = euRoute(facts({ importer: importer('IN', { sameLegalEntityAsExporter: true }) }));
    expect(a.route).toBe('no_transfer');
  });

  test.each(['FR', 'IS', 'LI', 'NO'])('§0 recipient in the EEA (%s) → no_transfer', (country) => {
    expect(euRoute(facts({ importer: importer(country) })).route).toBe('no_transfer');
  });

  test('§0 recipient is an IO (EPO in Munich): a transfer even with its seat in the EU', () => {
    const a = euRoute(facts({ importer: importer('DE', { io: 'EPO' }) }));
    expect(a.route).toBe('adequacy'); // and the EPO has an adequacy decision (§3)
    expect(a.hops[0]!.adequacy?.decisionId).toBe('EPO');
  });

  test('§0 an IO without an adequacy decision is a transfer that needs a tool', () => {
    const a = euRoute(facts({ importer: importer('CH', { io: 'WHO' }) }));
    expect(ruleOf(a, 'EU-1')).toMatchObject({ outcome: 'fails' });
    expect(a.route).toBe('not_permitted');
  });

  test('§0 EEA processor returning data to its non-EEA controller is a transfer (SCC Module 4)', () => {
    const a = euRoute(
      facts({
        exporter: { country: 'IE', role: 'processor' },
        importer: importer('IN', { role: 'controller' }),
        scc: scc('M4', { euCollectedDataCombined: false }),
      }),
    );
    expect(a).toMatchObject({ route: 'scc', tiaRequired: false });
  });

  test('§0 criterion 3: an importer itself subject to the GDPR (Art. 3(2)) still receives a transfer; SCC scope gap flagged, not blocked (§4.1)', () => {
    const a = euRoute(facts({ importer: importer('IN', { processingSubjectToGDPR: true }), scc: scc('M2') }));
    expect(a.route).toBe('scc');
    expect(a.notes.join(' ')).toMatch(/scope gap/);
  });

  test('§0 criterion 1: a non-EEA exporter not subject to the GDPR → no_transfer; under Art. 3(2) → transfer', () => {
    expect(
      euRoute(facts({ exporter: { country: 'US', role: 'controller', subjectToGDPR: false } })).route,
    ).toBe('no_transfer');
    expect(
      euRoute(facts({ exporter: { country: 'US', role: 'controller', subjectToGDPR: true }, scc: scc('M2') }))
        .route,
    ).toBe('scc');
  });
});

describe('§2 decision order, one test per row', () => {
  test('§2 EU-1: adequacy in force and recipient in scope → adequacy, no TIA', () => {
    const a = euRoute(facts({ importer: importer('CH'), scc: scc('M2') }));
    expect(a).toMatchObject({ route: 'adequacy', tiaRequired: false });
    expect(ruleOf(a, 'EU-1')).toMatchObject({ outcome: 'holds' });
    expect(ruleOf(a, 'EU-1')!.source).toMatch(/Art\. 45\(1\)/);
    expect(ruleOf(a, 'EU-1')!.source).toMatch(/2000\/518\/EC/);
  });

  const bcr = {
    approvedBySA: true,
    approvalRef: 'SA-2024-17',
    type: 'C' as const,
    exporterIsMember: true,
    importerIsMember: true,
    scopeCoversCategories: true,
    scopeCoversPurpose: true,
    scopeCoversCountry: true,
  };

  test('§2 EU-2: approved BCRs, both members, scope covers category, purpose and country → bcr with TIA', () => {
    const a = euRoute(facts({ bcr }));
    expect(a).toMatchObject({ route: 'bcr', tiaRequired: true });
    expect(ruleOf(a, 'EU-2')!.source).toMatch(/47\(1\)-\(2\)/);
  });

  test.each([
    ['approvedBySA', 'not approved'],
    ['exporterIsMember', 'exporter is not bound'],
    ['importerIsMember', 'non-member'],
    ['scopeCoversCategories', 'categories'],
    ['scopeCoversPurpose', 'purpose'],
    ['scopeCoversCountry', 'third country'],
  ])('§2 EU-2 / §4.2: BCR condition %s false → the BCR does not hold', (key, why) => {
    const a = euRoute(facts({ bcr: { ...bcr, [key]: false } }));
    expect(ruleOf(a, 'EU-2')).toMatchObject({ outcome: 'fails' });
    expect(ruleOf(a, 'EU-2')!.reason).toContain(why);
    expect(a.route).toBe('not_permitted');
  });

  test.each([
    ['controller', 'controller', 'M1'],
    ['controller', 'processor', 'M2'],
    ['processor', 'processor', 'M3'],
    ['processor', 'controller', 'M4'],
  ] as const)('§2 EU-3 / §4.1: %s → %s uses module %s', (exporterRole, importerRole, module) => {
    const a = euRoute(
      facts({
        exporter: { country: 'DE', role: exporterRole },
        importer: importer('IN', { role: importerRole }),
        scc: scc(module, { euCollectedDataCombined: true }),
      }),
    );
    expect(a).toMatchObject({ route: 'scc', tiaRequired: true });
    expect(a.hops[0]!.sccModule).toBe(module);
  });

  test('§2 EU-3: a module that does not match the roles → no SCC tool', () => {
    const a = euRoute(facts({ scc: scc('M1') })); // controller → processor needs M2
    expect(ruleOf(a, 'EU-3')).toMatchObject({ outcome: 'fails' });
    expect(ruleOf(a, 'EU-3')!.reason).toContain('needs M2');
    expect(a.route).toBe('not_permitted');
  });

  test('§4.1 old SCC sets (2010/87/EU) were valid only until 27 Dec 2022: reliance now = no tool', () => {
    const a = euRoute(facts({ scc: scc('M2', { version: '2010/87/EU' }) }));
    expect(ruleOf(a, 'EU-3')).toMatchObject({ outcome: 'fails' });
    expect(a.route).toBe('not_permitted');
  });

  test('§2 EU-3: modified text (Clause 2) or incomplete annexes → no SCC tool', () => {
    expect(euRoute(facts({ scc: scc('M2', { textUnmodified: false }) })).route).toBe('not_permitted');
    expect(euRoute(facts({ scc: scc('M2', { annexesComplete: false }) })).route).toBe('not_permitted');
  });

  test('§2 EU-3 / §4.1: Module 4 without combining EU-collected data → scc without TIA', () => {
    const a = euRoute(
      facts({
        exporter: { country: 'DE', role: 'processor' },
        importer: importer('IN', { role: 'controller' }),
        scc: scc('M4', { euCollectedDataCombined: false }),
        tia: null,
      }),
    );
    expect(a).toMatchObject({ route: 'scc', tiaRequired: false });
    expect(a.hops[0]!.tiaPending).toBeUndefined();
  });

  test('§2 EU-3 / §4.1: Module 4 combining EU-collected data → TIA required', () => {
    const a = euRoute(
      facts({
        exporter: { country: 'DE', role: 'processor' },
        importer: importer('IN', { role: 'controller' }),
        scc: scc('M4', { euCollectedDataCombined: true }),
      }),
    );
    expect(a).toMatchObject({ route: 'scc', tiaRequired: true });
  });

  test.each([
    [{ kind: 'public_body_instrument' as const }, 'other_art46'],
    [{ kind: 'code' as const, bindingCommitment: true }, 'other_art46'],
    [{ kind: 'certification' as const, bindingCommitment: true }, 'other_art46'],
    [{ kind: 'ad_hoc_clauses' as const, saAuthorisation: true }, 'other_art46'],
    [{ kind: 'admin_arrangement' as const, saAuthorisation: true }, 'other_art46'],
    [{ kind: 'code' as const, bindingCommitment: false }, 'not_permitted'],
    [{ kind: 'certification' as const, bindingCommitment: false }, 'not_permitted'],
    [{ kind: 'ad_hoc_clauses' as const, saAuthorisation: false }, 'not_permitted'],
    [{ kind: 'admin_arrangement' as const, saAuthorisation: false }, 'not_permitted'],
  ])('§2 EU-4 / §4.3: %j → %s (TIA required)', (otherArt46, route) => {
    const a = euRoute(facts({ otherArt46 }));
    expect(a.route).toBe(route);
    expect(a.tiaRequired).toBe(route === 'other_art46' ? true : null);
  });

  test('§2 EU-5: TIA not_effective → the SCC tool fails; with no derogation → not_permitted (do not start)', () => {
    const a = euRoute(facts({ scc: scc('M2'), tia: { ...effectiveTia, outcome: 'not_effective' } }));
    expect(a.route).toBe('not_permitted');
    expect(ruleOf(a, 'EU-5')).toMatchObject({ outcome: 'holds' });
    expect(ruleOf(a, 'EU-5')!.source).toMatch(/Schrems II/);
    expect(ruleOf(a, 'EU-8')!.reason).toMatch(/suspend if running/);
  });

  test('§2 EU-5: no effective supplementary measure → the tool fails', () => {
    const a = euRoute(
      facts({
        scc: scc('M2'),
        tia: {
          ...effectiveTia,
          outcome: 'effective_with_measures',
          measures: [{ type: 'technical', description: 'transport encryption', effective: false }],
        },
      }),
    );
    expect(ruleOf(a, 'EU-5')).toMatchObject({ outcome: 'holds' });
    expect(a.route).toBe('not_permitted');
  });

  test('§2 EU-5 then EU-6: the tool fails its TIA but a derogation holds → derogation', () => {
    const a = euRoute(
      facts({
        scc: scc('M2'),
        tia: { ...effectiveTia, outcome: 'not_effective' },
        derogation: {
          basis: 'e',
          frequency: 'occasional',
          necessityNote: 'evidence for a pending court case',
          legalClaims: { specificProcedure: true, procedureRef: 'LG München 1 O 123/26' },
        },
      }),
    );
    expect(a).toMatchObject({ route: 'derogation', tiaRequired: false });
  });

  test('§2 EU-3 with an effective TIA → scc, TIA not pending', () => {
    const a = euRoute(facts({ scc: scc('M2'), tia: effectiveTia }));
    expect(a.route).toBe('scc');
    expect(ruleOf(a, 'EU-5')).toMatchObject({ outcome: 'fails' });
    expect(a.hops[0]!.tiaPending).toBeUndefined();
  });

  test('§2 EU-3 before any TIA: the route stands with tiaRequired, TIA pending (approval blocked, see the TIA tests)', () => {
    const a = euRoute(facts({ scc: scc('M2') }));
    expect(a).toMatchObject({ route: 'scc', tiaRequired: true });
    expect(a.hops[0]!.tiaPending).toBe(true);
  });

  test('§2 EU-6: no adequacy, no Art. 46 tool, a derogation with all its conditions → derogation, no TIA', () => {
    const a = euRoute(
      facts({
        derogation: {
          basis: 'b',
          frequency: 'occasional',
          necessityNote: "hotel booking for the client's trip",
        },
      }),
    );
    expect(a).toMatchObject({ route: 'derogation', tiaRequired: false });
    expect(ruleOf(a, 'EU-6')!.source).toMatch(/§2\.2/);
  });

  test('§2 EU-7: compelling legitimate interests as last resort → derogation', () => {
    const a = euRoute(
      facts({
        approxDataSubjects: 3,
        derogation: {
          basis: 'cli',
          frequency: 'occasional',
          compellingInterests: {
            noOtherToolPossibleDemonstrated: true,
            limitedDataSubjects: true,
            compellingForController: true,
            balancingDone: true,
            safeguards: ['deletion within 7 days'],
            saInformed: true,
            dataSubjectsInformed: true,
            art30Documented: true,
          },
        },
      }),
    );
    expect(a.route).toBe('derogation');
    expect(ruleOf(a, 'EU-7')).toMatchObject({ outcome: 'holds' });
    expect(ruleOf(a, 'EU-7')!.source).toMatch(/49\(6\)/);
  });

  test('§2 EU-8: nothing holds → not_permitted (Art. 44)', () => {
    const a = euRoute(facts());
    expect(a.route).toBe('not_permitted');
    expect(ruleOf(a, 'EU-8')).toMatchObject({ outcome: 'holds', source: expect.stringContaining('Art. 44') });
  });

  test('§2 every rule that fired carries a reason and a source', () => {
    const a = euRoute(facts({ scc: scc('M2'), tia: effectiveTia }));
    expect(a.rules.map((r) => r.id)).toEqual(['EU-0', 'EU-1', 'EU-2', 'EU-3', 'EU-5']);
    for (const r of a.rules) {
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.source).toMatch(/\[E\d+\]/);
    }
  });
});

describe('§2 unknown facts', () => {
  test('§2 an Art. 46 tool that fully holds decides even if an adequacy fact is unknown, with a note', () => {
    const a = euRoute(facts({ importer: importer('US'), scc: scc('M2') })); // no DPF facts given
    expect(a).toMatchObject({ route: 'scc', tiaRequired: true, needsInfo: [] });
    expect(a.notes.join(' ')).toMatch(/adequacy not determined/);
  });

  test('§2 a derogation may not be chosen while an adequacy fact is unknown → needs_info', () => {
    const a = euRoute(
      facts({
        importer: importer('US'),
        derogation: { basis: 'b', frequency: 'occasional', necessityNote: 'booking' },
      }),
    );
    expect(a.route).toBe('needs_info');
    expect(fields(a)).toEqual(expect.arrayContaining(['importer.scopeFacts.dpf.entityMatches']));
  });

  test('§2 a derogation may not be chosen while an Art. 46 fact is unknown → needs_info', () => {
    const { scc: _omit, ...rest } = facts({
      derogation: { basis: 'b', frequency: 'occasional', necessityNote: 'booking' },
    });
    const a = euRoute(rest);
    expect(a.route).toBe('needs_info');
    expect(fields(a)).toEqual(['scc']);
  });

  test('§2 more than one Art. 46 tool: default order BCR, then SCC; the designated one otherwise', () => {
    const bcr = {
      approvedBySA: true,
      exporterIsMember: true,
      importerIsMember: true,
      scopeCoversCategories: true,
      scopeCoversPurpose: true,
      scopeCoversCountry: true,
    };
    expect(euRoute(facts({ bcr, scc: scc('M2') })).route).toBe('bcr');
    expect(euRoute(facts({ bcr, scc: scc('M2'), designatedTool: 'scc' })).route).toBe('scc');
  });

  test.each<[string, (f: ReturnType<typeof facts>) => ReturnType<typeof facts>, string]>([
    ['exporter.country', (f) => ({ ...f, exporter: { role: 'controller' } }), 'exporter.country'],
    ['disclosureMeans', ({ disclosureMeans: _d, ...f }) => f, 'disclosureMeans'],
    [
      'importer.sameLegalEntityAsExporter',
      (f) => ({ ...f, importer: { country: 'IN', role: 'processor' } }),
      'importer.sameLegalEntityAsExporter',
    ],
    [
      'importer.country',
      (f) => ({ ...f, importer: { role: 'processor', sameLegalEntityAsExporter: false } }),
      'importer.country',
    ],
    [
      'transferDate (adequate destination)',
      ({ transferDate: _t, ...f }) => ({ ...f, importer: importer('CH') }),
      'transferDate',
    ],
    ['bcr', ({ bcr: _b, ...f }) => f, 'bcr'],
    ['scc', ({ scc: _s, ...f }) => f, 'scc'],
    ['otherArt46', ({ otherArt46: _o, ...f }) => f, 'otherArt46'],
    ['derogation', ({ derogation: _d, ...f }) => f, 'derogation'],
    ['scc.module', (f) => ({ ...f, scc: { ...scc('M2'), module: undefined } }), 'scc.module'],
    ['scc.version', (f) => ({ ...f, scc: { ...scc('M2'), version: undefined } }), 'scc.version'],
    [
      'scc.textUnmodified',
      (f) => ({ ...f, scc: { ...scc('M2'), textUnmodified: undefined } }),
      'scc.textUnmodified',
    ],
    [
      'scc.annexesComplete',
      (f) => ({ ...f, scc: { ...scc('M2'), annexesComplete: undefined } }),
      'scc.annexesComplete',
    ],
    ['exporter.role', (f) => ({ ...f, exporter: { country: 'DE' }, scc: scc('M2') }), 'exporter.role'],
    [
      'importer.role',
      (f) => ({ ...f, importer: { country: 'IN', sameLegalEntityAsExporter: false }, scc: scc('M2') }),
      'importer.role',
    ],
    [
      'scc.euCollectedDataCombined (M4)',
      (f) => ({
        ...f,
        exporter: { country: 'DE', role: 'processor' },
        importer: importer('IN', { role: 'controller' }),
        scc: scc('M4'),
      }),
      'scc.euCollectedDataCombined',
    ],
    [
      'tia.outcome',
      (f) => ({ ...f, scc: scc('M2'), tia: { done: true, date: '2026-11-01' } }),
      'tia.outcome',
    ],
    [
      'tia.measures',
      (f) => ({ ...f, scc: scc('M2'), tia: { ...effectiveTia, outcome: 'effective_with_measures' } }),
      'tia.measures',
    ],
    ['bcr.approvedBySA', (f) => ({ ...f, bcr: { exporterIsMember: true } }), 'bcr.approvedBySA'],
    ['otherArt46.kind', (f) => ({ ...f, otherArt46: {} }), 'otherArt46.kind'],
    ['derogation.basis', (f) => ({ ...f, derogation: {} }), 'derogation.basis'],
    [
      'derogation.frequency',
      (f) => ({ ...f, derogation: { basis: 'b', necessityNote: 'x' } }),
      'derogation.frequency',
    ],
  ])('§1/§2 missing %s → needs_info naming the field, never a guess', (_name, change, field) => {
    const a = euRoute(change(facts()));
    expect(a.route).toBe('needs_info');
    expect(fields(a)).toContain(field);
    expect(a.needsInfo.find((m) => m.field === field)!.reason.length).toBeGreaterThan(0);
  });
});

describe('§2 chain rule: each onward hop decided on its own', () => {
  test('§2 chain: an onward hop to a non-adequate country without a basis → the chain is not_permitted, the hop listed', () => {
    const a = euRoute(
      facts({ scc: scc('M2'), tia: effectiveTia, onwardTransfers: [hop('Shenzhen vendor')] }),
    );
    expect(a.route).toBe('not_permitted');
    expect(a.failingHops).toEqual(['onwardTransfers[0]']);
    expect(a.hops[0]!.route).toBe('scc');
    expect(a.hops[1]).toMatchObject({
      path: 'onwardTransfers[0]',
      route: 'not_permitted',
      recipientName: 'Shenzhen vendor',
    });
    expect(ruleOf(a, 'EU-chain')).toMatchObject({ outcome: 'fails' });
  });

  test('§2 chain: a hop from an adequate destination is governed by its onward rules; the safeguard is recorded', () => {
    const a = euRoute(
      facts({
        importer: importer('JP', { scopeFacts: { jp: { isPIHBO: true } } }),
        onwardTransfers: [
          hop('Beijing partner', { safeguard: 'consent informed of the destination (SR (4))' }),
        ],
      }),
    );
    expect(a.route).toBe('adequacy');
    expect(a.hops[1]).toMatchObject({
      route: 'adequacy',
      tiaRequired: false,
      safeguard: expect.stringContaining('SR (4)'),
    });
    expect(a.hops[1]!.rules.find((r) => r.id === 'EU-chain')!.source).toMatch(/Supplementary Rule \(4\)/);
  });

  test('§2 chain: a hop from an adequate destination without a named safeguard → needs_info', () => {
    const a = euRoute(
      facts({
        importer: importer('JP', { scopeFacts: { jp: { isPIHBO: true } } }),
        onwardTransfers: [hop('X')],
      }),
    );
    expect(a.route).toBe('needs_info');
    expect(fields(a)).toEqual(['onwardTransfers[0].safeguard']);
  });

  test('§2 chain: M1 Clause 8.7 allows explicit consent for the onward hop', () => {
    const a = euRoute(
      facts({
        exporter: { country: 'DE', role: 'controller', publicAuthorityExercisingPublicPowers: false },
        importer: importer('IN', { role: 'controller' }),
        scc: scc('M1'),
        tia: effectiveTia,
        onwardTransfers: [
          hop('Y', {
            exporter: { publicAuthorityExercisingPublicPowers: false },
            derogation: {
              basis: 'a',
              frequency: 'occasional',
              consent: { explicit: true, specific: true, informedOfRisks: true },
            },
          }),
        ],
      }),
    );
    expect(a.route).toBe('scc');
    expect(a.hops[1]).toMatchObject({ route: 'derogation', derogationBasis: 'a' });
  });

  test('§2 chain: M2 Clause 8.8 has no consent option → the hop is not_permitted', () => {
    const a = euRoute(
      facts({
        scc: scc('M2'),
        tia: effectiveTia,
        onwardTransfers: [
          hop('Y', {
            documentedInstructions: true,
            importer: importer('CN', { role: 'controller' }),
            exporter: { publicAuthorityExercisingPublicPowers: false },
            derogation: {
              basis: 'a',
              frequency: 'occasional',
              consent: { explicit: true, specific: true, informedOfRisks: true },
            },
          }),
        ],
      }),
    );
    expect(a.route).toBe('not_permitted');
    expect(a.hops[1]!.rules.at(-1)).toMatchObject({ id: 'EU-chain', outcome: 'fails' });
  });

  test('§2 chain: M2 onward hop to a sub-processor bound by SCCs needs documented instructions and Clause 9', () => {
    const sub = (over: object) =>
      facts({
        scc: scc('M2'),
        tia: effectiveTia,
        onwardTransfers: [
          hop('Sub', {
            importer: importer('IN', { role: 'processor' }),
            scc: scc('M3'),
            tia: effectiveTia,
            ...over,
          }),
        ],
      });
    expect(fields(euRoute(sub({})))).toEqual([
      'onwardTransfers[0].documentedInstructions',
      'onwardTransfers[0].subProcessor.priorAuthorisation',
      'onwardTransfers[0].subProcessor.writtenContractSameObligations',
    ]);
    const ok = euRoute(
      sub({
        documentedInstructions: true,
        subProcessor: { priorAuthorisation: true, writtenContractSameObligations: true },
      }),
    );
    expect(ok.route).toBe('scc');
    expect(ok.hops[1]).toMatchObject({ route: 'scc', sccModule: 'M3' });
    const unauthorised = euRoute(
      sub({
        documentedInstructions: true,
        subProcessor: { priorAuthorisation: false, writtenContractSameObligations: true },
      }),
    );
    expect(unauthorised.route).toBe('not_permitted');
  });

  test('§2 chain / §4.1: disclosure by an importer to a party in the EEA is not an onward transfer', () => {
    const a = euRoute(
      facts({
        scc: scc('M2'),
        tia: effectiveTia,
        onwardTransfers: [hop('Paris office', { importer: importer('FR') })],
      }),
    );
    expect(a.route).toBe('scc');
    expect(a.hops[1]!.route).toBe('no_transfer');
  });

  test('§2 chain: every hop evaluated, depth-first, each with its own answer', () => {
    const a = euRoute(
      facts({
        scc: scc('M2'),
        tia: effectiveTia,
        onwardTransfers: [
          hop('Zurich', {
            importer: importer('CH'),
            documentedInstructions: true,
            subProcessor: { priorAuthorisation: true, writtenContractSameObligations: true },
            onwardTransfers: [hop('Singapore')],
          }),
          hop('Paris', { importer: importer('FR') }),
        ],
      }),
    );
    expect(a.hops.map((h) => [h.path, h.route])).toEqual([
      ['', 'scc'],
      ['onwardTransfers[0]', 'adequacy'],
      ['onwardTransfers[0].onwardTransfers[0]', 'needs_info'],
      ['onwardTransfers[1]', 'no_transfer'],
    ]);
    // the hop from Switzerland (adequate) is governed by its onward rules: it needs the safeguard named
    expect(fields(a)).toEqual(['onwardTransfers[0].onwardTransfers[0].safeguard']);
    expect(a.route).toBe('needs_info');
  });
});

describe('§1 the facts schema', () => {
  test('§1 accepts the fact names of the table and rejects unknown keys', () => {
    const ok = euGdprFactsSchema.safeParse(
      facts({
        importer: importer('US', {
          scopeFacts: {
            dpf: { status: 'active', framework: 'eu-us', coveredData: ['hr'], entityMatches: true },
          },
        }),
        hrData: true,
        scc: { signed: false },
        tia: { done: true, date: '2026-01-01', outcome: 'effective', measures: [], nextReview: '2027-01-01' },
        derogation: { basis: 'a', frequency: 'occasional' },
        onwardTransfers: [hop('x', { onwardTransfers: [hop('y')] })],
      }),
    );
    expect(ok.success).toBe(true);
    expect(
      euGdprFactsSchema.safeParse({ ...facts(), importer: { country: 'US', dpfStatus: 'x' } }).success,
    ).toBe(false);
    expect(euGdprFactsSchema.safeParse({ ...facts(), transferDate: '2026-02-30' }).success).toBe(false);
  });
});
