/**
 * Released policy packs, keyed `id@version` (DESIGN.md "Policy packs"). A released version never changes: a
 * regulator's change is a new version registered beside it (test/unit/policy-versions.test.ts holds each released
 * version to the content hash in released.json). A transfer resolves its decisions, views and replays with the
 * version it was submitted under.
 */
import { cn2024 } from './cn-2024';
import type { PolicyPack } from './types';

/** Which pack and version a transfer is pinned to (`TransferState.policy`). */
export interface PolicyRef {
  id: string;
  version: string;
}

/** Every released pack version, oldest first per id. Add a new version here, never edit a released one. */
const released: readonly PolicyPack[] = [cn2024];

/** A pack id: `cn-2024`, `eu-gdpr`. */
export const policyIdPattern = /^[a-z][a-z0-9-]{0,63}$/;
/** A version: dot-separated numbers (`2024.1`), compared segment by segment. */
export const policyVersionPattern = /^\d{1,6}(\.\d{1,6}){0,3}$/;

export const isPolicyId = (id: string): boolean => policyIdPattern.test(id);
export const isPolicyVersion = (version: string): boolean => policyVersionPattern.test(version);

/** Negative when `a` is older than `b`, 0 when equal, positive when newer. */
export function compareVersions(a: string, b: string): number {
  const as = a.split('.').map(Number);
  const bs = b.split('.').map(Number);
  for (let i = 0; i < Math.max(as.length, bs.length); i++) {
    const d = (as[i] ?? 0) - (bs[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const registry = new Map<string, Map<string, PolicyPack>>();
for (const pack of released) {
  if (!isPolicyId(pack.id) || !isPolicyVersion(pack.version))
    throw new RangeError(`policy pack ${pack.id}@${pack.version}: malformed id or version`);
  const versions = registry.get(pack.id) ?? new Map<string, PolicyPack>();
  if (versions.has(pack.version))
    throw new RangeError(`policy pack ${pack.id}@${pack.version} registered twice`);
  versions.set(pack.version, pack);
  registry.set(pack.id, versions);
}

/** `cn-2024@2024.1` */
export const policyRef = (pack: PolicyRef): string => `${pack.id}@${pack.version}`;

/** `cn-2024@2024.1` → `{ id: 'cn-2024', version: '2024.1' }`; undefined when malformed. */
export function parsePolicyRef(ref: string): PolicyRef | undefined {
  const at = ref.indexOf('@');
  if (at < 0) return undefined;
  const id = ref.slice(0, at);
  const version = ref.slice(at + 1);
  return isPolicyId(id) && isPolicyVersion(version) ? { id, version } : undefined;
}

/** The registered pack ids. */
export const policyIds = (): string[] => [...registry.keys()].sort();

/** The released versions of a pack, oldest first; empty for an unknown id. */
export function policyVersions(id: string): string[] {
  return [...(registry.get(id)?.keys() ?? [])].sort(compareVersions);
}

/** Exactly that version of that pack, or undefined. */
export function resolvePolicy(id: string, version: string): PolicyPack | undefined {
  return registry.get(id)?.get(version);
}

/** The newest released version of a pack, or undefined for an unknown id. */
export function latestPolicy(id: string): PolicyPack | undefined {
  const newest = policyVersions(id).at(-1);
  return newest === undefined ? undefined : resolvePolicy(id, newest);
}

/** Every released pack version (for the immutability check and the hash script). */
export const releasedPolicies = (): readonly PolicyPack[] => released;

/** The version every transfer started before packs were versioned was submitted under (inputs without a version). */
export const PRE_VERSIONING_POLICY_VERSION = '2024.1';
