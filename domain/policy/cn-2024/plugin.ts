/**
 * cn-2024 as a plug-in (../plugin.ts): the route check, description and lifecycle of the CN pack, over the released
 * `PolicyPack` data (./index.ts), which stays the hashed content and the workflow's pack unchanged.
 */
import { z } from 'zod';
import { materialKinds, partialApplicationSchema, type PartialApplication } from '../../application';
import { materialsRequired } from '../../completeness';
import { determineRoute } from '../../routes';
import type { PolicyPlugin, RouteCheckCore } from '../plugin';
import type { PolicyPack } from '../types';

const ruleFired = z.object({ id: z.string(), reason: z.string() });
const needsInfo = z.object({ field: z.string(), reason: z.string() });
const policyRef = z.object({ id: z.string(), version: z.string() });

/** A row of the pack's deadline table (DOMAIN.md). */
export const cnDeadlineRule = z.object({
  step: z.string(),
  actor: z.enum(['applicant', 'reviewer', 'recipient']),
  length: z.union([
    z.object({ workingDays: z.number().int() }),
    z.object({ calendarDays: z.number().int() }),
    z.object({ months: z.number().int() }),
    z.object({ setByReviewer: z.literal(true) }),
    z.object({ untilExpiry: z.literal(true) }),
  ]),
  whenMissed: z.string(),
});

export const cnRouteCheckAnswer = z.object({
  route: z.enum(['exempt', 'security_assessment', 'standard_contract', 'certification']).nullable(),
  rules: z.array(ruleFired),
  needsInfo: z.array(needsInfo),
  materialsRequired: z.array(z.enum(materialKinds)),
  deadlines: z.array(cnDeadlineRule),
  policy: policyRef,
});
export type CnRouteCheckAnswer = z.infer<typeof cnRouteCheckAnswer> & RouteCheckCore;

export const cnDescription = z.object({
  thresholds: z.record(z.string(), z.number()),
  /** the route table, top-down: the first row that matches decides */
  routes: z.array(z.object({ id: z.string(), route: z.string(), reason: z.string() })),
  deadlines: z.array(cnDeadlineRule),
  materials: z.record(z.string(), z.array(z.string())),
  materialRules: z.record(
    z.string(),
    z.array(
      z.object({
        kind: z.string(),
        required: z.boolean(),
        maxAgeMonths: z.number().optional(),
        atFiling: z.boolean().optional(),
      }),
    ),
  ),
  reviewChecklist: z.array(z.object({ item: z.string(), text: z.string() })),
  riskWeights: z.record(z.string(), z.unknown()),
  calendarRange: z.object({ from: z.string(), to: z.string(), version: z.string() }),
});

function describeCn(pack: PolicyPack) {
  const years = Object.keys(pack.calendar.years).map(Number).sort();
  return {
    thresholds: pack.thresholds,
    routes: pack.routes.map(({ id, route, reason }) => ({ id, route, reason })),
    deadlines: pack.deadlines,
    materials: Object.fromEntries(
      Object.entries(pack.materials).map(([route, list]) => [route, list.map((m) => m.kind)]),
    ),
    materialRules: pack.materials,
    reviewChecklist: pack.reviewChecklist,
    // weights as data: a category matcher is shown as its pattern
    riskWeights: {
      ...pack.risk,
      sensitivity: pack.risk.sensitivity.map((s) => ({ ...s, match: s.match.source })),
    },
    calendarRange: {
      from: `${years[0]}-01-01`,
      to: `${years[years.length - 1]}-12-31`,
      version: pack.calendar.version,
    },
  };
}

/** The plug-in of a cn-2024 version (any `PolicyPack` released under id `cn-2024`). */
export function cnPlugin(pack: PolicyPack): PolicyPlugin<PartialApplication, CnRouteCheckAnswer> {
  return {
    id: pack.id,
    version: pack.version,
    content: pack,
    factsSchema: partialApplicationSchema,
    answerSchema: cnRouteCheckAnswer,
    descriptionSchema: cnDescription,
    routeCheck(app) {
      const decision = determineRoute(app, pack);
      const route = decision.route;
      return {
        route,
        rules: decision.rules,
        needsInfo: decision.needsInfo,
        materialsRequired: route && route !== 'exempt' ? materialsRequired(route, pack) : [],
        deadlines:
          route && route !== 'exempt'
            ? pack.deadlines.map(({ step, actor, length, whenMissed }) => ({
                step,
                actor,
                length,
                whenMissed,
              }))
            : [],
        policy: decision.policy,
      };
    },
    describe: () => describeCn(pack),
    lifecycle: {
      acceptsSubmissions: true,
      filing: true,
      registerNumber: { kind: 'regulator_filing_number' },
      decidedBy: 'regulator',
      separationOfDuties: true,
      assessmentForm: { kind: 'cn_self_assessment' },
      agreement: { kind: 'cn_standard_contract' },
      supervision: { kind: 'periodic_reports', periodMonths: pack.supervisionPeriodMonths },
      calendar: { kind: 'working_days', calendarId: pack.calendar.id },
    },
    workflowPack: pack,
  };
}
