/**
 * The eu-gdpr pack over HTTP against the real stack: POST /v1/route-check with "policy": "eu-gdpr" (cases written
 * from ../shared/EU-GDPR.md, not from the code), GET /v1/policy?id=eu-gdpr, unknown pack ids, and the eu-gdpr
 * submissions POST /v1/transfers refuses before starting anything (the lifecycle: eu-gdpr-lifecycle.test.ts). Every response also passes the /openapi.json contract check.
 *
 * The base case (EU-GDPR.md §1 facts): a German controller transmits customer contact data to a separate processor
 * in India (no adequacy decision, §3) on the status date 2026-11-28, every tool explicitly absent ("none is
 * explicit"). Each case states only what it changes.
 */
import { applicant, reviewer, startStack, watchWorkflowStarts, type Stack } from '../helpers';
import { facts, STATUS_DATE } from '../domain/eu-gdpr-fixtures';

let stack: Stack;
let token: string;
let reviewerToken: string;

beforeAll(async () => {
  stack = await startStack();
  token = await stack.token(applicant);
  reviewerToken = await stack.token(reviewer);
});
afterAll(async () => {
  await stack.stop();
});

type Facts = Record<string, unknown>;

/** The domain tests' baseline facts (test/domain/eu-gdpr-fixtures.ts), as a route-check body. */
const base = (over: Facts = {}): Facts => ({ policy: 'eu-gdpr', ...facts(), ...over });

const importer = (country: string, extra: Facts = {}) => ({
  country,
  role: 'processor',
  sameLegalEntityAsExporter: false,
  ...extra,
});

const scc = (module: string, extra: Facts = {}) => ({
  signed: true,
  module,
  version: '2021/914',
  textUnmodified: true,
  annexesComplete: true,
  ...extra,
});
const effectiveTia = { done: true, date: '2026-11-01', outcome: 'effective' };
const dpf = (over: Facts = {}) => ({
  status: 'active',
  framework: 'eu-us',
  coveredData: ['non_hr'],
  entityMatches: true,
  ...over,
});

interface Rule {
  id: string;
  outcome: string;
  reason: string;
  source: string;
}

async function check(body: Facts) {
  const res = await stack.call('POST', '/v1/route-check', { token, body });
  expect(res.status).toBe(200);
  return res.body as {
    route: string;
    tiaRequired: boolean | null;
    rules: Rule[];
    needsInfo: { field: string; reason: string }[];
    hops: { path: string; route: string; tiaRequired: boolean | null; rules: Rule[] }[];
    failingHops: string[];
    materials: { kind: string }[];
    clocks: { step: string }[];
    policy: { id: string; version: string };
  };
}
const rule = (rules: Rule[], id: string) => rules.find((r) => r.id === id);

