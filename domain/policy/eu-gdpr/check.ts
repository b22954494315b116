/**
 * Three-valued conditions (EU-GDPR.md §2 "Unknown facts"): each condition is true, false or unknown, and an
 * unknown one names the facts it misses.
 */

export interface MissingFact {
  /** the fact's path in the application, e.g. `importer.scopeFacts.dpf.status`, `onwardTransfers[0].scc` */
  field: string;
  reason: string;
}

export type Check =
  | { state: 'holds'; why: string }
  | { state: 'fails'; why: string }
  | { state: 'unknown'; missing: MissingFact[] };

export const holds = (why: string): Check => ({ state: 'holds', why });
export const fails = (why: string): Check => ({ state: 'fails', why });
export const unknown = (field: string, reason: string): Check => ({
  state: 'unknown',
  missing: [{ field, reason }],
});

/**
 * Every condition must hold: the first that fails decides `fails`; otherwise any unknown makes the whole unknown
 * (with every missing fact listed); otherwise it holds.
 */
export function all(checks: readonly (() => Check)[], why: string): Check {
  const missing: MissingFact[] = [];
  for (const c of checks) {
    const r = c();
    if (r.state === 'fails') return r;
    if (r.state === 'unknown') missing.push(...r.missing);
  }
  return missing.length > 0 ? { state: 'unknown', missing } : holds(why);
}

/** A boolean fact that must be `expected`: unknown when left out. */
export function flag(
  value: boolean | undefined,
  field: string,
  expected: boolean,
  reason: string,
  failWhy: string,
): Check {
  if (value === undefined) return unknown(field, reason);
  return value === expected ? holds(reason) : fails(failWhy);
}

/** `a.b` under a prefix: `onwardTransfers[0]` + `scc.signed` → `onwardTransfers[0].scc.signed`. */
export const at = (prefix: string, field: string): string => (prefix ? `${prefix}.${field}` : field);
