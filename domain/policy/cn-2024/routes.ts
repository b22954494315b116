/** The cn-2024 route table (DOMAIN.md "Routes"): rows 0–10, top-down, the first match decides. */
import { claims, facts, need, volumes } from '../../routes';
import type { RouteRule } from '../types';

export const cn2024Routes: readonly RouteRule[] = [
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
