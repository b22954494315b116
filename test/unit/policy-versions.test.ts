/**
 * Policy packs pinned by version (DESIGN.md "Policy packs", REVIEW.md §6.2): released versions are registered as
 * `id@version`, resolved exactly, and never change — each one's content hash is held in released.json.
 */
import released from '../../domain/policy/released.json';
import { canonicalPolicy } from '../../domain/policy/canonical';
import {
  activePolicy,
  compareVersions,
  latestPolicy,
  parsePolicyRef,
  pinnedPolicy,
  policyById,
  policyIds,
  policyRef,
  policyVersions,
  releasedPolicies,
  resolvePolicy,
  type PolicyPack,
} from '../../domain/policy';
import { cn2024 } from '../../domain/policy/cn-2024';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { normalisedSource, policyHash } from '../../scripts/policy-hash';

const hashes: Record<string, string> = released;

describe('released policy versions are immutable', () => {
  test.each(releasedPolicies().map((p) => [policyRef(p), p] as const))(
    '%s has the content hash recorded in released.json',
    (ref, pack) => {
      const recorded = hashes[ref];
      if (recorded === undefined) {
        throw new Error(
          `${ref} is registered but not released: add "${ref}": "${policyHash(pack)}" to domain/policy/released.json ` +
            '(npm run policy:hash -- ' +
            `${ref})`,
        );
      }
      const actual = policyHash(pack);
      if (actual !== recorded) {
        throw new Error(
          `released policy ${ref} changed (recorded ${recorded}, now ${actual}). A released version is immutable: ` +
            'open transfers pinned to it would decide differently on their next replay. Revert the edit and add a ' +
            'new version beside it instead (a new pack object with a new version, registered in ' +
            'domain/policy/registry.ts, its hash added to released.json).',
        );
      }
    },
  );

  test('every version in released.json is still registered (open transfers may be pinned to it)', () => {
    const registered = releasedPolicies().map(policyRef);
    expect(Object.keys(hashes).filter((ref) => !registered.includes(ref))).toEqual([]);
  });
});

describe('the canonical text a hash is taken over', () => {
  const variant = (change: (p: PolicyPack) => PolicyPack) => policyHash(change(cn2024));

  test('is independent of key order', () => {
    const reordered = Object.fromEntries(Object.entries(cn2024).reverse()) as unknown as PolicyPack;
    expect(policyHash(reordered)).toBe(policyHash(cn2024));
  });

  test('changes with a threshold, a deadline length, a category pattern or a function', () => {
    const base = policyHash(cn2024);
    expect(variant((p) => ({ ...p, thresholds: { ...p.thresholds, contractIndividuals: 50_000 } }))).not.toBe(
      base,
    );
    expect(
      variant((p) => ({
        ...p,
        deadlines: p.deadlines.map((d) =>
          d.step === 'supplement_answer' ? { ...d, length: { workingDays: 15 } } : d,
        ),
      })),
    ).not.toBe(base);
    expect(
      variant((p) => ({
        ...p,
        risk: {
          ...p.risk,
          sensitivity: p.risk.sensitivity.map((s, i) => (i === 0 ? { ...s, match: /biometric|iris/i } : s)),
        },
      })),
    ).not.toBe(base);
    const withRule = (test: (n: number) => boolean) => canonicalPolicy({ ...cn2024, extra: { test } });
    expect(withRule((n) => n > 1)).not.toBe(withRule((n) => n >= 1));
    expect(withRule((n) => n > 1)).toContain('n > 1');
  });
});

