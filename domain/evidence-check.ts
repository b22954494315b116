/**
 * Does a transfer's audit chain say exactly what its workflow kept? A pure comparison of the chain stored in the
 * evidence store with the workflow's `decisions` and `escalations` (as its state query answers them).
 *
 * Each side becomes a list of facts (actor, role, action, instant, reason): a decision as itself, an escalation as
 * the system's `escalation.<step>`. Both lists are put in time order and compared as multisets: a fact in the chain
 * that the workflow does not hold is a *phantom*, one the workflow holds but the chain lacks is *missing*. Keys are
 * not compared, so chains written by code versions before 6 (positional keys `d:<n>`/`e:<n>`) are checked the same
 * way as content-keyed ones (`d:<sha256>`), and a chain that mixes both (a transfer continued from older code) too.
 * The chain's own order is its write order, which is not always time order (a deadline's consequence is decided as
 * of the deadline's instant), so it is not compared; its integrity is `AuditLog.verify`'s business.
 */
import type { AuditEntryInput } from './evidence';
import type { Decision, Escalation } from './transfer-state';

/** One fact on either side, with where it came from (for the message). */
export interface EvidenceFact {
  actor: string;
  role: string;
  action: string;
  at: string;
  reason: string | null;
  /** `entry 7 (d:3f2a…)` for the chain, `decision 4` / `escalation 1` for the workflow */
  source: string;
}

export type ChainCheck =
  | { ok: true; compared: number }
  | {
      ok: false;
      compared: number;
      /** in the chain, not in the workflow (time order) */
      phantom: EvidenceFact[];
      /** in the workflow, not in the chain (time order) */
      missing: EvidenceFact[];
      /** the earliest difference, readable */
      first: string;
      /** every difference, one per line */
      message: string;
    };

/** What the comparison needs of a stored entry (an `AuditEntry` has it all). */
export type ChainEntry = Pick<AuditEntryInput, 'key' | 'at' | 'actor' | 'role' | 'action' | 'reason'> & {
  seq?: number;
};

/** What the comparison needs of the workflow's state. */
export interface KeptDecisions {
  decisions: readonly Decision[];
  escalations: readonly Escalation[];
}

const identity = (f: EvidenceFact): string => JSON.stringify([f.at, f.actor, f.role, f.action, f.reason]);

const byTime = (a: EvidenceFact, b: EvidenceFact): number => {
  const x = identity(a);
  const y = identity(b);
  return x < y ? -1 : x > y ? 1 : 0;
};

export const describeFact = (f: EvidenceFact): string =>
  `${f.source}: ${f.action} by ${f.actor} (${f.role}) at ${f.at}${f.reason ? ` — "${f.reason}"` : ''}`;

/** The chain's facts, in time order. */
export function chainFacts(chain: readonly ChainEntry[]): EvidenceFact[] {
  return chain
    .map((e, i) => ({
      actor: e.actor,
      role: e.role,
      action: e.action,
      at: e.at,
      reason: e.reason || null, // an empty reason is written as none
      source: `entry ${e.seq ?? i + 1} (${e.key})`,
    }))
    .sort(byTime);
}

/** The workflow's facts, in time order. */
export function keptFacts(state: KeptDecisions): EvidenceFact[] {
  return [
    ...state.decisions.map((d, i) => ({
      actor: d.by,
      role: d.role,
      action: d.action,
      at: d.at,
      reason: d.reason || null,
      source: `decision ${i + 1}`,
    })),
    ...state.escalations.map((e, i) => ({
      actor: 'system',
      role: 'system',
      action: `escalation.${e.step}`,
      at: e.at,
      reason: null,
      source: `escalation ${i + 1}`,
    })),
  ].sort(byTime);
}

/**
 * Compare a transfer's stored chain with its workflow's decisions and escalations. `ok` when both hold the same
 * facts the same number of times; otherwise the phantom and missing facts and a message naming the earliest
 * difference first.
 */
export function compareChain(chain: readonly ChainEntry[], state: KeptDecisions): ChainCheck {
  const stored = chainFacts(chain);
  const kept = keptFacts(state);
  const phantom: EvidenceFact[] = [];
  const missing: EvidenceFact[] = [];
  // both sorted by the same total order: one merge pass pairs equal facts, the rest are differences
  let i = 0;
  let j = 0;
  while (i < stored.length || j < kept.length) {
    const s = stored[i];
    const k = kept[j];
    const order = !s ? 1 : !k ? -1 : byTime(s, k);
    if (order === 0) {
      i++;
      j++;
    } else if (order < 0) {
      phantom.push(s!);
      i++;
    } else {
      missing.push(k!);
      j++;
    }
  }
  const compared = Math.max(stored.length, kept.length);
  if (phantom.length === 0 && missing.length === 0) return { ok: true, compared };
  const lines = [
    ...phantom.map((f) => ({ f, text: `phantom ${describeFact(f)} is in the chain, not in the workflow` })),
    ...missing.map((f) => ({ f, text: `missing ${describeFact(f)} is in the workflow, not in the chain` })),
  ].sort((a, b) => byTime(a.f, b.f));
  return {
    ok: false,
    compared,
    phantom,
    missing,
    first: lines[0]!.text,
    message: [
      `the chain holds ${stored.length} entries, the workflow ${state.decisions.length} decisions and ${state.escalations.length} escalations; ${phantom.length} phantom, ${missing.length} missing:`,
      ...lines.map((l) => `  ${l.text}`),
    ].join('\n'),
  };
}
