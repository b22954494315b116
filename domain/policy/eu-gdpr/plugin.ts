/**
 * eu-gdpr as a plug-in (../plugin.ts): the route check (EU-GDPR.md §0–§6, per hop), the description (§2 rules with
 * sources, §3 register, §8 materials, §7 clocks, §9 checklist) and the lifecycle options (no regulator filing, an
 * internal register number, the §7 re-evaluation schedule, the six-step TIA form) as data the workflow reads.
 */
import { z } from 'zod';
import type { PackLifecycle, PolicyPlugin } from '../plugin';
import { derogationSources, ruleSources, transferSituationSources, type RuleId } from './sources';
import { notForPublicAuthorities, occasionalOnly } from './derogations';
import { euGdprFactsSchema, type EuGdprFacts } from './facts';
import { euMaterials, euRoute, euSchedule, type EuGdprPack } from './index';
import { euRoutes, type EuRouteAnswer } from './routes';
import { reevaluationTriggers } from './schedule';
import { tiaSteps } from './tia';
import { euApplicationSchema, type EuApplication } from './application';
import { euSubmissionRefusal } from './lifecycle';
import { euWorkflowPack } from './workflow-pack';

/** EU-GDPR.md §2, the decision order: what each rule's condition is, the route it gives and its TIA need. */
export const euRuleTable: readonly { id: RuleId; route: string; tia: string; condition: string }[] = [
  {
    id: 'EU-0',
    route: 'no_transfer',
    tia: 'no',
    condition: '§0 criteria not met (not a restricted transfer)',
  },
  {
    id: 'EU-1',
    route: 'adequacy',
    tia: 'no (monitor the decision)',
    condition:
      'the destination (country, territory, sector or IO) has an adequacy decision in force on transferDate and the recipient is inside its scope (§3)',
  },
  {
    id: 'EU-2',
    route: 'bcr',
    tia: 'yes',
    condition:
      'BCRs approved by the competent SA; exporter and importer both members; scope lists this data category, purpose and third country',
  },
  {
    id: 'EU-3',
    route: 'scc',
    tia: 'yes, except M4 without EU-collected data combined',
    condition:
      'SCCs 2021/914 signed, module matches the roles (C→C M1, C→P M2, P→P M3, P→C M4), text unmodified, annexes completed',
  },
  {
    id: 'EU-4',
    route: 'other_art46',
    tia: 'yes',
    condition:
      'another Art. 46 tool: public-body instrument; approved code or certification with a binding commitment; ad hoc clauses or administrative arrangement with SA authorisation',
  },
  {
    id: 'EU-5',
    route: '(gate on EU-2/3/4)',
    tia: 'n/a',
    condition:
      'TIA outcome not_effective, or no effective supplementary measure: the tool fails; go on to EU-6/7, else not_permitted',
  },
  {
    id: 'EU-6',
    route: 'derogation',
    tia: 'no',
    condition:
      'no adequacy and no effective Art. 46 tool, and one Art. 49(1)(a)–(g) derogation holds with all its conditions (§5.1)',
  },
  {
    id: 'EU-7',
    route: 'derogation',
    tia: 'no',
    condition: 'last resort: compelling legitimate interests, all conditions of §5.2',
  },
  { id: 'EU-8', route: 'not_permitted', tia: '—', condition: 'nothing above holds' },
  {
    id: 'EU-chain',
    route: '(per onward hop)',
    tia: 'per hop',
    condition:
      'every onward hop is decided on its own; a hop from an adequate destination follows its onward rules; a hop from an SCC importer meets its module’s onward clause; any hop without a basis blocks the chain',
  },
];

/** The lifecycle of an eu-gdpr transfer (issue 13 item 3), as data; ./lifecycle.ts implements it. */
export function euLifecycle(
  pack: EuGdprPack,
): Omit<PackLifecycle, 'acceptsSubmissions' | 'notAcceptedBecause'> {
  return {
    filing: false,
    registerNumber: { kind: 'internal_register_number', prefix: 'EU-GDPR' },
    decidedBy: 'exporter_privacy_office',
    separationOfDuties: true,
    assessmentForm: { kind: 'eu_tia_six_steps', hardGate: 'not_effective' },
    agreement: { kind: 'scc_bcr_documents', signedBy: 'importer' },
    supervision: {
      kind: 're_evaluation_schedule',
      tiaReviewMonths: pack.options.tiaReviewMonths,
      dpfCheckIntervalMonths: pack.options.dpfCheckIntervalMonths,
      adequacyReviewLeadMonths: pack.options.adequacyReviewLeadMonths,
      suspensionTerminateMonths: pack.options.suspensionTerminateMonths,
      derogationRecheckOnEveryUse: true,
    },
    calendar: { kind: 'calendar_days' },
  };
}

