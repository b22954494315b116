/**
 * Art. 49 derogations, from EU-GDPR.md §5 (general rules), §5.1 (EU-6 per basis) and §5.2 (EU-7): occasional vs
 * repetitive / systematic, the public-authority limit of Art. 49(3), the necessity test, Member State limits.
 * The base facts have no adequacy and no Art. 46 tool, so only the derogation can carry the transfer.
 */
import {
  buildEuGdprPack,
  euRoute,
  type DerogationFacts,
  type EuGdprFacts,
  type EuRouteAnswer,
} from '../../domain/policy/eu-gdpr';
import { facts } from './eu-gdpr-fixtures';

const consent = { explicit: true, specific: true, informedOfRisks: true };
const cli = {
  noOtherToolPossibleDemonstrated: true,
  limitedDataSubjects: true,
  compellingForController: true,
  balancingDone: true,
  safeguards: ['deletion within 7 days', 'pseudonymised'],
  saInformed: true,
  dataSubjectsInformed: true,
  art30Documented: true,
};

/** A complete claim for each basis, occasional. */
const claims: Record<string, DerogationFacts> = {
  a: { basis: 'a', frequency: 'occasional', consent },
  b: { basis: 'b', frequency: 'occasional', necessityNote: 'hotel booking requested by the client' },
  c: { basis: 'c', frequency: 'occasional', necessityNote: 'contract for the data subject’s benefit' },
  d: {
    basis: 'd',
    frequency: 'occasional',
    necessityNote: 'anti-doping investigation',
    publicInterest: { lawOf: 'member_state', provision: 'NADA-Gesetz § 9' },
  },
  e: {
    basis: 'e',
    frequency: 'occasional',
    necessityNote: 'evidence in a pending case',
    legalClaims: { specificProcedure: true, procedureRef: 'ICC case 12345' },
  },
  f: {
    basis: 'f',
    frequency: 'occasional',
    necessityNote: 'unconscious traveller needs treatment',
    vitalInterests: { dataSubjectIncapableOfConsent: true, essentialDiagnosisOrCare: true },
  },
  g: {
    basis: 'g',
    frequency: 'occasional',
    publicRegister: {
      intendedByLawToInformPublic: true,
      consultationConditionsMet: true,
      entireRegisterOrCategories: false,
      privateRegister: false,
    },
  },
  cli: { basis: 'cli', frequency: 'occasional', compellingInterests: cli },
};

const withClaim = (derogation: DerogationFacts, over: Partial<EuGdprFacts> = {}): EuRouteAnswer =>
  euRoute(facts({ derogation, approxDataSubjects: 2, ...over }));
const derogationRule = (a: EuRouteAnswer) => a.rules.find((r) => r.id === 'EU-6' || r.id === 'EU-7')!;

describe('§5.1 / §5.2 every basis with all its conditions', () => {
  test.each(Object.keys(claims))(
    '§5.1 basis (%s), occasional, all conditions → derogation, no TIA',
    (basis) => {
      const a = withClaim(claims[basis]!);
      expect(a).toMatchObject({ route: 'derogation', tiaRequired: false });
      expect(a.hops[0]!.derogationBasis).toBe(basis);
      expect(derogationRule(a).id).toBe(basis === 'cli' ? 'EU-7' : 'EU-6');
      expect(derogationRule(a).source).toMatch(/Guidelines 2\/2018/);
    },
  );
});

describe('§5 occasional vs repetitive / systematic', () => {
  test.each(['b', 'c', 'e', 'cli'])(
    '§5 recital 111: (%s) is limited to occasional transfers; repetitive or systematic → not_permitted',
    (basis) => {
      for (const frequency of ['repetitive', 'systematic'] as const) {
        const a = withClaim({ ...claims[basis]!, frequency });
        expect(a.route).toBe('not_permitted');
        expect(derogationRule(a).reason).toMatch(/occasional/);
      }
    },
  );

  test('§5 Meta example: systematic, bulk transfers cannot rely on (b) contract necessity', () => {
    const a = withClaim({ ...claims.b!, frequency: 'systematic' });
    expect(a.route).toBe('not_permitted');
    expect(derogationRule(a).reason).toMatch(/Art\. 46/);
  });

  test('§5.1 (a) consent: repetitive is not expressly limited → derogation', () => {
    expect(withClaim({ ...claims.a!, frequency: 'repetitive' }).route).toBe('derogation');
  });

  test('§5.1 (a) consent used systematically: pack policy default block; a pack that allows it → derogation', () => {
    const systematic = { ...claims.a!, frequency: 'systematic' as const };
    expect(withClaim(systematic).route).toBe('not_permitted');
    const lenient = buildEuGdprPack('2026.1-test', { consentSystematicAllowed: true });
    expect(euRoute(facts({ derogation: systematic }), lenient).route).toBe('derogation');
  });

  test('§5.1 (d) public interest: not large-scale or systematic; repetitive allowed', () => {
    expect(withClaim({ ...claims.d!, frequency: 'systematic' }).route).toBe('not_permitted');
    expect(withClaim({ ...claims.d!, frequency: 'repetitive' }).route).toBe('derogation');
  });

  test.each(['f', 'g'])('§5 no occasional limit on (%s): systematic still → derogation', (basis) => {
    expect(withClaim({ ...claims[basis]!, frequency: 'systematic' }).route).toBe('derogation');
  });

  test('§5 a frequency left out → needs_info derogation.frequency', () => {
    const { frequency: _f, ...claim } = claims.b!;
    const a = withClaim(claim);
    expect(a.route).toBe('needs_info');
    expect(a.needsInfo.map((m) => m.field)).toEqual(['derogation.frequency']);
  });
});

