/**
 * The facts the eu-gdpr pack reads (EU-GDPR.md §1), one record per hop. Hop 0 is exporter → importer; each
 * onward transfer is one more hop with the same facts plus `recipientName` and `safeguard`.
 *
 * Unknown facts are LEFT OUT (the route answer is then `needs_info` where a rule needs them); "none" is explicit:
 * `null`, or `{ signed: false }` for SCCs. So every field is optional here: this is the route-check and draft
 * shape, and the route function (./routes.ts) decides which missing fact matters.
 *
 * Facts the §1 table does not name but §0/§2/§5 need are marked "(extension)" below.
 */
import { z } from 'zod';
import { isoCountry, isoDay, text } from '../../application';

export const roles = ['controller', 'processor'] as const;
export type PartyRole = (typeof roles)[number];

/** EU-0 (extension): how the data reaches the importer ([E4] para 13, fn 19, fn 23; [E16]). */
export const disclosureMeans = [
  'transmission',
  'remote_access',
  'cloud_storage',
  /** the data subject enters the data directly into the importer's (non-EU) site: no exporter */
  'data_subject_direct',
] as const;

export const dpfStatuses = [
  'active',
  'active_recertification_under_review',
  'inactive',
  'removed',
  'not_listed',
] as const;
export type DpfStatus = (typeof dpfStatuses)[number];
export const dpfFrameworks = ['eu-us', 'uk-extension', 'swiss-us'] as const;
export const dpfCoveredData = ['hr', 'non_hr'] as const;

/** Per-country scope facts (§3 "Recipient must be…"). */
export const scopeFactsSchema = z.strictObject({
  /** CA: private-sector organisation under PIPEDA, data handled in the course of commercial activities */
  subjectToPIPEDA: z.boolean().optional(),
  /** US: the DPF List record of the exact contracting entity */
  dpf: z
    .strictObject({
      status: z.enum(dpfStatuses).optional(),
      /** the framework row of the record checked */
      framework: z.enum(dpfFrameworks).optional(),
      /** what the record certifies: HR data, non-HR data or both */
      coveredData: z.array(z.enum(dpfCoveredData)).max(2).optional(),
      /** the record names the exact contracting legal entity (a parent's listing does not cover a subsidiary) */
      entityMatches: z.boolean().optional(),
      /** (extension, §7) the date the DPF List was checked */
      checkedOn: isoDay.optional(),
    })
    .optional(),
  kr: z
    .strictObject({
      /** personal credit information under the Credit Information Act, by an FSC-supervised controller */
      creditInfoUnderFSC: z.boolean().optional(),
      /** (extension, §3 KR (a)) processing for missionary activities by a religious organisation */
      religiousMissionary: z.boolean().optional(),
      /** (extension, §3 KR (b)) nomination of candidates by a political party */
      politicalNomination: z.boolean().optional(),
    })
    .optional(),
  /** JP: a personal information handling business operator under the APPI, bound by the Supplementary Rules */
  jp: z.strictObject({ isPIHBO: z.boolean().optional() }).optional(),
  /** IL: automated transfer, or non-automated but followed by automated processing in Israel */
  il: z.strictObject({ automated: z.boolean().optional() }).optional(),
  /** BR: controller or processor subject to the LGPD */
  br: z.strictObject({ subjectToLGPD: z.boolean().optional() }).optional(),
  /** (extension) UK: data processed for UK immigration control (excluded by the 2021 text only, recital 6) */
  uk: z.strictObject({ immigrationControl: z.boolean().optional() }).optional(),
});
export type ScopeFacts = z.infer<typeof scopeFactsSchema>;

export const exporterSchema = z.strictObject({
  name: text(200).optional(),
  /** EEA code for hop 0; not read for an onward hop (its exporter is the previous importer, whose role is the default) */
  country: isoCountry.optional(),
  role: z.enum(roles).optional(),
  /** Art. 49(3): a public authority in the exercise of its public powers */
  publicAuthorityExercisingPublicPowers: z.boolean().optional(),
  /** (extension, EU-0 criterion 1) subject to the GDPR under Art. 3(2) — asked only of a non-EEA exporter */
  subjectToGDPR: z.boolean().optional(),
});

