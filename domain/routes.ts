/**
 * Route determination (DOMAIN.md "Routes"): evaluate the pack's route table top-down, the first row that matches
 * decides. A row that cannot be evaluated because a fact is missing makes the answer `needs_info` listing the
 * missing facts: the engine never guesses. The rows are the pack's (domain/policy/<pack>/routes.ts); the
 * helpers below are what rows are written with.
 */
import type { PartialApplication } from './application';
import type { PolicyPack, Route, RouteRuleOutcome as Outcome } from './policy';

export interface RouteDecision {
  /** null when facts are missing (`needsInfo` lists them) */
  route: Route | null;
  /** ids of the rules that fired, with the reason each gives */
  rules: { id: string; reason: string }[];
  needsInfo: { field: string; reason: string }[];
  policy: { id: string; version: string };
}

/** A row cannot be evaluated without this fact. */
export const need = (field: string, reason: string): Outcome => ({ missing: [{ field, reason }] });

/** The facts of an application the route rows read. */
export function facts(app: PartialApplication) {
  return {
    categories: app.dataCategories,
    importantData: app.volume?.importantData,
    individuals: app.volume?.individualsYtd,
    sensitive: app.volume?.sensitiveIndividualsYtd,
    isCIIO: app.exporter?.isCIIO,
  };
}

/** The row matches an exemption claimed on this basis with a justification. */
export const claims =
  (basis: string) =>
  (app: PartialApplication): Outcome => ({
    match: app.exemption?.basis === basis && app.exemption.justification.trim().length > 0,
  });

/**
 * The row matches when `pred` holds for the year-to-date volumes; either count missing (or sensitive categories
 * declared with no individuals counted) needs information.
 */
export function volumes(
  app: PartialApplication,
  pred: (individuals: number, sensitive: number) => boolean,
): Outcome {
  const f = facts(app);
  const missing: { field: string; reason: string }[] = [];
  if (f.individuals === undefined)
    missing.push({
      field: 'volume.individualsYtd',
      reason: 'individuals whose PI was sent abroad since 1 January',
    });
  if (f.sensitive === undefined)
    missing.push({
      field: 'volume.sensitiveIndividualsYtd',
      reason: 'individuals whose sensitive PI was sent abroad since 1 January',
    });
  if (f.individuals === undefined || f.sensitive === undefined) return { missing };
  if (f.sensitive === 0 && (f.categories ?? []).some((c) => c.sensitive)) {
    return need(
      'volume.sensitiveIndividualsYtd',
      'sensitive categories are declared, so the count of individuals with sensitive PI must be above 0',
    );
  }
  return { match: pred(f.individuals, f.sensitive) };
}

export function determineRoute(app: PartialApplication, pack: PolicyPack): RouteDecision {
  const policy = { id: pack.id, version: pack.version };
  const needsInfo: RouteDecision['needsInfo'] = [];
  const seen = new Set<string>();
  for (const rule of pack.routes) {
    const outcome = rule.test(app, pack);
    if ('missing' in outcome) {
      for (const m of outcome.missing) {
        if (seen.has(m.field)) continue;
        seen.add(m.field);
        needsInfo.push(m);
      }
      continue;
    }
    if (!outcome.match) continue;
    const rules = [{ id: rule.id, reason: rule.reason }];
    if (needsInfo.length > 0) return { route: null, rules, needsInfo, policy };
    if (rule.route !== 'exporter_choice') return { route: rule.route, rules, needsInfo, policy };
    if (!app.routePreference) {
      return {
        route: null,
        rules,
        needsInfo: [{ field: 'routePreference', reason: 'choose standard_contract or certification' }],
        policy,
      };
    }
    return { route: app.routePreference, rules, needsInfo, policy };
  }
  return { route: null, rules: [], needsInfo, policy };
}
