/**
 * Deadlines and the re-evaluation schedule of the eu-gdpr pack (EU-GDPR.md §7). The document states every period
 * in months (or "per transfer"); none is in working days, so this pack needs no working-day calendar.
 */
import { addMonthsToDay, compareDays, daysBetween } from './dates';
import type { EuGdprFacts } from './facts';
import type { EuRouteAnswer, HopAnswer } from './routes';

export type EuDeadlineStep =
  | 'adequacy_expiry_review'
  | 'dpf_list_check'
  | 'tia_review'
  | 'suspension_unresolved'
  | 'derogation_per_transfer';

export interface EuDeadlineRule {
  step: EuDeadlineStep;
  routes: readonly string[];
  actor: 'applicant' | 'reviewer';
  length: { months: number } | { monthsBefore: number; of: 'adequacy_valid_until' } | { perTransfer: true };
  whenMissed: string;
  /** true where the period is a pack policy choice, not a legal requirement (§11.9) */
  policyChoice: boolean;
  source: string;
}

export interface EuScheduleOptions {
  tiaReviewMonths: number;
  tiaMaxDaysWithoutRationale: number;
  adequacyReviewLeadMonths: number;
  dpfCheckIntervalMonths: number;
  suspensionTerminateMonths: number;
}

export function euDeadlines(o: EuScheduleOptions): EuDeadlineRule[] {
  return [
    {
      step: 'adequacy_expiry_review',
      routes: ['adequacy'],
      actor: 'reviewer',
      length: { monthsBefore: o.adequacyReviewLeadMonths, of: 'adequacy_valid_until' },
      whenMissed: 'change_review: the decision may lapse (UK valid to 2031-12-27)',
      policyChoice: true,
      source: 'GDPR Art. 45(3), (5) [E1]; [E8][E16]; EU-GDPR.md §7',
    },
    {
      step: 'dpf_list_check',
      routes: ['adequacy'],
      actor: 'applicant',
      length: { months: o.dpfCheckIntervalMonths },
      whenMissed:
        'change_review (before the first transfer, then at least every interval; record the date checked)',
      policyChoice: true,
      source: '[E12][E13][E16]; EU-GDPR.md §7',
    },
    {
      step: 'tia_review',
      routes: ['scc', 'bcr', 'other_art46'],
      actor: 'applicant',
      length: { months: o.tiaReviewMonths },
      whenMissed: 'change_review (TIA re-evaluation "at appropriate intervals")',
      policyChoice: true,
      source: 'EDPB Recs 01/2020 step 6 [E4]; SCC Clause 14 [E3]; BCR-C §5.4.1 [E5]; [E19]; EU-GDPR.md §7',
    },
    {
      step: 'suspension_unresolved',
      routes: ['scc', 'bcr'],
      actor: 'reviewer',
      length: { months: o.suspensionTerminateMonths },
      whenMissed: 'terminate if compliance is not restored (Clause 16(c)(i); BCR-C §5.4.1)',
      policyChoice: false,
      source: 'SCC Clause 16 [E3]; BCR-C §5.4.1 [E5]; EU-GDPR.md §4.1, §7',
    },
    {
      step: 'derogation_per_transfer',
      routes: ['derogation'],
      actor: 'applicant',
      length: { perTransfer: true },
      whenMissed:
        'expiry = the transfer, or the single legal procedure; regular use must re-route to Art. 46',
      policyChoice: true,
      source: 'EDPB Guidelines 2/2018 [E2]; EU-GDPR.md §7',
    },
  ];
}

export interface ScheduledCheck {
  step: EuDeadlineStep | 'adequacy_in_force_per_transfer';
  /** the hop it concerns ('' = hop 0) */
  hop: string;
  /** the date the check falls due; absent when it is "on each transfer" */
  due?: string;
  warnings: string[];
  /** a recorded date this pack rejects (e.g. a review date before the assessment) */
  errors: string[];
  source: string;
}

/** Event triggers that open `change_review` (§7), per route family. */
export const reevaluationTriggers = {
  adequacy: [
    'Commission repeal, suspension or amendment (Art. 45(5))',
    'CJEU judgment (watch list §3)',
    'review reports',
  ],
  adequacyDpf: [
    'entity Inactive or removed',
    'scope change (HR ↔ Non-HR)',
    'Latombe appeal ruling',
    'Commission action',
  ],
  art46: [
    'importer notice under Clause 14(e) / BCR-C §5.4.1',
    'new destination law or practice',
    'government-access request (Clause 15)',
    'change of purpose, categories, recipients, sub-processors or storage',
    'SA instruction',
    'adequacy adopted for the destination (Clause 16(e) lets parties exit)',
  ],
  derogation: ['frequency turns regular → must re-route to Art. 46', 'consent withdrawn', 'procedure closed'],
} as const;