const missing = z.object({ field: z.string(), reason: z.string() });
const euRule = z.object({
  id: z.string(),
  outcome: z.enum(['holds', 'fails', 'unknown']),
  reason: z.string(),
  source: z.string(),
});
const euRoute_ = z.enum(euRoutes);
const hopAnswer = z.object({
  path: z.string().meta({ description: "'' for hop 0; `onwardTransfers[0]`, … for onward hops" }),
  recipientName: z.string().optional(),
  route: euRoute_,
  tiaRequired: z.boolean().nullable(),
  rules: z.array(euRule),
  needsInfo: z.array(missing),
  notes: z.array(z.string()),
  adequacy: z
    .object({
      decisionId: z.string(),
      instrument: z.string(),
      validUntil: z.string().optional(),
      onwardRulesOf: z.string().optional(),
    })
    .optional(),
  tool: z.enum(['bcr', 'scc', 'other_art46']).optional(),
  sccModule: z.enum(['M1', 'M2', 'M3', 'M4']).optional(),
  tiaPending: z.boolean().optional(),
  derogationBasis: z.string().optional(),
  safeguard: z.string().optional(),
});

export const euRouteCheckAnswer = z.object({
  route: euRoute_,
  tiaRequired: z.boolean().nullable(),
  rules: z.array(euRule).meta({ description: "hop 0's rules as evaluated, each with its reason and source" }),
  needsInfo: z.array(missing),
  notes: z.array(z.string()),
  hops: z
    .array(hopAnswer)
    .meta({ description: 'hop 0, then every onward hop depth-first, each decided on its own' }),
  failingHops: z.array(z.string()),
  materials: z.array(z.object({ kind: z.string(), required: z.boolean(), when: z.string().optional() })),
  clocks: z.array(
    z.object({
      step: z.string(),
      hop: z.string(),
      due: z.string().optional(),
      warnings: z.array(z.string()),
      errors: z.array(z.string()),
      source: z.string(),
    }),
  ),
  checkedOn: z.string(),
  policy: z.object({ id: z.string(), version: z.string() }),
});
export type EuRouteCheckAnswer = EuRouteAnswer & {
  materials: ReturnType<typeof euMaterials>;
  clocks: ReturnType<typeof euSchedule>;
  checkedOn: string;
};

export const euDescription = z.object({
  statusDate: z.string(),
  routes: z.array(z.string()),
  rules: z.array(
    z.object({
      id: z.string(),
      route: z.string(),
      tia: z.string(),
      condition: z.string(),
      source: z.string(),
    }),
  ),
  adequacyRegister: z.array(
    z.object({
      id: z.string(),
      destination: z.union([z.object({ country: z.string() }), z.object({ io: z.string() })]),
      name: z.string(),
      instrument: z.string(),
      inForceFrom: z.string(),
      inForceFromNote: z.string().optional(),
      inForceUntil: z.string().optional(),
      requires: z.array(z.record(z.string(), z.unknown())),
      notCovered: z.array(z.string()),
      eeaEfta: z.enum(['applies', 'not_confirmed']),
      onwardRules: z.string().optional(),
      source: z.string(),
    }),
  ),
  materials: z.record(
    z.string(),
    z.array(z.object({ kind: z.string(), required: z.boolean(), when: z.string().optional() })),
  ),
  deadlines: z.array(z.record(z.string(), z.unknown())),
  reviewChecklist: z.array(z.object({ route: z.string(), item: z.string(), text: z.string() })),
  tiaSteps: z.array(z.record(z.string(), z.unknown())),
  derogations: z.object({
    occasionalOnly: z.array(z.string()),
    notForPublicAuthorities: z.array(z.string()),
    sources: z.record(z.string(), z.string()),
  }),
  transferSituations: z.record(z.string(), z.string()),
  reevaluationTriggers: z.record(z.string(), z.array(z.string())),
  options: z.record(z.string(), z.unknown()),
});

function describeEu(pack: EuGdprPack) {
  return {
    statusDate: pack.statusDate,
    routes: [...euRoutes],
    rules: euRuleTable.map((r) => ({ ...r, source: ruleSources[r.id] })),
    adequacyRegister: pack.adequacyRegister,
    materials: pack.materials,
    deadlines: pack.deadlines,
    reviewChecklist: pack.reviewChecklist,
    tiaSteps,
    derogations: { occasionalOnly, notForPublicAuthorities, sources: derogationSources },
    transferSituations: transferSituationSources,
    reevaluationTriggers,
    options: pack.options,
  };
}

/** The plug-in of an eu-gdpr version. */
export function euPlugin(pack: EuGdprPack): PolicyPlugin<EuGdprFacts, EuRouteCheckAnswer> {
  const lifecycle = euLifecycle(pack);
  // the rules' data, the lifecycle's data and the rule sources; whether this build accepts submissions is not
  // part of the rules, so it is outside the hash
  const content = { ...pack, lifecycle, ruleTable: euRuleTable, ruleSources };
  return {
    id: pack.id,
    version: pack.version,
    content,
    factsSchema: euGdprFactsSchema,
    answerSchema: euRouteCheckAnswer,
    descriptionSchema: euDescription,
    routeCheck(facts, on) {
      const answer = euRoute(facts, pack);
      return {
        ...answer,
        materials: euMaterials(facts, answer, pack),
        clocks: euSchedule(facts, answer, pack),
        checkedOn: on,
      };
    },
    describe: () => describeEu(pack),
    lifecycle: { ...lifecycle, acceptsSubmissions: true },
    workflowPack: euWorkflowPack(pack),
    submission: {
      schema: euApplicationSchema,
      refusal: (application, _on) => euSubmissionRefusal(application as EuApplication, pack),
    },
  };
}