export const importerSchema = z.strictObject({
  name: text(200).optional(),
  country: isoCountry.optional(),
  /** an international organisation's id, e.g. `EPO` (a transfer even when its seat is in the EU) */
  io: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/)
    .optional(),
  role: z.enum(roles).optional(),
  /** (extension, EU-0 criterion 2) the exporter's own employee or branch within the same legal entity */
  sameLegalEntityAsExporter: z.boolean().optional(),
  /** Art. 3(2): the importer's processing is itself subject to the GDPR (SCC scope-gap flag, never a block) */
  processingSubjectToGDPR: z.boolean().optional(),
  scopeFacts: scopeFactsSchema.optional(),
});

export const sccModules = ['M1', 'M2', 'M3', 'M4'] as const;
export type SccModule = (typeof sccModules)[number];
/** The only SCC set in force: the older sets were valid only until 27 Dec 2022 (Decision 2021/914 Art. 4). */
export const SCC_VERSION = '2021/914';

export const sccSchema = z.strictObject({
  signed: z.boolean().optional(),
  module: z.enum(sccModules).optional(),
  version: text(50).optional(),
  /** Clause 2 */
  textUnmodified: z.boolean().optional(),
  /** Annexes I–II, and III for M2/M3 */
  annexesComplete: z.boolean().optional(),
  /** Clause 7 (informational) */
  dockingClause: z.boolean().optional(),
  /** M4: the EU processor combines the received data with data it collected in the EU (then a TIA is needed) */
  euCollectedDataCombined: z.boolean().optional(),
});
export type SccFacts = z.infer<typeof sccSchema>;

export const bcrSchema = z.strictObject({
  approvedBySA: z.boolean().optional(),
  approvalRef: text(200).optional(),
  type: z.enum(['C', 'P']).optional(),
  exporterIsMember: z.boolean().optional(),
  importerIsMember: z.boolean().optional(),
  scopeCoversCategories: z.boolean().optional(),
  /** (extension: §2 EU-2 names "data category, purpose and third country") */
  scopeCoversPurpose: z.boolean().optional(),
  scopeCoversCountry: z.boolean().optional(),
});
export type BcrFacts = z.infer<typeof bcrSchema>;

export const otherArt46Kinds = [
  'public_body_instrument',
  'code',
  'certification',
  'ad_hoc_clauses',
  'admin_arrangement',
] as const;
export type OtherArt46Kind = (typeof otherArt46Kinds)[number];

export const otherArt46Schema = z.strictObject({
  kind: z.enum(otherArt46Kinds).optional(),
  saAuthorisation: z.boolean().optional(),
  bindingCommitment: z.boolean().optional(),
});
export type OtherArt46Facts = z.infer<typeof otherArt46Schema>;

export const tiaOutcomes = ['effective', 'effective_with_measures', 'not_effective'] as const;
export type TiaOutcome = (typeof tiaOutcomes)[number];

export const supplementaryMeasureSchema = z.strictObject({
  type: z.enum(['technical', 'contractual', 'organisational']),
  description: text(1000),
  /** false when the assessment found this measure does not close the gap */
  effective: z.boolean().optional(),
});

const guarantee = z.enum(['met', 'not_met']);

