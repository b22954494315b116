/**
 * What moving an open transfer from the policy version it pinned to another would change (DOMAIN.md §9: open cases
 * keep their version unless a reviewer re-evaluates them): its route, the materials that route requires, and the
 * length of each deadline it has open. Pure; `npm run policy:impact` runs it over the open transfers.
 */
import type { MaterialKind } from '../application';
import { materialsRequired } from '../completeness';
import { determineRoute } from '../routes';
import type { TransferState } from '../transfer-state';
import { canonicalJson } from '../evidence';
import { policyRef, type PolicyRef } from './registry';
import type { DeadlineRule, DeadlineStep, PolicyPack, Route } from './types';

type Length = DeadlineRule['length'];

export interface PolicyImpact {
  transferId: string;
  from: PolicyRef;
  to: PolicyRef;
  /** set when the route (re-determined from the transfer's application) differs */
  route: { from: Route | null; to: Route | null } | null;
  /** set when the materials required on submission differ */
  materials: {
    from: MaterialKind[];
    to: MaterialKind[];
    added: MaterialKind[];
    removed: MaterialKind[];
  } | null;
  /** the open deadlines whose rule length differs (null: the pack has no rule for that step) */
  deadlines: { step: DeadlineStep; from: Length | null; to: Length | null }[];
  /** whether anything above differs */
  differs: boolean;
}

const lengthOf = (step: DeadlineStep, pack: PolicyPack): Length | null =>
  pack.deadlines.find((d) => d.step === step)?.length ?? null;

export function policyImpact(state: TransferState, fromPack: PolicyPack, toPack: PolicyPack): PolicyImpact {
  const routeFrom = determineRoute(state.application, fromPack).route;
  const routeTo = determineRoute(state.application, toPack).route;
  const kinds = (route: Route | null, pack: PolicyPack) =>
    route && route !== 'exempt' ? materialsRequired(route, pack) : [];
  const materialsFrom = kinds(routeFrom, fromPack);
  const materialsTo = kinds(routeTo, toPack);
  const added = materialsTo.filter((k) => !materialsFrom.includes(k));
  const removed = materialsFrom.filter((k) => !materialsTo.includes(k));

  const deadlines: PolicyImpact['deadlines'] = [];
  for (const step of new Set(state.deadlines.map((d) => d.step))) {
    const from = lengthOf(step, fromPack);
    const to = lengthOf(step, toPack);
    if (canonicalJson(from) !== canonicalJson(to)) deadlines.push({ step, from, to });
  }

  const route = routeFrom === routeTo ? null : { from: routeFrom, to: routeTo };
  const materials =
    added.length || removed.length ? { from: materialsFrom, to: materialsTo, added, removed } : null;
  return {
    transferId: state.id,
    from: { id: fromPack.id, version: fromPack.version },
    to: { id: toPack.id, version: toPack.version },
    route,
    materials,
    deadlines,
    differs: route !== null || materials !== null || deadlines.length > 0,
  };
}

export function describeLength(length: Length | null): string {
  if (!length) return 'none';
  if ('workingDays' in length) return `${length.workingDays} WD`;
  if ('calendarDays' in length) return `${length.calendarDays} calendar days`;
  if ('months' in length) return `${length.months} month(s)`;
  if ('setByReviewer' in length) return 'set by the reviewer';
  return 'until expiry';
}

/** One line per difference, e.g. `deadline supplement_answer: 10 WD → 15 WD`. */
export function describeImpact(impact: PolicyImpact): string[] {
  const lines: string[] = [];
  if (impact.route)
    lines.push(`route: ${impact.route.from ?? 'needs info'} → ${impact.route.to ?? 'needs info'}`);
  if (impact.materials) {
    const m = impact.materials;
    lines.push(`materials: ${[...m.added.map((k) => `+${k}`), ...m.removed.map((k) => `-${k}`)].join(' ')}`);
  }
  for (const d of impact.deadlines)
    lines.push(`deadline ${d.step}: ${describeLength(d.from)} → ${describeLength(d.to)}`);
  return lines;
}

/** `cn-2024@2024.1 → cn-2024@2025.1` */
export const describeMove = (impact: PolicyImpact): string =>
  `${policyRef(impact.from)} → ${policyRef(impact.to)}`;
