/**
 * Policy packs as plug-ins (issue 13). A pack version is one `PolicyPlugin`: it owns its application facts (a zod
 * schema), its route check, its description and its lifecycle options, all under domain/policy/<id>/. Generic code
 * (the registry, GET /v1/policy, POST /v1/route-check, POST /v1/transfers, the hash script) only looks a plug-in up
 * by id and version and calls these members; it never reads a pack's own shape.
 *
 * Pure: data and functions, no I/O, no clock (`on` is passed in).
 */
import type { z } from 'zod';
import type { Refusal } from '../errors';
import type { PolicyPack } from './types';

/** A rule the route check evaluated, with the reason it gives and where the rule comes from. */
export interface RouteCheckRule {
  /** the pack's rule id: `cn-2024/9`, `EU-1`, `EU-chain` */
  id: string;
  reason: string;
  /** the legal source of the rule, where the pack records one (eu-gdpr: always; cn-2024: none yet) */
  source?: string;
}

/** A fact the route check needs and does not have: its path in the request body, dotted (`importer.country`). */
export interface RouteCheckNeed {
  field: string;
  reason: string;
}

/** What every pack's route check answers; a pack adds its own fields (materials, clocks, hops…). */
export interface RouteCheckCore {
  /** the pack's route value; `null` (cn-2024) or `needs_info` (eu-gdpr) when facts are missing */
  route: string | null;
  rules: RouteCheckRule[];
  needsInfo: RouteCheckNeed[];
  policy: { id: string; version: string };
}

/** Which calendar a pack's deadlines count in. */
export type PackCalendar =
  /** working days of a published holiday calendar (cn-2024: the PRC State Council calendar) */
  | { kind: 'working_days'; calendarId: string }
  /** calendar days and months only: no holiday calendar needed (eu-gdpr, EU-GDPR.md §7) */
  | { kind: 'calendar_days' };

/**
 * How a transfer under this pack runs through the workflow, as data the workflow reads. A pack whose lifecycle the
 * workflow cannot carry yet says so with `acceptsSubmissions: false`: POST /v1/transfers then refuses it (422) and
 * changes nothing.
 */
export interface PackLifecycle {
  /** POST /v1/transfers accepts `"policy": "<id>"` (the workflow implements this lifecycle) */
  acceptsSubmissions: boolean;
  /** why not, when `acceptsSubmissions` is false (the 422's detail) */
  notAcceptedBecause?: string;
  /** a regulator files the transfer (cn-2024: CAC filing after signature); false → approved becomes active */
  filing: boolean;
  /** the identifier an active transfer carries */
  registerNumber: { kind: 'regulator_filing_number' } | { kind: 'internal_register_number'; prefix: string };
  /** who decides: the regulator's reviewer, or the exporter's own privacy office (DPO service) */
  decidedBy: 'regulator' | 'exporter_privacy_office';
  /** the submitter never decides (separation of duties) — every pack holds this; stated for the workflow */
  separationOfDuties: true;
  /** the assessment form the review reads: cn-2024's self-assessment (PIPIA), or the six-step TIA (EU-GDPR §4.4) */
  assessmentForm: { kind: 'cn_self_assessment' } | { kind: 'eu_tia_six_steps'; hardGate: 'not_effective' };
  /** the agreement phase: what is signed, and by whom */
  agreement: { kind: 'cn_standard_contract' } | { kind: 'scc_bcr_documents'; signedBy: 'importer' };
  /** how an active transfer is supervised */
  supervision:
    | { kind: 'periodic_reports'; periodMonths: number }
    | {
        kind: 're_evaluation_schedule';
        /** TIA review interval (EU-GDPR.md §7; default 12, a pack policy choice §11.9) */
        tiaReviewMonths: number;
        /** DPF List re-check interval */
        dpfCheckIntervalMonths: number;
        /** open the adequacy review this many months before a decision's end date */
        adequacyReviewLeadMonths: number;
        /** a suspended SCC/BCR transfer is terminated after this many months unless restored */
        suspensionTerminateMonths: number;
        /** a derogation-based transfer is re-checked for "occasional" on every use report */
        derogationRecheckOnEveryUse: boolean;
      };
  calendar: PackCalendar;
}

/** One released pack version. */
export interface PolicyPlugin<Facts = unknown, Answer extends RouteCheckCore = RouteCheckCore> {
  id: string;
  version: string;
  /**
   * The released data its content hash (domain/policy/released.json, `npm run policy:hash`) is taken over. It
   * carries `id` and `version`; it never changes once released (a change is a new version beside it).
   */
  content: { id: string; version: string };
  /** the application facts the route check reads (the route-check body without `policy`); strict */
  factsSchema: z.ZodObject & z.ZodType<Facts>;
  /** the route-check answer as a schema (the OpenAPI document shows it) */
  answerSchema: z.ZodObject;
  /** what `describe()` answers, as a schema (the OpenAPI document shows it) */
  descriptionSchema: z.ZodObject;
  /** POST /v1/route-check under this pack; `on` is the day the check is made (YYYY-MM-DD) */
  routeCheck(facts: Facts, on: string): Answer;
  /**
   * GET /v1/policy: this version as data (routes, rule ids with sources, materials, deadlines, checklist…); the
   * generic route adds `id`, `version`, `versions`, `current`, `lifecycle`.
   */
  describe(): Record<string, unknown>;
  lifecycle: PackLifecycle;
  /**
   * The pack the transfer workflow computes with today (the cn-shaped `PolicyPack`), for packs whose lifecycle it
   * implements; absent otherwise (`resolvePolicy` answers undefined for them).
   */
  workflowPack?: PolicyPack;
  /**
   * POST /v1/transfers under this pack when its application is not the generic (cn-2024) one: the body's schema
   * (without `policy`), and why a parsed application cannot be submitted (its route needs facts, is not permitted…)
   * — checked before the workflow starts, so a refused submission leaves nothing behind.
   */
  submission?: {
    schema: z.ZodType;
    refusal(application: unknown, on: string): Refusal | null;
  };
}

/** Any plug-in, whatever its facts and answer. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyPolicyPlugin = PolicyPlugin<any, RouteCheckCore>;