/** EDPB Recommendations 01/2020 v2.0, the six steps (EU-GDPR.md §4.4), as recorded by the exporter. */
export const tiaStepsSchema = z.strictObject({
  step1KnowYourTransfers: z
    .strictObject({
      transfersMapped: z.boolean().optional(),
      onwardTransfersMapped: z.boolean().optional(),
      remoteAccessAndStorageMapped: z.boolean().optional(),
      dataMinimised: z.boolean().optional(),
    })
    .optional(),
  step2Tool: z.enum(['adequacy', 'bcr', 'scc', 'other_art46', 'derogation']).optional(),
  step3Assessment: z
    .strictObject({
      /** the specific laws of the destination assessed (Clause 14(b)(ii)) */
      lawsAssessed: z.array(text(300)).max(50).optional(),
      practiceAssessed: z.boolean().optional(),
      /** European Essential Guarantees (EDPB Recs 02/2020) A–D */
      essentialGuarantees: z
        .strictObject({
          clearPreciseAccessibleRules: guarantee.optional(),
          necessityAndProportionality: guarantee.optional(),
          independentOversight: guarantee.optional(),
          effectiveRemedies: guarantee.optional(),
        })
        .optional(),
      /** situation (iii): problematic law that may apply — proceed without measures only if documented */
      noReasonToBelieveAppliedDocumented: z.boolean().optional(),
    })
    .optional(),
  step4Measures: z
    .strictObject({
      /** the importer (or the destination's authorities through it) can access the data in clear text */
      clearTextAccessInDestination: z.boolean().optional(),
      /** encryption keys are held only in the EEA */
      keysHeldInEEA: z.boolean().optional(),
    })
    .optional(),
  step5Procedural: z
    .strictObject({
      /** the measures amend the SCCs, so SA authorisation is needed (Art. 46(3)(a)) */
      saAuthorisationNeeded: z.boolean().optional(),
      saAuthorisationObtained: z.boolean().optional(),
    })
    .optional(),
  step6Reevaluation: z
    .strictObject({
      /** why a review interval beyond 366 days is acceptable */
      longerIntervalRationale: text(2000).optional(),
    })
    .optional(),
});

export const tiaSchema = z.strictObject({
  done: z.boolean().optional(),
  date: isoDay.optional(),
  outcome: z.enum(tiaOutcomes).optional(),
  measures: z.array(supplementaryMeasureSchema).max(50).optional(),
  nextReview: isoDay.optional(),
  steps: tiaStepsSchema.optional(),
});
export type TiaFacts = z.infer<typeof tiaSchema>;

export const derogationBases = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'cli'] as const;
export type DerogationBasis = (typeof derogationBases)[number];
export const frequencies = ['occasional', 'repetitive', 'systematic'] as const;
export type Frequency = (typeof frequencies)[number];

/** Art. 49 with the per-basis fields of §5.1 and §5.2. */
export const derogationSchema = z.strictObject({
  basis: z.enum(derogationBases).optional(),
  frequency: z.enum(frequencies).optional(),
  /** the necessity test (b)–(f): a close and substantial connection */
  necessityNote: text(4000).optional(),
  occasionalJustification: text(4000).optional(),
  /** (a) */
  consent: z
    .strictObject({
      explicit: z.boolean().optional(),
      specific: z.boolean().optional(),
      informedOfRisks: z.boolean().optional(),
    })
    .optional(),
  /** (b), (c) */
  contractRef: text(200).optional(),
  /** (d): the interest is recognised in the law of… */
  publicInterest: z
    .strictObject({
      lawOf: z.enum(['eu', 'member_state', 'third_country']).optional(),
      provision: text(500).optional(),
    })
    .optional(),
  /** (e) */
  legalClaims: z
    .strictObject({
      /** a specific procedure with a basis in law exists (not the mere possibility of one) */
      specificProcedure: z.boolean().optional(),
      procedureRef: text(500).optional(),
    })
    .optional(),
  /** (f) */
  vitalInterests: z
    .strictObject({
      dataSubjectIncapableOfConsent: z.boolean().optional(),
      /** health data: necessary for an essential diagnosis or care (not general research) */
      essentialDiagnosisOrCare: z.boolean().optional(),
    })
    .optional(),
  /** (g) */
  publicRegister: z
    .strictObject({
      intendedByLawToInformPublic: z.boolean().optional(),
      consultationConditionsMet: z.boolean().optional(),
      entireRegisterOrCategories: z.boolean().optional(),
      privateRegister: z.boolean().optional(),
    })
    .optional(),
  /** EU-7, §5.2 items 1–8 */
  compellingInterests: z
    .strictObject({
      noOtherToolPossibleDemonstrated: z.boolean().optional(),
      limitedDataSubjects: z.boolean().optional(),
      compellingForController: z.boolean().optional(),
      balancingDone: z.boolean().optional(),
      safeguards: z.array(text(500)).max(20).optional(),
      saInformed: z.boolean().optional(),
      dataSubjectsInformed: z.boolean().optional(),
      art30Documented: z.boolean().optional(),
    })
    .optional(),
});
export type DerogationFacts = z.infer<typeof derogationSchema>;

