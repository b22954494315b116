/**
 * The transfer impact assessment: EDPB Recommendations 01/2020 v2.0, six steps (EU-GDPR.md §4.4), evaluated for
 * approval. `not_effective` (or no effective supplementary measure) is a hard gate (EU-5, §9 "Outcomes").
 */
import { addMonthsToDay, compareDays, daysBetween } from './dates';
import type { TiaFacts } from './facts';

/** The six steps, as the pack names them (§4.4 "Engine artefact"). */
export const tiaSteps = [
  {
    step: 1,
    id: 'know_your_transfers',
    what: 'Map every transfer including onward transfers, remote access and cloud storage; check data minimisation. Before transferring, and again before resuming after a suspension',
    artefact: 'hop list, data map, countries of access',
  },
  {
    step: 2,
    id: 'identify_tool',
    what: 'Art. 45 → only monitor the decision; Art. 46 → continue to step 3; Art. 49 → occasional use only',
    artefact: 'route',
  },
  {
    step: 3,
    id: 'assess_effectiveness',
    what: 'Law and practice of the destination, esp. public-authority access, against the European Essential Guarantees (A clear rules, B necessity and proportionality, C independent oversight, D effective remedies)',
    artefact: 'tia.outcome',
  },
  {
    step: 4,
    id: 'supplementary_measures',
    what: 'Technical, contractual, organisational measures; none effective for clear-text processing in the cloud or remote business access where the powers exceed what is necessary and proportionate',
    artefact: 'tia.measures[], EU-5 gate',
  },
  {
    step: 5,
    id: 'procedural_steps',
    what: 'e.g. SA authorisation if the measures amend the SCCs (Art. 46(3)(a))',
    artefact: 'otherArt46.saAuthorisation',
  },
  {
    step: 6,
    id: 're_evaluate',
    what: 'Re-evaluate at appropriate intervals; monitor developments',
    artefact: 'tia.nextReview, triggers (§7)',
  },
] as const;
export type TiaStepId = (typeof tiaSteps)[number]['id'];

export interface TiaFinding {
  step: TiaStepId | 'outcome';
  /** `block`: approval is not possible; `warn`: the reviewer must look */
  severity: 'block' | 'warn';
  text: string;
  source: string;
}

export interface TiaEvaluation {
  /** the assessment's result, or `incomplete` when it cannot be relied on yet */
  result: 'effective' | 'effective_with_measures' | 'not_effective' | 'incomplete';
  blocksApproval: boolean;
  findings: TiaFinding[];
  /** the date the next review is due (the recorded one, else date + the pack's interval) */
  nextReview?: string;
}

export interface TiaOptions {
  /** pack default 12 (§7; a pack policy choice, §11.9) */
  reviewIntervalMonths: number;
  /** warn when the next review is further than this from the assessment without a recorded rationale */
  maxDaysWithoutRationale: number;
}

const REC = 'EDPB Recs 01/2020 [E4]';