describe('POST /v1/route-check "policy": "eu-gdpr" — §2 decision order, one case per row', () => {
  test('EU-0 §0: a recipient in the EEA (France) → no_transfer, no TIA', async () => {
    const a = await check(base({ importer: importer('FR') }));
    expect(a).toMatchObject({
      route: 'no_transfer',
      tiaRequired: false,
      policy: { id: 'eu-gdpr', version: '2026.1' },
    });
    expect(rule(a.rules, 'EU-0')).toMatchObject({
      outcome: 'holds',
      source: expect.stringContaining('05/2021'),
    });
  });

  test("EU-0 §0: the exporter's own branch within the same legal entity → no_transfer", async () => {
    const a = await check(base({ importer: importer('IN', { sameLegalEntityAsExporter: true }) }));
    expect(a.route).toBe('no_transfer');
  });

  test('EU-1: Japan, the recipient a PIHBO under the APPI, decision in force → adequacy, no TIA', async () => {
    const a = await check(base({ importer: importer('JP', { scopeFacts: { jp: { isPIHBO: true } } }) }));
    expect(a).toMatchObject({ route: 'adequacy', tiaRequired: false });
    expect(rule(a.rules, 'EU-1')).toMatchObject({
      outcome: 'holds',
      source: expect.stringMatching(/Art\. 45\(1\).*2019\/419/),
    });
    expect(a.materials.map((m) => m.kind)).toContain('appi_pihbo_statement');
  });

  test('EU-2: approved BCRs, both members, scope covers category, purpose and country → bcr with a TIA', async () => {
    const a = await check(
      base({
        bcr: {
          approvedBySA: true,
          type: 'C',
          exporterIsMember: true,
          importerIsMember: true,
          scopeCoversCategories: true,
          scopeCoversPurpose: true,
          scopeCoversCountry: true,
        },
        tia: effectiveTia,
      }),
    );
    expect(a).toMatchObject({ route: 'bcr', tiaRequired: true });
    expect(rule(a.rules, 'EU-2')).toMatchObject({ outcome: 'holds', source: expect.stringContaining('47') });
  });

  test('EU-3: SCC Module 2 (controller → processor) with an effective TIA → scc with a TIA, review clock set', async () => {
    const a = await check(base({ scc: scc('M2'), tia: effectiveTia }));
    expect(a).toMatchObject({ route: 'scc', tiaRequired: true });
    expect(rule(a.rules, 'EU-3')).toMatchObject({
      outcome: 'holds',
      source: expect.stringContaining('2021/914'),
    });
    expect(a.materials.map((m) => m.kind)).toEqual(
      expect.arrayContaining(['scc_signed', 'tia_report', 'scc_annex_iii']),
    );
    expect(a.clocks).toContainEqual(expect.objectContaining({ step: 'tia_review', due: '2027-11-01' }));
  });

  test('EU-3: the module does not match the roles (M1 for controller → processor) → no SCC tool → not_permitted', async () => {
    const a = await check(base({ scc: scc('M1'), tia: effectiveTia }));
    expect(rule(a.rules, 'EU-3')!.outcome).toBe('fails');
    expect(a.route).toBe('not_permitted');
  });

  test('EU-4: ad hoc clauses with SA authorisation (Art. 46(3)(a)) → other_art46 with a TIA', async () => {
    const a = await check(
      base({ otherArt46: { kind: 'ad_hoc_clauses', saAuthorisation: true }, tia: effectiveTia }),
    );
    expect(a).toMatchObject({ route: 'other_art46', tiaRequired: true });
    expect(rule(a.rules, 'EU-4')!.source).toContain('46(2)-(3)');
  });

  test('EU-4: ad hoc clauses without SA authorisation → the tool does not hold', async () => {
    const a = await check(base({ otherArt46: { kind: 'ad_hoc_clauses', saAuthorisation: false } }));
    expect(rule(a.rules, 'EU-4')!.outcome).toBe('fails');
    expect(a.route).toBe('not_permitted');
  });

  test('EU-5: SCCs with a TIA "not effective" and no derogation → the tool fails → not_permitted', async () => {
    const a = await check(base({ scc: scc('M2'), tia: { ...effectiveTia, outcome: 'not_effective' } }));
    expect(a.route).toBe('not_permitted');
    expect(rule(a.rules, 'EU-5')).toMatchObject({
      outcome: 'holds',
      source: expect.stringContaining('Schrems II'),
    });
    expect(rule(a.rules, 'EU-8')).toMatchObject({ outcome: 'holds' });
  });

  test('EU-6: no adequacy, no Art. 46 tool, (e) legal claims in a specific procedure, occasional → derogation, no TIA', async () => {
    const a = await check(
      base({
        derogation: {
          basis: 'e',
          frequency: 'occasional',
          necessityNote: 'documents for the arbitration',
          legalClaims: { specificProcedure: true, procedureRef: 'ICC case 12345' },
        },
      }),
    );
    expect(a).toMatchObject({ route: 'derogation', tiaRequired: false });
    expect(rule(a.rules, 'EU-6')).toMatchObject({
      outcome: 'holds',
      source: expect.stringContaining('49(1)(e)'),
    });
  });

  test('EU-7: compelling legitimate interests, every §5.2 condition → derogation (last resort)', async () => {
    const a = await check(
      base({
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
    expect(rule(a.rules, 'EU-7')).toMatchObject({
      outcome: 'holds',
      source: expect.stringContaining('49(6)'),
    });
  });

  test('EU-8: nothing holds → not_permitted (Art. 44)', async () => {
    const a = await check(base());
    expect(a.route).toBe('not_permitted');
    expect(rule(a.rules, 'EU-8')).toMatchObject({
      outcome: 'holds',
      source: expect.stringContaining('Art. 44'),
    });
    expect(a.failingHops).toEqual(['(hop 0)']);
  });

  test('every rule that fired carries a reason and a source', async () => {
    const a = await check(base({ scc: scc('M2'), tia: effectiveTia }));
    expect(a.rules.length).toBeGreaterThan(1);
    for (const r of a.rules) {
      expect(r.reason.length).toBeGreaterThan(0);
      expect(r.source).toMatch(/\[E\d+\]/);
    }
  });
});

describe('§3 the adequacy register: in force, out of scope, before its start date', () => {
  test('US: the exact entity on the DPF List, Active, EU-U.S. row, covering non-HR data → adequacy', async () => {
    const a = await check(base({ hrData: false, importer: importer('US', { scopeFacts: { dpf: dpf() } }) }));
    expect(a).toMatchObject({ route: 'adequacy', tiaRequired: false });
    expect(rule(a.rules, 'EU-1')!.source).toContain('2023/1795');
  });

  test('US: DPF status inactive → not covered → not_permitted (no other tool)', async () => {
    const a = await check(
      base({ hrData: false, importer: importer('US', { scopeFacts: { dpf: dpf({ status: 'inactive' }) } }) }),
    );
    expect(rule(a.rules, 'EU-1')!.outcome).toBe('fails');
    expect(a.route).toBe('not_permitted');
  });

  test('US: HR data but the record covers non-HR data only → not covered', async () => {
    const a = await check(base({ hrData: true, importer: importer('US', { scopeFacts: { dpf: dpf() } }) }));
    expect(rule(a.rules, 'EU-1')!.outcome).toBe('fails');
    expect(a.route).toBe('not_permitted');
  });

  test('US: a parent listed, not the contracting entity → not covered; with SCCs → scc', async () => {
    const a = await check(
      base({
        hrData: false,
        importer: importer('US', { scopeFacts: { dpf: dpf({ entityMatches: false }) } }),
        scc: scc('M2'),
        tia: effectiveTia,
      }),
    );
    expect(rule(a.rules, 'EU-1')!.outcome).toBe('fails');
    expect(a.route).toBe('scc');
  });

  test('Korea: personal credit information by an FSC-supervised controller is outside the decision', async () => {
    const a = await check(
      base({ importer: importer('KR', { scopeFacts: { kr: { creditInfoUnderFSC: true } } }) }),
    );
    expect(rule(a.rules, 'EU-1')!.outcome).toBe('fails');
    expect(a.route).toBe('not_permitted');
    const inScope = await check(
      base({
        importer: importer('KR', {
          scopeFacts: {
            kr: { creditInfoUnderFSC: false, religiousMissionary: false, politicalNomination: false },
          },
        }),
      }),
    );
    expect(inScope.route).toBe('adequacy');
  });

  test('Canada: a recipient not under PIPEDA (e.g. provincial public sector) is outside the decision', async () => {
    const a = await check(base({ importer: importer('CA', { scopeFacts: { subjectToPIPEDA: false } }) }));
    expect(rule(a.rules, 'EU-1')!.outcome).toBe('fails');
    const inScope = await check(
      base({ importer: importer('CA', { scopeFacts: { subjectToPIPEDA: true } }) }),
    );
    expect(inScope.route).toBe('adequacy');
  });

  test('Brazil: the day before Decision 2026/179 is in force → no adequacy; from its start date → adequacy', async () => {
    const lgpd = importer('BR', { scopeFacts: { br: { subjectToLGPD: true } } });
    const before = await check(base({ importer: lgpd, transferDate: '2026-01-27' }));
    expect(rule(before.rules, 'EU-1')).toMatchObject({
      outcome: 'fails',
      reason: expect.stringContaining('2026-01-27'),
    });
    expect(before.route).toBe('not_permitted');
    const from = await check(base({ importer: lgpd, transferDate: '2026-01-28' }));
    expect(from.route).toBe('adequacy');
  });

  test('United Kingdom: in force to 27 Dec 2031, not after', async () => {
    expect((await check(base({ importer: importer('GB'), transferDate: '2031-12-27' }))).route).toBe(
      'adequacy',
    );
    expect((await check(base({ importer: importer('GB'), transferDate: '2031-12-28' }))).route).toBe(
      'not_permitted',
    );
  });
});

describe('§5 derogations: occasional vs repetitive, public authorities', () => {
  const contract = (frequency: string) =>
    base({
      derogation: { basis: 'b', frequency, necessityNote: "hotel booking for the client's trip" },
    });

  test('(b) contract with the data subject, occasional → derogation', async () => {
    expect((await check(contract('occasional'))).route).toBe('derogation');
  });

  test('(b) repetitive → not_permitted (recital 111: occasional only)', async () => {
    const a = await check(contract('repetitive'));
    expect(a.route).toBe('not_permitted');
    expect(rule(a.rules, 'EU-6')).toMatchObject({
      outcome: 'fails',
      reason: expect.stringMatching(/occasional/),
    });
  });

  test('(b) is not available to a public authority exercising its public powers (Art. 49(3))', async () => {
    const a = await check({
      ...contract('occasional'),
      exporter: { country: 'DE', role: 'controller', publicAuthorityExercisingPublicPowers: true },
    });
    expect(a.route).toBe('not_permitted');
    expect(rule(a.rules, 'EU-6')!.outcome).toBe('fails');
  });
});

describe('§4.1 Module 4', () => {
  test('processor → controller (M4), no EU-collected data combined → scc without a TIA', async () => {
    const a = await check(
      base({
        exporter: { country: 'DE', role: 'processor', publicAuthorityExercisingPublicPowers: false },
        importer: importer('IN', { role: 'controller' }),
        scc: scc('M4', { euCollectedDataCombined: false }),
        tia: null,
      }),
    );
    expect(a).toMatchObject({ route: 'scc', tiaRequired: false });
    expect(a.materials.map((m) => m.kind)).toContain('m4_no_combination_statement');
    expect(a.materials.map((m) => m.kind)).not.toContain('tia_report');
  });

  test('M4 combining EU-collected data → a TIA is required', async () => {
    const a = await check(
      base({
        exporter: { country: 'DE', role: 'processor', publicAuthorityExercisingPublicPowers: false },
        importer: importer('IN', { role: 'controller' }),
        scc: scc('M4', { euCollectedDataCombined: true }),
        tia: effectiveTia,
      }),
    );
    expect(a).toMatchObject({ route: 'scc', tiaRequired: true });
  });
});

describe('§2 chain rule: each onward hop on its own', () => {
  test('SCC importer in India → onward hop to a vendor in China with no basis → the chain is not_permitted, the hop listed', async () => {
    const a = await check(
      base({
        scc: scc('M2'),
        tia: effectiveTia,
        onwardTransfers: [
          {
            recipientName: 'Shenzhen vendor',
            importer: importer('CN'),
            bcr: null,
            scc: null,
            otherArt46: null,
            derogation: null,
          },
        ],
      }),
    );
    expect(a.route).toBe('not_permitted');
    expect(a.failingHops).toEqual(['onwardTransfers[0]']);
    expect(a.hops.map((h) => [h.path, h.route])).toEqual([
      ['', 'scc'],
      ['onwardTransfers[0]', 'not_permitted'],
    ]);
    expect(rule(a.rules, 'EU-chain')).toMatchObject({
      outcome: 'fails',
      reason: expect.stringContaining('onwardTransfers[0]'),
    });
  });

  test('a hop from an adequate destination (Japan) is governed by its onward rules: the named safeguard is recorded', async () => {
    const a = await check(
      base({
        importer: importer('JP', { scopeFacts: { jp: { isPIHBO: true } } }),
        onwardTransfers: [
          {
            recipientName: 'Singapore support desk',
            importer: importer('SG'),
            safeguard: 'consent informed of the destination (Supplementary Rule (4))',
          },
        ],
      }),
    );
    expect(a.route).toBe('adequacy');
    expect(a.hops[1]).toMatchObject({ path: 'onwardTransfers[0]', route: 'adequacy', tiaRequired: false });
    expect(rule(a.hops[1]!.rules, 'EU-chain')!.source).toContain('Supplementary Rule (4)');
  });
});

describe('needs_info: a missing fact is asked for, never guessed', () => {
  test('US recipient without its DPF record and no other tool → needs_info naming the DPF facts', async () => {
    const a = await check(base({ importer: importer('US') }));
    expect(a).toMatchObject({ route: 'needs_info', tiaRequired: null });
    expect(a.needsInfo.map((n) => n.field)).toEqual(
      expect.arrayContaining(['importer.scopeFacts.dpf.status']),
    );
  });

  test('no transfer date → needs_info for transferDate (the register is evaluated on it)', async () => {
    const { transferDate: _omit, ...facts } = base({
      importer: importer('JP', { scopeFacts: { jp: { isPIHBO: true } } }),
    });
    const a = await check(facts);
    expect(a.route).toBe('needs_info');
    expect(a.needsInfo.map((n) => n.field)).toContain('transferDate');
  });

  test('a missing fact of an onward hop is named by its path', async () => {
    const a = await check(
      base({
        scc: scc('M2'),
        tia: effectiveTia,
        onwardTransfers: [
          { recipientName: 'sub-processor', scc: null, bcr: null, otherArt46: null, derogation: null },
        ],
      }),
    );
    expect(a.route).toBe('needs_info');
    expect(a.needsInfo.map((n) => n.field)).toContain('onwardTransfers[0].importer.country');
  });
});

describe('validation of the eu-gdpr facts', () => {
  test('a value outside the schema → 400 at its pointer', async () => {
    const res = await stack.call('POST', '/v1/route-check', {
      token,
      body: base({ importer: importer('US', { scopeFacts: { dpf: dpf({ status: 'sort of' }) } }) }),
    });
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(
      '/importer/scopeFacts/dpf/status',
    );
  });

  test('a cn-2024 fact under eu-gdpr is an unknown key → 400 at that key', async () => {
    const res = await stack.call('POST', '/v1/route-check', {
      token,
      body: base({ volume: { individualsYtd: 5 } }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/volume');
  });

  test('a malformed onward hop → 400 pointing into the hop', async () => {
    const res = await stack.call('POST', '/v1/route-check', {
      token,
      body: base({ onwardTransfers: [{ recipientName: 'x', scc: { module: 'M9' } }] }),
    });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContain(
      '/onwardTransfers/0/scc/module',
    );
  });
});

describe('the policy field', () => {
  test('an unknown pack id → 400 at /policy naming the known packs', async () => {
    const res = await stack.call('POST', '/v1/route-check', { token, body: { policy: 'us-ccpa' } });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:xborder:problem:validation');
    expect(res.body.detail).toContain('cn-2024');
    expect(res.body.detail).toContain('eu-gdpr');
    expect(res.body.errors).toEqual([{ pointer: '/policy', detail: expect.stringContaining('eu-gdpr') }]);
  });

  test('"policy": "cn-2024" is the default pack, answered as without it', async () => {
    const withIt = await stack.call('POST', '/v1/route-check', {
      token,
      body: { policy: 'cn-2024', title: 'x' },
    });
    const without = await stack.call('POST', '/v1/route-check', { token, body: { title: 'x' } });
    expect(withIt.status).toBe(200);
    expect(withIt.body).toEqual(without.body);
    expect(withIt.body.policy.id).toBe('cn-2024');
  });

  test('the route check is for the applicant', async () => {
    const res = await stack.call('POST', '/v1/route-check', { token: reviewerToken, body: base() });
    expect(res.status).toBe(403);
  });
});

describe('GET /v1/policy?id=eu-gdpr', () => {
  test('describes the pack: routes, rule ids with sources, register with dates and scope, materials, clocks, checklist, lifecycle', async () => {
    const res = await stack.call('GET', '/v1/policy?id=eu-gdpr', { token: reviewerToken });
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d).toMatchObject({
      id: 'eu-gdpr',
      version: '2026.1',
      versions: ['2026.1'],
      current: '2026.1',
      acceptsSubmissions: true,
      statusDate: STATUS_DATE,
      lifecycle: {
        filing: false,
        registerNumber: { kind: 'internal_register_number' },
        decidedBy: 'exporter_privacy_office',
        assessmentForm: { kind: 'eu_tia_six_steps', hardGate: 'not_effective' },
        supervision: {
          kind: 're_evaluation_schedule',
          tiaReviewMonths: 12,
          derogationRecheckOnEveryUse: true,
        },
        calendar: { kind: 'calendar_days' },
      },
    });
    expect(d.routes).toEqual(
      expect.arrayContaining([
        'adequacy',
        'bcr',
        'scc',
        'other_art46',
        'derogation',
        'not_permitted',
        'needs_info',
        'no_transfer',
      ]),
    );
    expect(d.rules.map((r: { id: string }) => r.id)).toEqual([
      'EU-0',
      'EU-1',
      'EU-2',
      'EU-3',
      'EU-4',
      'EU-5',
      'EU-6',
      'EU-7',
      'EU-8',
      'EU-chain',
    ]);
    for (const r of d.rules) expect(r.source).toMatch(/EU-GDPR\.md §/);
    const us = d.adequacyRegister.find((a: { id: string }) => a.id === 'US');
    expect(us).toMatchObject({
      inForceFrom: expect.stringMatching(/^2023-/),
      destination: { country: 'US' },
    });
    expect(JSON.stringify(us.requires)).toContain('importer.scopeFacts.dpf.status');
    const uk = d.adequacyRegister.filter(
      (a: { destination: { country?: string } }) => a.destination.country === 'GB',
    );
    expect(uk.map((a: { inForceUntil?: string }) => a.inForceUntil)).toContain('2031-12-27');
    expect(d.adequacyRegister.find((a: { id: string }) => a.id === 'BR')).toMatchObject({
      inForceFrom: '2026-01-28',
    });
    expect(Object.keys(d.materials).sort()).toEqual(['adequacy', 'bcr', 'derogation', 'other_art46', 'scc']);
    expect(d.deadlines.map((x: { step: string }) => x.step)).toContain('tia_review');
    expect(d.reviewChecklist.map((c: { item: string }) => c.item)).toContain('dpf_record');
    expect(d.tiaSteps).toHaveLength(6);
  });

  test('cn-2024 keeps its description and now lists its route rows', async () => {
    const res = await stack.call('GET', '/v1/policy?id=cn-2024', { token: reviewerToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: 'cn-2024', acceptsSubmissions: true, lifecycle: { filing: true } });
    expect(res.body.routes[0]).toMatchObject({ id: 'cn-2024/0', route: 'exempt' });
  });

  test('an unknown id → 404 problem+json naming the known packs', async () => {
    const res = await stack.call('GET', '/v1/policy?id=us-ccpa', { token: reviewerToken });
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/known: cn-2024, eu-gdpr/);
  });

  test('an unreleased eu-gdpr version → 404 naming the released one', async () => {
    const res = await stack.call('GET', '/v1/policy?id=eu-gdpr&version=2099.1', { token: reviewerToken });
    expect(res.status).toBe(404);
    expect(res.body.detail).toContain('2026.1');
  });
});

/** An eu-gdpr application (EuGdprTransferApplication) around route-check facts. */
const application = (f: Facts, over: Facts = {}): Facts => ({
  policy: 'eu-gdpr',
  title: 'EU customer support data to India',
  exporter: { org: 'acme', name: 'Acme GmbH' },
  recipient: {
    id: 'eu-fulfil',
    name: 'Fulfil Services Pvt Ltd',
    country: 'IN',
    contactEmail: 'dpo@fulfil.example',
  },
  purpose: 'customer support',
  dataCategories: [{ category: 'customer contact data', sensitive: false, fields: ['name', 'email'] }],
  facts: f,
  ...over,
});

describe('POST /v1/transfers "policy": "eu-gdpr": refusals start nothing', () => {
  test('bare route-check facts, a draft, a TIA "not effective" (EU-5), missing facts, a wrong importer country → refused; no workflow starts', async () => {
    const { policy: _p, ...factsOnly } = base({
      importer: importer('IN'),
      scc: scc('M2'),
      tia: effectiveTia,
    });
    const cases: { body: Facts; status: number; type: string; pointer: RegExp }[] = [
      // the route-check body is not an application: who, what and why are missing
      {
        body: { policy: 'eu-gdpr', ...factsOnly },
        status: 400,
        type: 'validation',
        pointer: /^\/(title|facts|exporter|transferDate)/,
      },
      {
        body: { ...application(factsOnly), draft: true },
        status: 400,
        type: 'validation',
        pointer: /^\/draft$/,
      },
      {
        body: application({ ...factsOnly, tia: { ...effectiveTia, outcome: 'not_effective' } }),
        status: 422,
        type: 'rule-violation',
        pointer: /^\/facts/,
      },
      {
        body: application({ ...factsOnly, scc: { signed: true } }),
        status: 422,
        type: 'needs-info',
        pointer: /^\/facts\/scc/,
      },
      {
        body: application({ ...factsOnly, importer: importer('US') }),
        status: 422,
        type: 'rule-violation',
        pointer: /^\/facts\/importer\/country$/,
      },
    ];
    const starts = watchWorkflowStarts(stack);
    try {
      for (const c of cases) {
        const res = await stack.call('POST', '/v1/transfers', { token, body: c.body });
        expect({ status: res.status, type: res.body.type }).toEqual({
          status: c.status,
          type: `urn:xborder:problem:${c.type}`,
        });
        expect(res.body.errors.map((e: { pointer: string }) => e.pointer)).toContainEqual(
          expect.stringMatching(c.pointer),
        );
      }
      expect(starts.ids()).toEqual([]);
    } finally {
      starts.stop();
    }
  });

  test('an unknown pack → 400 at /policy', async () => {
    const res = await stack.call('POST', '/v1/transfers', { token, body: { policy: 'xx', draft: true } });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([{ pointer: '/policy', detail: expect.stringContaining('eu-gdpr') }]);
  });
});