export const specialCategories = [
  'racial_or_ethnic_origin',
  'political_opinions',
  'religious_or_philosophical_beliefs',
  'trade_union_membership',
  'genetic',
  'biometric_identification',
  'health',
  'sex_life_or_orientation',
] as const;
export type SpecialCategory = (typeof specialCategories)[number];

/** The facts every hop has. */
const hopShape = {
  transferDate: isoDay.optional(),
  exporter: exporterSchema.optional(),
  importer: importerSchema.optional(),
  disclosureMeans: z.enum(disclosureMeans).optional(),
  /** which Art. 46 tool to report when more than one is in place (default order: BCR, SCC, other) */
  designatedTool: z.enum(['bcr', 'scc', 'other_art46']).optional(),
  scc: sccSchema.nullable().optional(),
  bcr: bcrSchema.nullable().optional(),
  otherArt46: otherArt46Schema.nullable().optional(),
  tia: tiaSchema.nullable().optional(),
  derogation: derogationSchema.nullable().optional(),
  dataCategories: z.array(text(100)).max(50).optional(),
  specialCategories: z.array(z.enum(specialCategories)).max(8).optional(),
  criminalData: z.boolean().optional(),
  approxDataSubjects: z.int().min(0).max(10_000_000_000).optional(),
  /** the transferred data is HR data (the DPF "covered data" scope) */
  hrData: z.boolean().optional(),
};

/** What an onward hop adds (§1, §2 chain rule). */
const onwardShape = {
  recipientName: text(200),
  /** the basis the hop relies on, as named by the applicant (recorded for hops from an adequate destination) */
  safeguard: text(500).optional(),
  /** M2/M3 Clause 8.8 (extension): the onward transfer is on the exporter's documented instructions */
  documentedInstructions: z.boolean().optional(),
  /** M2/M3 Clause 9 (extension): a sub-processor with prior authorisation and a written contract */
  subProcessor: z
    .strictObject({
      priorAuthorisation: z.boolean().optional(),
      writtenContractSameObligations: z.boolean().optional(),
    })
    .optional(),
};

export interface OnwardHopFacts extends z.infer<z.ZodObject<typeof hopShape & typeof onwardShape>> {
  onwardTransfers?: OnwardHopFacts[] | undefined;
}

/** Named (`EuGdprOnwardHop`) so the OpenAPI document can refer to it recursively. */
export const onwardHopSchema: z.ZodType<OnwardHopFacts> = z
  .strictObject({
    ...hopShape,
    ...onwardShape,
    get onwardTransfers() {
      return z.array(onwardHopSchema).max(20).optional();
    },
  })
  .meta({ id: 'EuGdprOnwardHop' });

/** The application facts of an eu-gdpr transfer: hop 0 and its onward hops. */
export const euGdprFactsSchema = z.strictObject({
  ...hopShape,
  onwardTransfers: z.array(onwardHopSchema).max(20).optional(),
});
export type EuGdprFacts = z.infer<typeof euGdprFactsSchema>;

/** One hop as the route function reads it (hop 0 or an onward hop). */
export type HopFacts = EuGdprFacts | OnwardHopFacts;

/** The EEA: the 27 EU Member States plus Iceland, Liechtenstein and Norway. */
export const EU_MEMBER_STATES: readonly string[] = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
];
export const EEA_EFTA_STATES: readonly string[] = ['IS', 'LI', 'NO'];
export const isEEA = (country: string): boolean =>
  EU_MEMBER_STATES.includes(country) || EEA_EFTA_STATES.includes(country);
