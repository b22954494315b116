/**
 * Released policy packs, keyed `id@version` (DESIGN.md "Policy packs"). A released version never changes: a
 * regulator's change is a new version registered beside it (test/unit/policy-versions.test.ts holds each released
 * version to the content hash in released.json). A transfer resolves its decisions, views and replays with the
 * version it was submitted under.
 */
import { cn2024 } from './cn-2024';
import { cnPlugin } from './cn-2024/plugin';
import { euGdpr2026 } from './eu-gdpr';
import { euPlugin } from './eu-gdpr/plugin';
import type { AnyPolicyPlugin } from './plugin';
import type { PolicyPack } from './types';

/** Which pack and version a transfer is pinned to (`TransferState.policy`). */
export interface PolicyRef {
  id: string;
  version: string;
}

/**
 * Every released pack version, as a plug-in (./plugin.ts), oldest first per id. Add a new version here, never edit a
 * released one.
 */
const released: readonly AnyPolicyPlugin[] = [cnPlugin(cn2024), euPlugin(euGdpr2026)];

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

/** Index plug-ins by id and version; refuses a malformed or duplicate entry, or one whose parts disagree. */
export function indexPlugins(plugins: readonly AnyPolicyPlugin[]): Map<string, Map<string, AnyPolicyPlugin>> {
  const index = new Map<string, Map<string, AnyPolicyPlugin>>();
  for (const p of plugins) {
    const ref = `${p.id}@${p.version}`;
    if (!isPolicyId(p.id) || !isPolicyVersion(p.version))
      throw new RangeError(`policy pack ${ref}: malformed id or version`);
    if (p.content.id !== p.id || p.content.version !== p.version)
      throw new RangeError(`policy pack ${ref}: its content is ${p.content.id}@${p.content.version}`);
    if (p.workflowPack && (p.workflowPack.id !== p.id || p.workflowPack.version !== p.version))
      throw new RangeError(`policy pack ${ref}: its workflow pack is another version`);
    if (p.lifecycle.acceptsSubmissions && !p.workflowPack)
      throw new RangeError(`policy pack ${ref}: accepts submissions but the workflow has no pack for it`);
    const versions = index.get(p.id) ?? new Map<string, AnyPolicyPlugin>();
    if (versions.has(p.version)) throw new RangeError(`policy pack ${ref} registered twice`);
    versions.set(p.version, p);
    index.set(p.id, versions);
  }
  return index;
}

const registry = indexPlugins(released);

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

/** Exactly that version of that pack as a plug-in, or undefined. */
export function resolvePlugin(id: string, version: string): AnyPolicyPlugin | undefined {
  return registry.get(id)?.get(version);
}

/** The newest released version of a pack as a plug-in, or undefined for an unknown id. */
export function latestPlugin(id: string): AnyPolicyPlugin | undefined {
  const newest = policyVersions(id).at(-1);
  return newest === undefined ? undefined : resolvePlugin(id, newest);
}

/**
 * Exactly that version of that pack as the transfer workflow computes with it, or undefined (also for a pack whose
 * lifecycle the workflow does not implement: see `PolicyPlugin.workflowPack`).
 */
export function resolvePolicy(id: string, version: string): PolicyPack | undefined {
  return resolvePlugin(id, version)?.workflowPack;
}

/** The newest released version of a pack as the workflow computes with it, or undefined. */
export function latestPolicy(id: string): PolicyPack | undefined {
  return latestPlugin(id)?.workflowPack;
}

/** Every released pack version as a plug-in, oldest first per id. */
export const releasedPlugins = (): readonly AnyPolicyPlugin[] => released;

/**
 * The content of every released pack version (`PolicyPlugin.content`: what its hash in released.json is taken
 * over), for the immutability check and the hash script.
 */
export const releasedPolicies = (): readonly { id: string; version: string }[] =>
  released.map((p) => p.content);

/** The version every transfer started before packs were versioned was submitted under (inputs without a version). */
export const PRE_VERSIONING_POLICY_VERSION = '2024.1';
