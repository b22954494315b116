/**
 * The adequacy register of EU-GDPR.md §3, evaluated on the transfer date (rule EU-1): each scope limit in force,
 * out of scope, before its start date and after its end; the EU-U.S. DPF record; the EEA EFTA question (§11.4).
 * The base facts have no Art. 46 tool and no derogation, so a recipient outside a decision is `not_permitted`.
 */
import { adequacyRegister, euRoute, type EuGdprFacts, type EuRouteAnswer } from '../../domain/policy/eu-gdpr';
import { dpf, facts, importer, STATUS_DATE } from './eu-gdpr-fixtures';

const eu1 = (a: EuRouteAnswer) => a.rules.find((r) => r.id === 'EU-1')!;
const to = (
  country: string,
  scopeFacts: NonNullable<EuGdprFacts['importer']>['scopeFacts'] = {},
  over: Partial<EuGdprFacts> = {},
) => euRoute(facts({ importer: importer(country, { scopeFacts }), ...over }));

describe('§3 general decisions (no scope fact)', () => {
  test.each(['AD', 'AR', 'CH', 'FO', 'GG', 'IM', 'JE', 'NZ', 'UY'])(
    '§3 %s: adequacy on the status date',
    (country) => {
      const a = to(country);
      expect(a).toMatchObject({ route: 'adequacy', tiaRequired: false });
      expect(a.hops[0]!.adequacy?.decisionId).toBe(country);
    },
  );

  test.each(['IN', 'CN', 'SG', 'KE'])('§3 no adequacy decision exists for %s', (country) => {
    const a = to(country);
    expect(eu1(a)).toMatchObject({ outcome: 'fails', reason: `no adequacy decision for ${country}` });
    expect(a.route).toBe('not_permitted');
  });

  test('§3 every decision in the register names its instrument, dates and source', () => {
    for (const d of adequacyRegister) {
      expect(d.instrument.length).toBeGreaterThan(0);
      expect(d.inForceFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(d.source).toMatch(/\[E\d+\]/);
    }
  });
});

describe('§3 BR Brazil: recipient subject to the LGPD, from Implementing Decision (EU) 2026/179', () => {
  test('§3 BR in force and in scope → adequacy', () => {
    expect(to('BR', { br: { subjectToLGPD: true } }).route).toBe('adequacy');
  });
  test('§3 BR recipient not subject to the LGPD → out of scope', () => {
    const a = to('BR', { br: { subjectToLGPD: false } });
    expect(eu1(a).outcome).toBe('fails');
    expect(eu1(a).reason).toMatch(/LGPD/);
  });
  test('§3 BR before its start (OJ 28 Jan 2026) → not in force', () => {
    const a = to('BR', { br: { subjectToLGPD: true } }, { transferDate: '2026-01-27' });
    expect(eu1(a)).toMatchObject({
      outcome: 'fails',
      reason: 'no adequacy decision for BR in force on 2026-01-27',
    });
    expect(to('BR', { br: { subjectToLGPD: true } }, { transferDate: '2026-01-28' }).route).toBe('adequacy');
  });
  test('§3 / §11.4 BR for a Norwegian exporter: EEA incorporation not confirmed → not relied on', () => {
    const a = to('BR', { br: { subjectToLGPD: true } }, { exporter: { country: 'NO', role: 'controller' } });
    expect(eu1(a).outcome).toBe('fails');
    expect(a.notes.join(' ')).toMatch(/not confirmed/);
  });
  test('§3 BR scope fact missing → needs_info', () => {
    const a = to('BR');
    expect(a.route).toBe('needs_info');
    expect(a.needsInfo.map((m) => m.field)).toEqual(['importer.scopeFacts.br.subjectToLGPD']);
  });
});

describe('§3 CA Canada: only recipients under PIPEDA (commercial activities)', () => {
  test('§3 CA PIPEDA organisation → adequacy', () => {
    expect(to('CA', { subjectToPIPEDA: true }).route).toBe('adequacy');
  });
  test('§3 CA provincial public-sector body (not PIPEDA) → out of scope', () => {
    const a = to('CA', { subjectToPIPEDA: false });
    expect(eu1(a).outcome).toBe('fails');
    expect(a.route).toBe('not_permitted');
  });
  test('§3 CA missing subjectToPIPEDA → needs_info', () => {
    expect(to('CA').needsInfo.map((m) => m.field)).toEqual(['importer.scopeFacts.subjectToPIPEDA']);
  });
});

describe('§3 IL Israel: automated transfers or automated processing in Israel', () => {
  test('§3 IL automated → adequacy', () => {
    expect(to('IL', { il: { automated: true } }).route).toBe('adequacy');
  });
  test('§3 IL manual transfer with manual processing only → out of scope', () => {
    expect(eu1(to('IL', { il: { automated: false } })).outcome).toBe('fails');
  });
});

describe('§3 JP Japan: PIHBOs under the APPI, Decision (EU) 2019/419', () => {
  test('§3 JP PIHBO → adequacy, even with health data (§6: sensitive data do not change the route)', () => {
    const a = to('JP', { jp: { isPIHBO: true } }, { specialCategories: ['health'] });
    expect(a.route).toBe('adequacy');
  });
  test('§3 JP public-sector body (not a PIHBO) → out of scope', () => {
    expect(eu1(to('JP', { jp: { isPIHBO: false } })).outcome).toBe('fails');
  });
  test('§3 JP before the decision (23 Jan 2019) → not in force', () => {
    expect(eu1(to('JP', { jp: { isPIHBO: true } }, { transferDate: '2019-01-22' })).outcome).toBe('fails');
  });
});

describe('§3 KR Korea: within PIPA, without FSC-supervised credit information', () => {
  const inScope = { creditInfoUnderFSC: false, religiousMissionary: false, politicalNomination: false };
  test('§3 KR in scope → adequacy', () => {
    expect(to('KR', { kr: inScope }).route).toBe('adequacy');
  });
  test('§3 KR personal credit information under the Credit Information Act by an FSC-supervised controller → not covered', () => {
    const a = to('KR', { kr: { ...inScope, creditInfoUnderFSC: true } });
    expect(eu1(a).outcome).toBe('fails');
    expect(eu1(a).reason).toMatch(/Financial Services Commission|FSC/);
  });
  test('§3 KR missionary activities of religious organisations / political nominations → not covered', () => {
    expect(eu1(to('KR', { kr: { ...inScope, religiousMissionary: true } })).outcome).toBe('fails');
    expect(eu1(to('KR', { kr: { ...inScope, politicalNomination: true } })).outcome).toBe('fails');
  });
  test('§3 KR before the decision (17 Dec 2021) → not in force', () => {
    expect(eu1(to('KR', { kr: inScope }, { transferDate: '2021-12-16' })).outcome).toBe('fails');
  });
  test('§3 KR credit-information fact missing → needs_info', () => {
    const a = to('KR', { kr: { religiousMissionary: false, politicalNomination: false } });
    expect(a.needsInfo.map((m) => m.field)).toEqual(['importer.scopeFacts.kr.creditInfoUnderFSC']);
  });
});

describe('§3 UK: 2021/1772 to 27 Dec 2025 (immigration carve-out), renewed 19 Dec 2025 to 27 Dec 2031', () => {
  test('§3 UK on the status date → adequacy under the renewal, valid until 2031-12-27', () => {
    const a = to('GB');
    expect(a.route).toBe('adequacy');
    expect(a.hops[0]!.adequacy).toMatchObject({ decisionId: 'UK-2025', validUntil: '2031-12-27' });
  });
  test('§3 UK 2021 text: immigration-control data excluded (recital 6)', () => {
    const a = to('GB', { uk: { immigrationControl: true } }, { transferDate: '2024-03-01' });
    expect(eu1(a).outcome).toBe('fails');
    expect(eu1(a).reason).toMatch(/immigration/);
    expect(to('GB', { uk: { immigrationControl: false } }, { transferDate: '2024-03-01' }).route).toBe(
      'adequacy',
    );
  });
  test('§3 UK renewal removed the immigration carve-out', () => {
    expect(to('GB', { uk: { immigrationControl: true } }).route).toBe('adequacy');
  });
  test('§3 UK last day in force 2031-12-27; after its end → not in force', () => {
    expect(to('GB', {}, { transferDate: '2031-12-27' }).route).toBe('adequacy');
    const after = to('GB', {}, { transferDate: '2031-12-28' });
    expect(eu1(after)).toMatchObject({
      outcome: 'fails',
      reason: 'no adequacy decision for GB in force on 2031-12-28',
    });
  });
  test('§3 UK before the 2021 decision (28 Jun 2021) → not in force', () => {
    expect(eu1(to('GB', { uk: { immigrationControl: false } }, { transferDate: '2021-06-27' })).outcome).toBe(
      'fails',
    );
  });
  test('§11.4 a Norwegian exporter: the 2021 decision applied, the 2025 renewal is not confirmed for EEA EFTA', () => {
    const exporter = { country: 'NO', role: 'controller' as const };
    expect(
      to('GB', { uk: { immigrationControl: false } }, { exporter, transferDate: '2024-03-01' }).route,
    ).toBe('adequacy');
    expect(eu1(to('GB', {}, { exporter })).outcome).toBe('fails');
  });
});

describe('§3 US: EU-U.S. DPF participants only (Implementing Decision (EU) 2023/1795)', () => {
  const us = (d: object, over: Partial<EuGdprFacts> = { hrData: false }) => to('US', { dpf: dpf(d) }, over);

  test('§3 US exact entity, Active, EU-U.S. row, covered non-HR data → adequacy', () => {
    expect(us({}).route).toBe('adequacy');
  });
  test('§3 US "Active – Re-certification under Review" counts as active', () => {
    expect(us({ status: 'active_recertification_under_review' }).route).toBe('adequacy');
  });
  test.each(['inactive', 'removed', 'not_listed'])('§3 US status %s = not covered', (status) => {
    const a = us({ status });
    expect(eu1(a).outcome).toBe('fails');
    expect(eu1(a).reason).toMatch(/not Active/);
  });
  test('§3 US wrong data type: HR data, record certifies non-HR only → not covered', () => {
    const a = us({ coveredData: ['non_hr'] }, { hrData: true });
    expect(eu1(a).reason).toMatch(/HR/);
    expect(a.route).toBe('not_permitted');
    expect(us({ coveredData: ['hr', 'non_hr'] }, { hrData: true }).route).toBe('adequacy');
  });
  test("§3 US entity mismatch: a parent's listing does not cover a subsidiary", () => {
    const a = us({ entityMatches: false });
    expect(eu1(a).reason).toMatch(/exact contracting entity/);
  });
  test('§3 US the UK Extension or Swiss-U.S. DPF row is a separate framework', () => {
    expect(eu1(us({ framework: 'uk-extension' })).outcome).toBe('fails');
    expect(eu1(us({ framework: 'swiss-us' })).outcome).toBe('fails');
  });
  test('§3 US before the decision (10 Jul 2023) → not in force', () => {
    expect(eu1(us({}, { hrData: false, transferDate: '2023-07-09' })).outcome).toBe('fails');
    expect(us({}, { hrData: false, transferDate: '2023-07-10' }).route).toBe('adequacy');
  });
  test('§3 US missing DPF facts or hrData → needs_info naming each', () => {
    const a = to('US');
    expect(a.route).toBe('needs_info');
    expect(a.needsInfo.map((m) => m.field)).toEqual([
      'importer.scopeFacts.dpf.entityMatches',
      'importer.scopeFacts.dpf.status',
      'importer.scopeFacts.dpf.framework',
      'importer.scopeFacts.dpf.coveredData',
    ]);
    expect(us({}, {}).needsInfo.map((m) => m.field)).toEqual(['hrData']);
  });
  test('§3 US an inactive status decides out of scope even while other DPF facts are unknown', () => {
    const a = to('US', { dpf: { status: 'inactive' } });
    expect(a.route).toBe('not_permitted');
  });
});

describe('§3 EPO: the first IO adequacy decision, C(2025) 4626 of 15 Jul 2025', () => {
  const epo = (transferDate: string) =>
    euRoute(facts({ transferDate, importer: importer('DE', { io: 'EPO' }) }));
  test('§3 EPO on the status date → adequacy', () => {
    expect(epo(STATUS_DATE).route).toBe('adequacy');
  });
  test('§3 EPO before 15 Jul 2025 → not in force', () => {
    expect(eu1(epo('2025-07-14')).outcome).toBe('fails');
    expect(epo('2025-07-15').route).toBe('adequacy');
  });
});