describe('function source as hashed', () => {
  const fn = (src: string) => runInNewContext(`(${src})`) as (...args: never[]) => unknown;

  test('reads past formatting, quotes, numeric spelling, parentheses and transpilers’ module bindings', () => {
    const same = [
      "(app, n) => ((app.x?.y ?? n) >= 1_000_000 ? 'a' : helpers_1.b(n,))",
      '(app,n)=>(app.x?.y??n)>=1e6?"a":(0,import_helpers.b)(n)',
    ];
    expect(normalisedSource(fn(same[0]!))).toBe(normalisedSource(fn(same[1]!)));
    expect(normalisedSource(fn('(x) => { const f = __name((y) => y, "f"); return f(x); }'))).toBe(
      normalisedSource(fn('x => { const f = (y) => y; return f(x) }')),
    );
  });

  test('tells apart what means something else', () => {
    expect(normalisedSource(fn('(n) => n >= 1'))).not.toBe(normalisedSource(fn('(n) => n > 1')));
    expect(normalisedSource(fn('(a, b) => (a + b) * 2'))).not.toBe(
      normalisedSource(fn('(a, b) => a + b * 2')),
    );
    expect(normalisedSource(fn("() => 'a'"))).not.toBe(normalisedSource(fn("() => 'b'")));
    expect(normalisedSource(fn('(s) => /a/i.test(s)'))).not.toBe(normalisedSource(fn('(s) => /a/.test(s)')));
  });

  test('npm run policy:hash (tsx) prints the hashes this test checks (jest)', () => {
    const root = join(__dirname, '..', '..');
    const out = execFileSync(join(root, 'node_modules', '.bin', 'tsx'), ['scripts/policy-hash.ts'], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(JSON.parse(out)).toEqual(
      Object.fromEntries(releasedPolicies().map((p) => [policyRef(p), policyHash(p)])),
    );
  });
});

describe('registry', () => {
  test('cn-2024@2024.1 resolves exactly; an unknown version or id does not', () => {
    expect(resolvePolicy('cn-2024', '2024.1')).toBe(cn2024);
    expect(resolvePolicy('cn-2024', '2024.2')).toBeUndefined();
    expect(resolvePolicy('cn-2024', '2024.10')).toBeUndefined();
    expect(resolvePolicy('eu-gdpr', '2024.1')).toBeUndefined();
    expect(resolvePolicy('__proto__', 'constructor')).toBeUndefined();
  });

  test('versions, latest, active', () => {
    expect(policyIds()).toContain('cn-2024');
    expect(policyVersions('cn-2024')).toContain('2024.1');
    expect(policyVersions('nope')).toEqual([]);
    expect(latestPolicy('cn-2024')?.version).toBe(policyVersions('cn-2024').at(-1));
    expect(latestPolicy('nope')).toBeUndefined();
    expect(activePolicy).toBe(latestPolicy('cn-2024'));
    expect(policyById('cn-2024')).toBe(latestPolicy('cn-2024'));
  });

  test('versions compare by number, segment by segment', () => {
    expect(['2025.1', '2024.10', '2024.2', '2024.1'].sort(compareVersions)).toEqual([
      '2024.1',
      '2024.2',
      '2024.10',
      '2025.1',
    ]);
    expect(compareVersions('2024.1', '2024.1.0')).toBe(0);
  });

  test('policyRef and parsePolicyRef round-trip; malformed refs parse to undefined', () => {
    expect(policyRef(cn2024)).toBe('cn-2024@2024.1');
    expect(parsePolicyRef('cn-2024@2024.1')).toEqual({ id: 'cn-2024', version: '2024.1' });
    for (const bad of [
      'cn-2024',
      'cn-2024@',
      '@2024.1',
      'cn-2024@latest',
      'CN@2024.1',
      'cn-2024@2024.1@x',
      '',
    ])
      expect(parsePolicyRef(bad)).toBeUndefined();
  });

  test('pinnedPolicy resolves the version and calendar a transfer pinned', () => {
    const ref = { id: 'cn-2024', version: '2024.1' };
    expect(pinnedPolicy({ policy: ref, calendarVersion: cn2024.calendar.version })).toBe(cn2024);
    expect(pinnedPolicy({ policy: { ...ref, version: '1999.1' } })).toBeUndefined();
  });
});