/** Evaluate a recorded TIA for approval. Pure: `tia` is the application's `tia` fact. */
export function evaluateTia(tia: TiaFacts | null | undefined, opts: TiaOptions): TiaEvaluation {
  const findings: TiaFinding[] = [];
  const block = (step: TiaFinding['step'], text: string, source = REC) =>
    findings.push({ step, severity: 'block', text, source });
  const warn = (step: TiaFinding['step'], text: string, source = REC) =>
    findings.push({ step, severity: 'warn', text, source });

  if (!tia || tia.done !== true) {
    block(
      'outcome',
      'no TIA recorded: required for an Art. 46 tool before the transfer',
      `${REC}; SCC Clause 14(d) [E3]`,
    );
    return { result: 'incomplete', blocksApproval: true, findings };
  }
  if (tia.outcome === undefined) block('outcome', 'the TIA has no outcome');
  if (tia.outcome === 'not_effective')
    block(
      'outcome',
      'outcome not_effective: do not transfer, or suspend or end (EU-5 hard gate)',
      `${REC} step 4; SCC Clause 14(f) [E3]; Schrems II [E20]`,
    );
  const measures = tia.measures ?? [];
  if (tia.outcome === 'effective_with_measures') {
    if (measures.length === 0)
      block('supplementary_measures', 'outcome effective_with_measures but no measure listed');
    else if (measures.every((m) => m.effective === false))
      block('supplementary_measures', 'no effective supplementary measure found (EU-5)', `${REC} step 4`);
  }

  const s = tia.steps;
  if (!s)
    warn('know_your_transfers', 'the six steps are not recorded: the reviewer checks the report itself');
  else {
    const s1 = s.step1KnowYourTransfers;
    if (s1?.transfersMapped === false) block('know_your_transfers', 'the transfers are not mapped');
    if (s1?.onwardTransfersMapped === false)
      block(
        'know_your_transfers',
        'the TIA does not cover the intended onward transfers',
        `SCC Clause 14(b)(i) [E3]; ${REC} step 1`,
      );
    if (s1?.remoteAccessAndStorageMapped === false)
      warn('know_your_transfers', 'remote access and cloud storage are not mapped');
    if (s1?.dataMinimised === false) warn('know_your_transfers', 'data minimisation not confirmed');
    if (s.step2Tool === 'adequacy' || s.step2Tool === 'derogation')
      warn(
        'identify_tool',
        `a TIA is required only for Art. 46 tools, not for ${s.step2Tool}`,
        '[E4][E16][E19]',
      );
    const s3 = s.step3Assessment;
    if (!s3?.lawsAssessed || s3.lawsAssessed.length === 0)
      warn(
        'assess_effectiveness',
        'the TIA does not name the specific laws assessed',
        `SCC Clause 14(b)(ii) [E3]`,
      );
    if (s3?.practiceAssessed === false)
      warn('assess_effectiveness', 'the practice of the destination was not assessed');
    const g = s3?.essentialGuarantees;
    const problematic = g ? Object.values(g).some((v) => v === 'not_met') : false;
    if (problematic && tia.outcome === 'effective' && s3?.noReasonToBelieveAppliedDocumented !== true)
      block(
        'assess_effectiveness',
        'an Essential Guarantee is not met but the outcome is effective without measures and without a documented "no reason to believe" it applies to this transfer',
        `${REC} step 3; EDPB Recs 02/2020`,
      );
    const s4 = s.step4Measures;
    if (problematic && s4?.clearTextAccessInDestination === true && tia.outcome !== 'not_effective')
      block(
        'supplementary_measures',
        'clear-text access in the destination where its powers exceed what is necessary and proportionate: the EDPB found no effective measure',
        `${REC} step 4, Annex 2`,
      );
    const s5 = s.step5Procedural;
    if (s5?.saAuthorisationNeeded === true && s5.saAuthorisationObtained !== true)
      block(
        'procedural_steps',
        'the measures amend the SCCs: SA authorisation needed and not obtained (Art. 46(3)(a))',
        'GDPR Art. 46(3)(a) [E1]',
      );
  }

  let nextReview: string | undefined;
  if (tia.date === undefined) block('re_evaluate', 'the assessment date is missing');
  else {
    nextReview = tia.nextReview ?? addMonthsToDay(tia.date, opts.reviewIntervalMonths);
    if (tia.nextReview !== undefined && compareDays(tia.nextReview, tia.date) < 0)
      block(
        're_evaluate',
        `review date ${tia.nextReview} is earlier than the assessment date ${tia.date}`,
        '[E19]; EU-GDPR.md §7',
      );
    else if (
      daysBetween(tia.date, nextReview) > opts.maxDaysWithoutRationale &&
      !s?.step6Reevaluation?.longerIntervalRationale
    )
      warn(
        're_evaluate',
        `more than ${opts.maxDaysWithoutRationale} days until the next review without a recorded rationale`,
        '[E19]; EU-GDPR.md §7',
      );
  }

  const blocksApproval = findings.some((f) => f.severity === 'block');
  const result: TiaEvaluation['result'] =
    tia.outcome === 'not_effective' ||
    findings.some((f) => f.text.includes('no effective supplementary measure'))
      ? 'not_effective'
      : blocksApproval || tia.outcome === undefined
        ? 'incomplete'
        : tia.outcome;
  return nextReview === undefined
    ? { result, blocksApproval, findings }
    : { result, blocksApproval, findings, nextReview };
}