describe('§5 Art. 49(3): public authorities in the exercise of their public powers', () => {
  const authority = {
    country: 'DE',
    role: 'controller' as const,
    publicAuthorityExercisingPublicPowers: true,
  };

  test.each(['a', 'b', 'c', 'cli'])(
    '§5 (%s) is not available to a public authority → not_permitted',
    (basis) => {
      const a = withClaim(claims[basis]!, { exporter: authority });
      expect(a.route).toBe('not_permitted');
      expect(derogationRule(a).reason).toMatch(/public authority/);
      expect(derogationRule(a).reason).toMatch(/49\(3\)/);
    },
  );

  test.each(['d', 'e', 'f', 'g'])('§5.1 (%s) is available to a public authority → derogation', (basis) => {
    expect(withClaim(claims[basis]!, { exporter: authority }).route).toBe('derogation');
  });

  test('§5 the public-authority fact left out for (a) → needs_info', () => {
    const a = withClaim(claims.a!, { exporter: { country: 'DE', role: 'controller' } });
    expect(a.route).toBe('needs_info');
    expect(a.needsInfo.map((m) => m.field)).toEqual(['exporter.publicAuthorityExercisingPublicPowers']);
  });
});

describe('§5.1 per-basis conditions', () => {
  test('§5.1 (a) without the risk information the derogation does not apply', () => {
    const a = withClaim({ ...claims.a!, consent: { ...consent, informedOfRisks: false } });
    expect(a.route).toBe('not_permitted');
    expect(derogationRule(a).reason).toMatch(/risks/);
  });

  test('§5.1 (a) consent at collection, not specific to this transfer → does not apply', () => {
    expect(withClaim({ ...claims.a!, consent: { ...consent, specific: false } }).route).toBe('not_permitted');
  });

  test('§5 necessity test for (b)–(f): the necessity note left out → needs_info', () => {
    const { necessityNote: _n, ...claim } = claims.c!;
    expect(withClaim(claim).needsInfo.map((m) => m.field)).toEqual(['derogation.necessityNote']);
  });

  test("§5.1 (d) a third country's public interest is not enough (Art. 49(4))", () => {
    const a = withClaim({ ...claims.d!, publicInterest: { lawOf: 'third_country', provision: 'x' } });
    expect(a.route).toBe('not_permitted');
  });

  test('§5.1 (e) the mere possibility of a procedure is not enough', () => {
    const a = withClaim({
      ...claims.e!,
      legalClaims: { specificProcedure: false, procedureRef: 'none yet' },
    });
    expect(a.route).toBe('not_permitted');
  });

  test('§5.1 / §6 (f) health data only for an essential diagnosis or care, not general research', () => {
    const research = {
      ...claims.f!,
      vitalInterests: { dataSubjectIncapableOfConsent: true, essentialDiagnosisOrCare: false },
    };
    expect(withClaim(research, { specialCategories: ['health'] }).route).toBe('not_permitted');
    expect(withClaim(research, { specialCategories: [] }).route).toBe('derogation');
    expect(withClaim(claims.f!, { specialCategories: ['health'] }).route).toBe('derogation');
  });

  test('§5.1 (f) a data subject capable of consenting → does not apply', () => {
    const a = withClaim({ ...claims.f!, vitalInterests: { dataSubjectIncapableOfConsent: false } });
    expect(a.route).toBe('not_permitted');
  });

  test('§5.1 (g) not the entire register; private registers excluded (Art. 49(2))', () => {
    const register = claims.g!.publicRegister!;
    expect(
      withClaim({ ...claims.g!, publicRegister: { ...register, entireRegisterOrCategories: true } }).route,
    ).toBe('not_permitted');
    expect(withClaim({ ...claims.g!, publicRegister: { ...register, privateRegister: true } }).route).toBe(
      'not_permitted',
    );
  });
});

describe('§5.2 EU-7 compelling legitimate interests', () => {
  test.each([
    ['noOtherToolPossibleDemonstrated', 1],
    ['limitedDataSubjects', 3],
    ['compellingForController', 4],
    ['balancingDone', 5],
    ['saInformed', 6],
    ['dataSubjectsInformed', 7],
    ['art30Documented', 8],
  ])('§5.2 item %s (%i) false → not_permitted', (key) => {
    const a = withClaim({ ...claims.cli!, compellingInterests: { ...cli, [key]: false } });
    expect(a.route).toBe('not_permitted');
    expect(derogationRule(a).id).toBe('EU-7');
  });

  test('§5.2 item 5: suitable safeguards are mandatory', () => {
    expect(withClaim({ ...claims.cli!, compellingInterests: { ...cli, safeguards: [] } }).route).toBe(
      'not_permitted',
    );
  });

  test('§1 / §5.2 item 3: approxDataSubjects left out → needs_info', () => {
    const a = euRoute(facts({ derogation: claims.cli! }));
    expect(a.needsInfo.map((m) => m.field)).toEqual(['approxDataSubjects']);
  });
});

describe('§5 Member State limits (Art. 49(5))', () => {
  test('§5 a pack with a Member State category limit blocks the derogation for that category', () => {
    const pack = buildEuGdprPack('2026.1-test', {
      memberStateCategoryLimits: [{ category: 'health records', law: 'example national law' }],
    });
    const limited = facts({ derogation: claims.b!, dataCategories: ['health records'] });
    expect(euRoute(limited, pack).route).toBe('not_permitted');
    expect(euRoute(facts({ derogation: claims.b! }), pack).route).toBe('derogation');
  });
});