function hopSchedule(hop: HopAnswer, facts: EuGdprFacts, o: EuScheduleOptions): ScheduledCheck[] {
  const out: ScheduledCheck[] = [];
  const dl = euDeadlines(o);
  const src = (s: EuDeadlineStep) => dl.find((d) => d.step === s)!.source;
  if (hop.route === 'adequacy') {
    out.push({
      step: 'adequacy_in_force_per_transfer',
      hop: hop.path,
      warnings: [],
      errors: [],
      source: 'EU-GDPR.md §7: decision still in force on each transfer date',
    });
    if (hop.adequacy?.validUntil)
      out.push({
        step: 'adequacy_expiry_review',
        hop: hop.path,
        due: addMonthsToDay(hop.adequacy.validUntil, -o.adequacyReviewLeadMonths),
        warnings: [],
        errors: [],
        source: src('adequacy_expiry_review'),
      });
    if (hop.adequacy?.decisionId === 'US' && hop.path === '') {
      const checked = facts.importer?.scopeFacts?.dpf?.checkedOn;
      const warnings: string[] = [];
      let due: string | undefined;
      if (checked === undefined) {
        due = facts.transferDate;
        warnings.push('the DPF List check date is not recorded: check before the first transfer');
      } else {
        due = addMonthsToDay(checked, o.dpfCheckIntervalMonths);
        if (facts.transferDate && compareDays(facts.transferDate, due) > 0)
          warnings.push(
            `the DPF List check of ${checked} is older than ${o.dpfCheckIntervalMonths} months on the transfer date`,
          );
      }
      out.push({
        step: 'dpf_list_check',
        hop: hop.path,
        ...(due ? { due } : {}),
        warnings,
        errors: [],
        source: src('dpf_list_check'),
      });
    }
  }
  if (
    (hop.route === 'scc' || hop.route === 'bcr' || hop.route === 'other_art46') &&
    hop.tiaRequired &&
    hop.path === ''
  ) {
    const tia = facts.tia;
    const warnings: string[] = [];
    const errors: string[] = [];
    let due: string | undefined;
    if (!tia?.date) warnings.push('no TIA date recorded: the review is scheduled once the TIA is done');
    else {
      due = tia.nextReview ?? addMonthsToDay(tia.date, o.tiaReviewMonths);
      if (tia.nextReview && compareDays(tia.nextReview, tia.date) < 0)
        errors.push(`review date ${tia.nextReview} is earlier than the assessment date ${tia.date}`);
      else if (
        daysBetween(tia.date, due) > o.tiaMaxDaysWithoutRationale &&
        !tia.steps?.step6Reevaluation?.longerIntervalRationale
      )
        warnings.push(
          `more than ${o.tiaMaxDaysWithoutRationale} days between assessment and review without a recorded rationale`,
        );
    }
    out.push({
      step: 'tia_review',
      hop: hop.path,
      ...(due ? { due } : {}),
      warnings,
      errors,
      source: src('tia_review'),
    });
  }
  if (hop.route === 'derogation')
    out.push({
      step: 'derogation_per_transfer',
      hop: hop.path,
      ...(facts.transferDate && hop.path === '' ? { due: facts.transferDate } : {}),
      warnings: [],
      errors: [],
      source: src('derogation_per_transfer'),
    });
  return out;
}

/** The re-evaluation checks an answer schedules (§7), for every hop that has a lawful route. */
export function reevaluationSchedule(
  facts: EuGdprFacts,
  answer: EuRouteAnswer,
  o: EuScheduleOptions,
): ScheduledCheck[] {
  return answer.hops.flatMap((h) => hopSchedule(h, facts, o));
}

/** The date a suspended SCC/BCR transfer must be terminated by if compliance is not restored (§4.1, §4.2, §7). */
export const suspensionTerminationDue = (suspendedOn: string, o: EuScheduleOptions): string =>
  addMonthsToDay(suspendedOn, o.suspensionTerminateMonths);
