/**
 * Route determination (DOMAIN.md "Routes", policy pack thresholds): evaluate the rows top-down, the first row
 * that matches decides. A row that cannot be evaluated because a fact is missing makes the answer `needs_info`
 * listing the missing facts: the engine never guesses.
 */
import type { PartialApplication } from './application';
import type { PolicyPack, Route } from './policy';

export interface RouteDecision {
  /** null when facts are missing (`needsInfo` lists them) */
  route: Route | null;
  /** ids of the rules that fired, with the reason each gives */
  rules: { id: string; reason: string }[];
  needsInfo: { field: string; reason: string }[];
  policy: { id: string; version: string };
}

type Outcome = { match: boolean } | { missing: { field: string; reason: string }[] };

interface RouteRule {
  id: string;
  route: Route | 'exporter_choice';
  reason: string;
  test: (app: PartialApplication, pack: PolicyPack) => Outcome;
}

const need = (field: string, reason: string): Outcome => ({ missing: [{ field, reason }] });

function facts(app: PartialApplication) {
  return {
    categories: app.dataCategories,
    importantData: app.volume?.importantData,
    individuals: app.volume?.individualsYtd,
    sensitive: app.volume?.sensitiveIndividualsYtd,
    isCIIO: app.exporter?.isCIIO,
  };
}

const claims =
  (basis: string) =>
  (app: PartialApplication): Outcome => ({
    match: app.exemption?.basis === basis && app.exemption.justification.trim().length > 0,
  });

export const routeRules: readonly RouteRule[] = [
  {
    id: 'cn-2024/0',
    route: 'exempt',
    reason: 'no personal information and no important data',
    test: (app) => {
      const f = facts(app);
      if (f.categories === undefined)
        return need('dataCategories', 'which personal data categories are transferred');
      if (f.importantData === undefined)
        return need('volume.importantData', 'whether important data is transferred');
      return { match: f.categories.length === 0 && !f.importantData };
    },
  },
  {
    id: 'cn-2024/1',
    route: 'exempt',
    reason: 'PI collected abroad, processed here and sent back',
    test: claims('collected_abroad'),
  },
  {
    id: 'cn-2024/2',
    route: 'exempt',
    reason: 'outside the free-trade-zone negative list',
    test: claims('free_trade_zone'),
  },
  {
    id: 'cn-2024/3',
    route: 'security_assessment',
    reason: 'important data',
    test: (app) => {
      const f = facts(app);
      if (f.importantData === undefined)
        return need('volume.importantData', 'whether important data is transferred');
      return { match: f.importantData };
    },
  },
  {
    id: 'cn-2024/4',
    route: 'exempt',
    reason: 'truly necessary for a contract with the individual',
    test: claims('contract_necessity'),
  },
  {
    id: 'cn-2024/5',
    route: 'exempt',
    reason: 'cross-border HR management of employees',
    test: claims('hr_management'),
  },
  {
    id: 'cn-2024/6',
    route: 'exempt',
    reason: 'emergency protecting life, health or property',
    test: claims('emergency'),
  },
  {
    id: 'cn-2024/7',
    route: 'security_assessment',
    reason: 'a CIIO exporting personal information',
    test: (app) => {
      const f = facts(app);
      if (f.isCIIO === undefined)
        return need(
          'exporter.isCIIO',
          'whether the exporter is a critical information infrastructure operator',
        );
      return { match: f.isCIIO && (f.categories?.length ?? 0) > 0 };
    },
  },
  {
    id: 'cn-2024/8',
    route: 'security_assessment',
    reason: 'volume at or above the security-assessment threshold',
    test: (app, pack) =>
      volumes(
        app,
        (i, s) =>
          i >= pack.thresholds.securityAssessmentIndividuals ||
          s >= pack.thresholds.securityAssessmentSensitive,
      ),
  },
  {
    id: 'cn-2024/9',
    route: 'exporter_choice',
    reason: 'volume in the standard-contract / certification band',
    test: (app, pack) =>
      volumes(
        app,
        (i, s) => i >= pack.thresholds.contractIndividuals || s >= pack.thresholds.contractSensitive,
      ),
  },
  {
    id: 'cn-2024/10',
    route: 'exempt',
    reason: 'below the thresholds and no sensitive personal information',
    test: (app, pack) => volumes(app, (i, s) => i < pack.thresholds.contractIndividuals && s === 0),
  },
];

function volumes(
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
  for (const rule of routeRules) {
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
