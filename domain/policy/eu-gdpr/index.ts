/**
 * Policy pack `eu-gdpr`: GDPR Chapter V (../../../../shared/EU-GDPR.md, status date 2026-11-28). Data and pure
 * functions, like cn-2024, but with its own shape: the generic `PolicyPack` (../types.ts) is the CN lifecycle's
 * (volume thresholds, a working-day calendar, filing, CN material kinds), so this pack is not registered in
 * ../registry.ts yet; wiring it into the API and the workflow is a later slice of issue 13.
 */
import { adequacyRegister, type AdequacyDecision } from './adequacy';
import { approvalGate, type ApprovalGate } from './approval';
import { euReviewChecklist, type EuChecklistItem } from './checklist';
import type { DerogationOptions } from './derogations';
import type { EuGdprFacts } from './facts';
import { euMaterialTable, materialsFor, type EuApprovalRoute, type EuMaterialRule } from './materials';
import { determineEuRoute, type EuRouteAnswer } from './routes';
import {
  euDeadlines,
  reevaluationSchedule,
  type EuDeadlineRule,
  type EuScheduleOptions,
  type ScheduledCheck,
} from './schedule';
import { evaluateTia, type TiaEvaluation, type TiaOptions } from './tia';

export interface EuGdprOptions extends EuScheduleOptions, DerogationOptions {
  /** §3 watch list: keep SCCs + a TIA as a documented fallback for every DPF reliance (default off) */
  requireFallbackForDPF: boolean;
}

export interface EuGdprPack {
  id: 'eu-gdpr';
  version: string;
  /** the rule set's status date */
  statusDate: string;
  options: EuGdprOptions;
  adequacyRegister: readonly AdequacyDecision[];
  materials: Readonly<Record<EuApprovalRoute, readonly EuMaterialRule[]>>;
  deadlines: readonly EuDeadlineRule[];
  reviewChecklist: readonly EuChecklistItem[];
}

/** The pack defaults (§3, §5.1, §7; §11.9: the 12-month and 6-month periods are pack policy, not law). */
export const euGdprDefaults: EuGdprOptions = {
  requireFallbackForDPF: false,
  tiaReviewMonths: 12,
  tiaMaxDaysWithoutRationale: 366,
  adequacyReviewLeadMonths: 6,
  dpfCheckIntervalMonths: 12,
  suspensionTerminateMonths: 1,
  consentSystematicAllowed: false,
  memberStateCategoryLimits: [],
};

/** Build a pack version with options (a configured TIA interval is a new version, never an edit). */
export function buildEuGdprPack(version: string, options: Partial<EuGdprOptions> = {}): EuGdprPack {
  const o: EuGdprOptions = { ...euGdprDefaults, ...options };
  return {
    id: 'eu-gdpr',
    version,
    statusDate: '2026-11-28',
    options: o,
    adequacyRegister,
    materials: euMaterialTable,
    deadlines: euDeadlines(o),
    reviewChecklist: euReviewChecklist,
  };
}

export const euGdpr2026: EuGdprPack = buildEuGdprPack('2026.1');

const tiaOptions = (pack: EuGdprPack): TiaOptions => ({
  reviewIntervalMonths: pack.options.tiaReviewMonths,
  maxDaysWithoutRationale: pack.options.tiaMaxDaysWithoutRationale,
});

/** Route determination under a pack version (EU-GDPR.md §0–§6). */
export const euRoute = (facts: EuGdprFacts, pack: EuGdprPack = euGdpr2026): EuRouteAnswer =>
  determineEuRoute(facts, {
    id: pack.id,
    version: pack.version,
    adequacyRegister: pack.adequacyRegister,
    derogations: pack.options,
  });

export const euMaterials = (facts: EuGdprFacts, answer: EuRouteAnswer, pack: EuGdprPack = euGdpr2026) =>
  materialsFor(facts, answer, pack.options);

export const euTia = (facts: EuGdprFacts, pack: EuGdprPack = euGdpr2026): TiaEvaluation =>
  evaluateTia(facts.tia, tiaOptions(pack));

export const euApprovalGate = (
  facts: EuGdprFacts,
  answer: EuRouteAnswer,
  pack: EuGdprPack = euGdpr2026,
): ApprovalGate => approvalGate(facts, answer, tiaOptions(pack));

export const euSchedule = (
  facts: EuGdprFacts,
  answer: EuRouteAnswer,
  pack: EuGdprPack = euGdpr2026,
): ScheduledCheck[] => reevaluationSchedule(facts, answer, pack.options);

export * from './adequacy';
export * from './approval';
export * from './check';
export * from './checklist';
export * from './derogations';
export * from './facts';
export * from './materials';
export * from './routes';
export * from './schedule';
export * from './sources';
export * from './tia';
