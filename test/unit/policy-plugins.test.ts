/**
 * Policy packs as plug-ins (domain/policy/plugin.ts): the registry holds every released version as a plug-in and
 * generic code dispatches by id and version — the route check, the description, the lifecycle options.
 */
import {
  indexPlugins,
  latestPlugin,
  policyIds,
  policyVersions,
  releasedPlugins,
  resolvePlugin,
  resolvePolicy,
  type AnyPolicyPlugin,
} from '../../domain/policy';
import { cn2024 } from '../../domain/policy/cn-2024';
import { cnPlugin } from '../../domain/policy/cn-2024/plugin';
import { buildEuGdprPack, euGdpr2026 } from '../../domain/policy/eu-gdpr';
import { euPlugin } from '../../domain/policy/eu-gdpr/plugin';
import { describePack } from '../../api/routes/policy';
import { bodyPolicy } from '../../api/routes/transfers';
import { HttpProblem } from '../../api/problems';
import { policyHash } from '../../scripts/policy-hash';
import { sampleApplication } from '../fixtures';

describe('the registry holds both packs as plug-ins', () => {
  test('ids and versions', () => {
    expect(policyIds()).toEqual(['cn-2024', 'eu-gdpr']);
    expect(policyVersions('eu-gdpr')).toEqual(['2026.1']);
    expect(resolvePlugin('eu-gdpr', '2026.1')).toMatchObject({ id: 'eu-gdpr', version: '2026.1' });
    expect(resolvePlugin('eu-gdpr', '2024.1')).toBeUndefined();
    expect(latestPlugin('nope')).toBeUndefined();
  });

  test('the workflow pack: cn-2024 has one (the released PolicyPack itself, generic lifecycle), eu-gdpr its own flow', () => {
    expect(latestPlugin('cn-2024')!.workflowPack).toBe(cn2024);
    expect(resolvePolicy('cn-2024', '2024.1')).toBe(cn2024);
    expect(cn2024.flow).toBeUndefined();
    const eu = resolvePolicy('eu-gdpr', '2026.1')!;
    expect(eu).toMatchObject({ id: 'eu-gdpr', version: '2026.1', calendar: { id: 'calendar-days-utc' } });
    expect(Object.keys(eu.flow!.commands)).toEqual(
      expect.arrayContaining([
        'submit',
        'privacy_review',
        'countersign',
        're_evaluate',
        're_evaluation_decision',
        'reopen',
      ]),
    );
    expect(latestPlugin('eu-gdpr')!.lifecycle).toMatchObject({ acceptsSubmissions: true, filing: false });
  });

  test("cn-2024's hashed content is the PolicyPack it always was (its released hash does not move)", () => {
    expect(resolvePlugin('cn-2024', '2024.1')!.content).toBe(cn2024);
  });
});

describe('indexPlugins refuses an inconsistent registry', () => {
  const cn = cnPlugin(cn2024);
  const eu = euPlugin(euGdpr2026);

  test.each<[string, AnyPolicyPlugin[], RegExp]>([
    ['a version registered twice', [cn, cnPlugin(cn2024)], /registered twice/],
    ['a malformed id', [{ ...eu, id: 'EU GDPR', content: { ...eu.content, id: 'EU GDPR' } }], /malformed/],
    ['content of another version', [{ ...eu, version: '2026.2' }], /its content is eu-gdpr@2026\.1/],
    [
      'accepting submissions without a workflow pack',
      [{ ...eu, workflowPack: undefined }],
      /accepts submissions/,
    ],
    [
      'a workflow pack of another version',
      [{ ...cn, version: '2099.1', content: { ...cn2024, version: '2099.1' } }],
      /workflow pack is another version/,
    ],
  ])('%s', (_what, plugins, message) => {
    expect(() => indexPlugins(plugins)).toThrow(message);
  });

  test('a consistent list indexes by id and version', () => {
    const index = indexPlugins([cn, eu]);
    expect([...index.keys()]).toEqual(['cn-2024', 'eu-gdpr']);
    expect(index.get('eu-gdpr')!.get('2026.1')).toBe(eu);
  });
});

describe('generic code dispatches by id', () => {
  test('bodyPolicy: no policy → cn-2024; "eu-gdpr" → eu-gdpr, without the field; unknown → 400 at /policy', () => {
    expect(bodyPolicy({ title: 'x' }).plugin.id).toBe('cn-2024');
    expect(bodyPolicy(undefined).plugin.id).toBe('cn-2024');
    const eu = bodyPolicy({ policy: 'eu-gdpr', hrData: true });
    expect(eu.plugin.id).toBe('eu-gdpr');
    expect(eu.rest).toEqual({ hrData: true });
    for (const policy of ['us-ccpa', 42, null, 'CN-2024']) {
      let thrown: unknown;
      try {
        bodyPolicy({ policy });
      } catch (err) {
        thrown = err;
      }
      expect(thrown).toBeInstanceOf(HttpProblem);
      expect(thrown).toMatchObject({ kind: 'validation', errors: [{ pointer: '/policy' }] });
      expect((thrown as HttpProblem).detail).toContain('known: cn-2024, eu-gdpr');
    }
  });

  test('each plug-in parses its own facts and answers its own route check', () => {
    const cn = latestPlugin('cn-2024')!;
    const cnAnswer = cn.routeCheck(cn.factsSchema.parse(sampleApplication()), '2026-11-28');
    expect(cnAnswer).toMatchObject({ route: 'standard_contract', rules: [{ id: 'cn-2024/9' }] });
    expect(cn.answerSchema.safeParse(cnAnswer).success).toBe(true);

    const eu = latestPlugin('eu-gdpr')!;
    expect(eu.factsSchema.safeParse(sampleApplication()).success).toBe(false); // CN facts are not EU facts
    const facts = eu.factsSchema.parse({
      transferDate: '2026-11-28',
      exporter: { country: 'DE', role: 'controller' },
      disclosureMeans: 'transmission',
      importer: { country: 'CH', role: 'processor', sameLegalEntityAsExporter: false },
    });
    const euAnswer = eu.routeCheck(facts, '2026-11-28');
    expect(euAnswer).toMatchObject({ route: 'adequacy', checkedOn: '2026-11-28', policy: { id: 'eu-gdpr' } });
    expect(eu.answerSchema.safeParse(euAnswer).success).toBe(true);
  });

  test('describePack: the generic part plus the pack’s own description, which matches its schema', () => {
    for (const plugin of releasedPlugins()) {
      const d = describePack(plugin);
      expect(d).toMatchObject({ id: plugin.id, version: plugin.version, current: plugin.version });
      expect(d).not.toHaveProperty('lifecycle.acceptsSubmissions');
      expect(plugin.descriptionSchema.safeParse(d).success).toBe(true);
    }
  });
});

describe('eu-gdpr lifecycle options are pack data', () => {
  test('a configured TIA interval is a new version with its own hash, and the lifecycle reads it', () => {
    const six = euPlugin(buildEuGdprPack('2026.2', { tiaReviewMonths: 6 }));
    expect(six.lifecycle.supervision).toMatchObject({ kind: 're_evaluation_schedule', tiaReviewMonths: 6 });
    expect(policyHash(six.content)).not.toBe(policyHash(euPlugin(euGdpr2026).content));
  });

  test('whether this build accepts submissions is not part of the released hash', () => {
    const eu = euPlugin(euGdpr2026);
    expect(eu.content).not.toHaveProperty('lifecycle.acceptsSubmissions');
    expect(eu.content).toHaveProperty('lifecycle.filing', false);
  });
});
