import type { PartialApplication } from '../../domain/application';
import { activePolicy } from '../../domain/policy';
import { determineRoute } from '../../domain/routes';
import { sampleApplication } from '../fixtures';

const pack = activePolicy;
const withVolume = (
  individualsYtd: number,
  sensitiveIndividualsYtd: number,
  extra: PartialApplication = {},
): PartialApplication => {
  const base = sampleApplication({ routePreference: undefined });
  return {
    ...base,
    dataCategories:
      sensitiveIndividualsYtd > 0
        ? [{ category: 'health', sensitive: true, fields: ['diagnosis'] }]
        : base.dataCategories,
    volume: { individualsYtd, sensitiveIndividualsYtd, importantData: false },
    ...extra,
  };
};
const ruleIds = (app: PartialApplication) => determineRoute(app, pack).rules.map((r) => r.id);

describe('route table cn-2024', () => {
  test('row 0: no personal information and no important data → exempt', () => {
    const d = determineRoute(withVolume(0, 0, { dataCategories: [] }), pack);
    expect(d).toMatchObject({ route: 'exempt', needsInfo: [] });
    expect(ruleIds(withVolume(0, 0, { dataCategories: [] }))).toEqual(['cn-2024/0']);
  });

  test.each([
    ['collected_abroad', 'cn-2024/1'],
    ['free_trade_zone', 'cn-2024/2'],
  ] as const)('exemption %s before important data → exempt by %s', (basis, rule) => {
    const app = withVolume(5_000_000, 50_000, {
      volume: { individualsYtd: 5_000_000, sensitiveIndividualsYtd: 50_000, importantData: true },
      exemption: { basis, justification: 'documented' },
    });
    expect(determineRoute(app, pack).route).toBe('exempt');
    expect(ruleIds(app)).toEqual([rule]);
  });

  test('row 3: important data → security assessment, even under every volume threshold', () => {
    const app = withVolume(10, 0, {
      volume: { individualsYtd: 10, sensitiveIndividualsYtd: 0, importantData: true },
    });
    expect(determineRoute(app, pack).route).toBe('security_assessment');
    expect(ruleIds(app)).toEqual(['cn-2024/3']);
  });

  test('important data outranks a contract-necessity claim', () => {
    const app = withVolume(10, 0, {
      volume: { individualsYtd: 10, sensitiveIndividualsYtd: 0, importantData: true },
      exemption: { basis: 'contract_necessity', justification: 'orders' },
    });
    expect(ruleIds(app)).toEqual(['cn-2024/3']);
  });

  test.each([
    ['contract_necessity', 'cn-2024/4'],
    ['hr_management', 'cn-2024/5'],
    ['emergency', 'cn-2024/6'],
  ] as const)('exemption %s → exempt by %s, whatever the volume or CIIO status', (basis, rule) => {
    const app = withVolume(3_000_000, 20_000, {
      exporter: { org: 'acme', name: 'Acme', creditCode: '91310000MA1FL8XQ3C', isCIIO: true },
      exemption: { basis, justification: 'documented' },
    });
    expect(determineRoute(app, pack).route).toBe('exempt');
    expect(ruleIds(app)).toEqual([rule]);
  });

  test('an exemption claim without a justification does not exempt', () => {
    const app = withVolume(250_000, 0, {
      exemption: { basis: 'contract_necessity', justification: ' ' },
      routePreference: 'certification',
    });
    expect(determineRoute(app, pack).route).toBe('certification');
  });

  test('row 7: a CIIO exporting any PI → security assessment, even 1 individual', () => {
    const app = withVolume(1, 0, {
      exporter: { org: 'acme', name: 'Acme', creditCode: '91310000MA1FL8XQ3C', isCIIO: true },
    });
    expect(determineRoute(app, pack).route).toBe('security_assessment');
    expect(ruleIds(app)).toEqual(['cn-2024/7']);
  });

  test('a CIIO without personal information or important data is exempt (row 0)', () => {
    const app = withVolume(0, 0, {
      dataCategories: [],
      exporter: { org: 'acme', name: 'Acme', creditCode: '91310000MA1FL8XQ3C', isCIIO: true },
    });
    expect(ruleIds(app)).toEqual(['cn-2024/0']);
  });

  describe('volume boundaries (individuals)', () => {
    // in the contract band the exporter must choose (rule 9): without a preference the route needs that fact
    test.each([
      [99_999, 'exempt', 'cn-2024/10', []],
      [100_000, null, 'cn-2024/9', ['routePreference']],
      [999_999, null, 'cn-2024/9', ['routePreference']],
      [1_000_000, 'security_assessment', 'cn-2024/8', []],
    ] as const)(
      '%i individuals, no sensitive PI, no preference → %s (%s), needs %j',
      (n, route, rule, needs) => {
        const d = determineRoute(withVolume(n, 0), pack);
        expect(d.route).toBe(route);
        expect(d.rules.map((r) => r.id)).toEqual([rule]);
        expect(d.needsInfo.map((x) => x.field)).toEqual(needs);
      },
    );

    test.each(['standard_contract', 'certification'] as const)(
      'in the 100,000–999,999 band the exporter chooses %s',
      (choice) => {
        expect(determineRoute(withVolume(100_000, 0, { routePreference: choice }), pack).route).toBe(choice);
        expect(determineRoute(withVolume(999_999, 0, { routePreference: choice }), pack).route).toBe(choice);
      },
    );
  });

  describe('volume boundaries (sensitive)', () => {
    test.each([
      [0, 'exempt', 'cn-2024/10'],
      [1, 'standard_contract', 'cn-2024/9'],
      [9_999, 'standard_contract', 'cn-2024/9'],
      [10_000, 'security_assessment', 'cn-2024/8'],
    ] as const)('%i individuals with sensitive PI → %s (%s)', (n, route, rule) => {
      const d = determineRoute(withVolume(50, n, { routePreference: 'standard_contract' }), pack);
      expect(d.route).toBe(route);
      expect(d.rules.map((r) => r.id)).toEqual([rule]);
    });
  });

  describe('missing facts → needs_info, never a guess', () => {
    test('an empty application lists the facts the table needs', () => {
      const d = determineRoute({}, pack);
      expect(d.route).toBeNull();
      expect(d.needsInfo.map((n) => n.field)).toEqual([
        'dataCategories',
        'volume.importantData',
        'exporter.isCIIO',
        'volume.individualsYtd',
        'volume.sensitiveIndividualsYtd',
      ]);
    });

    test('a missing volume is not treated as zero', () => {
      const app = { ...withVolume(10, 0), volume: { importantData: false } };
      const d = determineRoute(app, pack);
      expect(d.route).toBeNull();
      expect(d.needsInfo.map((n) => n.field)).toEqual([
        'volume.individualsYtd',
        'volume.sensitiveIndividualsYtd',
      ]);
    });

    test('missing CIIO status blocks the answer even when volumes are small', () => {
      const app = { ...withVolume(10, 0), exporter: { org: 'acme' } };
      expect(determineRoute(app, pack)).toMatchObject({
        route: null,
        needsInfo: [{ field: 'exporter.isCIIO' }],
      });
    });

    test('a later exemption still decides when the facts before it are known', () => {
      const app: PartialApplication = {
        dataCategories: [{ category: 'x', sensitive: false, fields: [] }],
        volume: { importantData: false },
        exemption: { basis: 'hr_management', justification: 'payroll' },
      };
      expect(determineRoute(app, pack).route).toBe('exempt');
    });

    test('sensitive categories declared with a sensitive count of 0 is inconsistent', () => {
      const app = withVolume(10, 0, {
        dataCategories: [{ category: 'health', sensitive: true, fields: [] }],
      });
      expect(determineRoute(app, pack)).toMatchObject({
        route: null,
        needsInfo: [{ field: 'volume.sensitiveIndividualsYtd' }],
      });
    });
  });

  test('the decision names the policy pack and version', () => {
    expect(determineRoute(withVolume(1, 0), pack).policy).toEqual({ id: 'cn-2024', version: pack.version });
  });
});
