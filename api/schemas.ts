/** Request and response schemas of the HTTP API (API.md). The OpenAPI document is generated from these. */
import { z } from 'zod';
import {
  applicationSchema,
  documentId,
  isoCountry,
  isoDay,
  materialKinds,
  partialApplicationSchema,
  text,
} from '../domain/application';
import { activePolicy, latestPlugin, policyIds, type AnyPolicyPlugin } from '../domain/policy';
import { phases, statuses } from '../domain/lifecycle';
import { changeKinds } from '../domain/phases/change';
import { cnDeadlineRule } from '../domain/policy/cn-2024/plugin';
import { euGdprFactsSchema, euMaterialKinds } from '../domain/policy/eu-gdpr';

const reason = text(4000);

/**
 * A full application (submitted at once) or, with `"draft": true`, a draft in which every part is optional.
 * Discriminated by `draft`, so an invalid body is reported against the shape it claims to be, field by field.
 */
/**
 * `policy` of POST /v1/transfers (the route reads it before the rest is parsed): the pack, default cn-2024; a pack
 * with an application of its own (eu-gdpr) has its own body (EuGdprTransferApplication).
 */
const transferPolicy = z
  // the packs whose application is the generic one (a pack with its own, eu-gdpr, has its own body below)
  .enum(policyIds().filter((id) => !latestPlugin(id)?.submission) as [string, ...string[]])
  .optional()
  .meta({
    description:
      'the policy pack (default cn-2024); eu-gdpr submissions have an application of their own (EuGdprTransferApplication)',
  });

export const createTransferBody = z.discriminatedUnion('draft', [
  applicationSchema
    .extend({ draft: z.literal(false).optional(), policy: transferPolicy })
    .meta({ id: 'TransferApplication' }),
  partialApplicationSchema
    .extend({ draft: z.literal(true), policy: transferPolicy })
    .meta({ id: 'TransferDraft' }),
]);

export const emptyBody = z.strictObject({});

/** A supplementation item names exactly one material or one field, and says what is asked. */
const supplementItem = z.union([
  // a material of either pack (cn-2024's kinds, eu-gdpr's §8 kinds)
  z.strictObject({ material: z.enum([...materialKinds, ...euMaterialKinds]), request: reason }),
  z.strictObject({ field: text(200), request: reason }),
]);
const supplementItems = z.array(supplementItem).min(1).max(50);

export const completenessBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accept'), reason: reason.optional() }),
  z.strictObject({
    decision: z.literal('request_supplement'),
    items: supplementItems,
    reason: reason.optional(),
  }),
  z.strictObject({ decision: z.literal('refuse'), reason }),
]);

export const supplementBody = z.strictObject({
  responses: z
    .array(
      z.union([
        z.strictObject({
          itemId: z.string().regex(/^r\d{1,3}-\d{1,3}$/, 'an item id such as "r1-2"'),
          text: text(8000),
          documentId: documentId.optional(),
          issuedOn: isoDay.optional(),
        }),
        z.strictObject({
          itemId: z.string().regex(/^r\d{1,3}-\d{1,3}$/, 'an item id such as "r1-2"'),
          text: text(8000).optional(),
          documentId,
          issuedOn: isoDay.optional(),
        }),
      ]),
    )
    .min(1)
    .max(50),
});

export const withdrawBody = z.strictObject({ reason });

const conditions = z.array(text(1000)).max(20);

/** The items of the active pack's substantive-review checklist (each assessed once when the review completes). */
const checklistItems = activePolicy.reviewChecklist.map((c) => c.item) as [string, ...string[]];
const checklistEntry = z.discriminatedUnion('result', [
  z.strictObject({ item: z.enum(checklistItems), result: z.literal('pass'), note: text(4000).optional() }),
  // a concern or a failure says why
  z.strictObject({ item: z.enum(checklistItems), result: z.enum(['concern', 'fail']), note: text(4000) }),
]);
/** Every item of the checklist, each once, in any order. */
const fullChecklist = z
  .array(checklistEntry)
  .length(checklistItems.length)
  .superRefine((list, ctx) => {
    for (const item of checklistItems) {
      if (!list.some((e) => e.item === item))
        ctx.addIssue({ code: 'custom', message: `item ${item} is not assessed`, input: list });
    }
    list.forEach((e, n) => {
      if (list.findIndex((x) => x.item === e.item) !== n)
        ctx.addIssue({ code: 'custom', path: [n, 'item'], message: `item ${e.item} is repeated`, input: e });
    });
  })
  .meta({
    description: `each of: ${checklistItems.join(', ')}, once, in any order`,
    allOf: checklistItems.map((item) => ({
      contains: { type: 'object', properties: { item: { const: item } }, required: ['item'] },
      minContains: 1,
      maxContains: 1,
    })),
  });

export const reviewBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('complete'), checklist: fullChecklist }),
  z.strictObject({
    decision: z.literal('request_supplement'),
    items: supplementItems,
    // what was assessed so far (kept with the decision; the review completes later)
    checklist: z.array(checklistEntry).max(checklistItems.length).optional(),
  }),
]);
/** eu-gdpr's review: the §9 checklist items of the transfer's route (the workflow checks which items that is). */
const euChecklistEntry = z.discriminatedUnion('result', [
  z.strictObject({ item: text(64), result: z.literal('pass'), note: text(4000).optional() }),
  z.strictObject({ item: text(64), result: z.enum(['concern', 'fail']), note: text(4000) }),
]);
export const privacyReviewBody = z.discriminatedUnion('decision', [
  z.strictObject({
    decision: z.literal('approve'),
    checklist: z.array(euChecklistEntry).min(1).max(50),
    reason: reason.optional(),
  }),
  z.strictObject({
    decision: z.literal('reject'),
    reason,
    checklist: z.array(euChecklistEntry).max(50).optional(),
  }),
  z.strictObject({
    decision: z.literal('request_supplement'),
    items: supplementItems,
    reason: reason.optional(),
  }),
]);
export const reEvaluateBody = z.strictObject({ facts: euGdprFactsSchema, note: reason.optional() });
export const reportUseBody = z.strictObject({
  on: isoDay,
  frequency: z.enum(['occasional', 'repetitive', 'systematic']),
  note: reason.optional(),
});
export const reEvaluationDecisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('confirm'), reason: reason.optional() }),
  z.strictObject({ decision: z.literal('suspend'), reason }),
  z.strictObject({ decision: z.literal('end'), reason }),
]);

export const extendReviewBody = z.strictObject({ workingDays: z.int().min(1).max(60), reason });
export const riskDecisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), reason: reason.optional() }),
  z.strictObject({
    decision: z.literal('approve_with_conditions'),
    conditions: conditions.min(1),
    reason: reason.optional(),
  }),
  z.strictObject({ decision: z.literal('not_passed'), reason }),
]);
export const requestReReviewBody = z.strictObject({ reason });
export const reReviewDecisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('approve'), reason }),
  z.strictObject({ decision: z.literal('approve_with_conditions'), conditions: conditions.min(1), reason }),
  z.strictObject({ decision: z.literal('reject'), reason }),
]);
export const signBody = z.strictObject({
  documentId,
  signerName: text(200),
  signerTitle: text(200),
  signedAt: isoDay,
});
export const fileBody = z.strictObject({ effectiveDate: isoDay });
const isoInstant = z.iso.datetime({ offset: true });
/** An RFC 3339 instant as zod reads it (a `T`, seconds, `Z` or ±hh:mm): `format: date-time` alone admits more. */
const instant = isoInstant.meta({ pattern: isoInstant._zod.pattern.source });
export const reportBody = z.strictObject({
  periodEnd: isoDay,
  individualsTransferred: z.int().min(0).max(10_000_000_000),
  sensitiveIndividualsTransferred: z.int().min(0).max(10_000_000_000),
  incidents: z.array(text(2000)).max(50),
  notes: text(8000).optional(),
});
/** A supervisory measure: each kind with what it needs (a date, an instant, an amount) and nothing else. */
export const superviseBody = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.enum(['warning', 'suspend', 'resume', 'revoke']), reason }),
  z.strictObject({ kind: z.literal('interview'), reason, scheduledAt: instant }),
  z.strictObject({
    kind: z.literal('rectification_order'),
    reason,
    deadline: isoDay.meta({ description: 'a date after today (Asia/Shanghai); an earlier one is a 422' }),
  }),
  z.strictObject({
    kind: z.literal('fine'),
    reason,
    amount: z.strictObject({
      amount: z.number().positive().max(1e12),
      currency: z.string().regex(/^[A-Z]{3}$/),
    }),
  }),
]);
export const respondRectificationBody = z.strictObject({
  text: text(8000),
  documentIds: z.array(documentId).max(20).optional(),
});
export const rectificationDecisionBody = z.strictObject({ decision: z.enum(['accept', 'reject']), reason });
export const reportIncidentBody = z.strictObject({
  severity: z.enum(['low', 'medium', 'high', 'major']),
  occurredAt: instant.meta({ description: 'an instant in the past; a future one is a 422' }),
  description: text(8000),
});
export const reportChangeBody = z.strictObject({
  changes: z
    .array(
      z.strictObject({
        kind: z.enum(changeKinds),
        description: text(4000),
      }),
    )
    .min(1)
    .max(20),
  application: partialApplicationSchema.optional(),
});
export const changeDecisionBody = z.strictObject({
  decision: z.enum(['accept', 'require_new_application', 'suspend']),
  reason,
});
export const requestExtensionBody = z.strictObject({
  expectedIndividuals: z.int().min(0).max(10_000_000_000),
  notes: text(8000).optional(),
});
export const extensionDecisionBody = z.strictObject({ decision: z.enum(['approve', 'deny']), reason });
export const filingDecisionBody = z.discriminatedUnion('decision', [
  z.strictObject({ decision: z.literal('accept'), reason: reason.optional() }),
  z.strictObject({ decision: z.literal('return'), reason }),
]);

export const transferIdParam = z.object({ id: z.string().regex(/^[0-9a-f-]{36}$/, 'a transfer id') });

export const listQuery = z.strictObject({
  status: z.enum(statuses).optional(),
  phase: z.enum(phases).optional(),
  route: z.enum(['exempt', 'security_assessment', 'standard_contract', 'certification']).optional(),
  country: isoCountry.optional(),
  risk: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  awaitingMe: z.enum(['true', 'false']).optional(),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
  pageToken: z
    .string()
    .max(4000)
    .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, 'a pageToken from a previous page')
    .optional(),
});

/** GET /v1/inbox: what awaits the caller's role, a page at a time (overdue first, then the nearest deadline). */
export const inboxQuery = z.strictObject({
  phase: listQuery.shape.phase,
  route: listQuery.shape.route,
  risk: listQuery.shape.risk,
  pageSize: z.coerce.number().int().min(1).max(100).default(100),
  pageToken: listQuery.shape.pageToken,
});

const ruleFired = z.object({ id: z.string(), reason: z.string() });
const needsInfo = z.object({ field: z.string(), reason: z.string() });
const policyRef = z.object({ id: z.string(), version: z.string() });

/** A row of the pack's deadline table (DOMAIN.md). */
export const deadlineRule = cnDeadlineRule;

export const deadlineView = z.object({
  step: z.string(),
  actor: z.enum(['applicant', 'reviewer', 'recipient']),
  dueAt: z.string().nullable(),
  workingDaysLeft: z.number().int().nullable(),
  paused: z.boolean(),
  overdue: z.boolean(),
  calendarApproximate: z.boolean(),
  calendarVersion: z.string(),
});

/** The current version of every pack, for the documented per-pack request and answer shapes. */
const currentPlugins = (): AnyPolicyPlugin[] => policyIds().map((id) => latestPlugin(id)!);
/** `eu-gdpr` → `EuGdpr`, for component names. */
const pascal = (id: string) =>
  id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
const oneOf = (schemas: z.ZodType[]) =>
  schemas.length === 1 ? schemas[0]! : z.union(schemas as [z.ZodType, z.ZodType, ...z.ZodType[]]);

/**
 * POST /v1/route-check: the pack's own facts with `"policy": "<id>"`; without `policy`, the active pack (cn-2024).
 * The route dispatches on `policy` and parses with that pack's schema (its errors point into that shape). Inline,
 * not named: a request body's defaults stay optional in the console's generated types.
 */
export const routeCheckBody = oneOf(
  currentPlugins().map((p) =>
    p.factsSchema.extend({
      policy:
        p.id === activePolicy.id
          ? z
              .literal(p.id)
              .optional()
              .meta({ description: `the policy pack (default ${p.id})` })
          : z.literal(p.id).meta({ description: 'the policy pack' }),
    }),
  ),
);

/** The answer of POST /v1/route-check: the named pack's own answer (every one has route, rules, needsInfo, policy). */
export const routeCheckResponse = oneOf(
  currentPlugins().map((p) => p.answerSchema.meta({ id: `RouteCheck${pascal(p.id)}` })),
);

const money = z.object({ amount: z.number(), currency: z.string() });

export const transferResponse = z.object({
  id: z.string(),
  title: z.string().nullable(),
  status: z.enum(statuses),
  phase: z.enum(phases),
  route: z
    .object({
      route: z.string().nullable(),
      rules: z.array(ruleFired),
      needsInfo: z.array(needsInfo),
      policy: policyRef,
    })
    .nullable(),
  policy: policyRef,
  application: z.record(z.string(), z.unknown()),
  findings: z.array(z.object({ material: z.string(), problem: z.string(), detail: z.string() })),
  materialsRequired: z.array(z.string()),
  deadlines: z.array(deadlineView),
  awaiting: z.array(z.object({ role: z.string(), action: z.string() })),
  risk: z
    .object({
      score: z.number(),
      level: z.enum(['low', 'medium', 'high', 'critical']),
      factors: z.array(z.object({ factor: z.string(), detail: z.string(), contribution: z.number() })),
      gates: z.array(z.string()),
      policy: policyRef,
    })
    .nullable(),
  review: z
    .object({
      by: z.string(),
      at: z.string(),
      checklist: z.array(z.object({ item: z.string(), result: z.string(), note: z.string().optional() })),
    })
    .nullable(),
  separationOfDuties: z
    .object({
      action: z.enum(['risk_decision', 're_review_decision']),
      approvalsNeeded: z.number().int(),
      approvedBy: z.array(z.string()),
      excluded: z.array(
        z.object({
          sub: z.string(),
          rule: z.enum(['substantive_reviewer', 'approved_already', 'took_part']),
        }),
      ),
    })
    .nullable()
    .meta({
      description:
        'the open risk or re-review decision: how many distinct reviewers must approve, who approved, and who may not decide and why (null to recipients and when no such decision is open)',
    }),
  conditions: z.array(z.object({ id: z.string(), text: z.string(), acknowledgedAt: z.string().optional() })),
  decisions: z.array(
    z.object({
      action: z.string(),
      by: z.string(),
      role: z.string(),
      at: z.string(),
      reason: z.string().optional(),
    }),
  ),
  supplementRequests: z.array(
    z.object({
      round: z.number().int(),
      items: z.array(
        z.object({
          itemId: z.string(),
          material: z.string().optional(),
          field: z.string().optional(),
          request: z.string(),
          response: z
            .object({ text: z.string().optional(), documentId: z.string().optional(), at: z.string() })
            .optional(),
        }),
      ),
      dueAt: z.string().nullable(),
      status: z.string(),
    }),
  ),
  escalations: z.array(z.object({ step: z.string(), at: z.string(), notice: z.string() })),
  agreement: z
    .object({
      documentId: z.string(),
      digest: z.string(),
      signedDocumentId: z.string().optional(),
      signer: z.string().optional(),
      signerTitle: z.string().optional(),
      signedAt: z.string().optional(),
      countersignedAt: z.string().optional(),
    })
    .nullable(),
  filing: z
    .object({
      effectiveDate: z.string().optional(),
      filedAt: z.string().optional(),
      acceptedAt: z.string().optional(),
      returns: z.array(z.object({ at: z.string(), by: z.string(), reason: z.string() })),
    })
    .nullable(),
  filingNumber: z.string().nullable(),
  registerNumber: z.string().nullable().meta({
    description: "a pack's own register number (eu-gdpr: EU-GDPR-<year>-<seq>; no regulator filing)",
  }),
  eu: z
    .object({
      tiaRequired: z.boolean().nullable(),
      tia: z
        .string()
        .optional()
        .meta({ description: 'the TIA evaluation at the last approval or confirmation' }),
      registerDue: z.boolean().optional(),
      activeSince: z.string().optional(),
      uses: z.number().int().optional(),
      lastUseOn: z.string().optional(),
      reEvaluations: z.array(
        z.object({
          trigger: z.enum(['tia_review', 'dpf_list_check', 'event', 'suspension', 'use_report']),
          reason: z.string(),
          event: z.string().optional(),
          by: z.string().optional(),
          openedAt: z.string(),
          answeredAt: z.string().optional(),
          answeredBy: z.string().optional(),
          note: z.string().optional(),
          route: z.string().optional(),
          decision: z.enum(['confirm', 'suspend', 'end']).optional(),
          decidedAt: z.string().optional(),
          decidedBy: z.string().optional(),
        }),
      ),
    })
    .nullable()
    .meta({
      description:
        'eu-gdpr transfers: the TIA result, the register number issuance and the §7 re-evaluations',
    }),
  supervision: z
    .looseObject({
      /** when the open period's report is due (null once no report is running) */
      nextReportDue: z.string().nullable(),
      actions: z.array(
        z.object({
          kind: z.string(),
          by: z.string(),
          at: z.string(),
          reason: z.string(),
          deadline: z.string().optional(),
          scheduledAt: z.string().optional(),
          amount: money.optional(),
          automatic: z.boolean().optional(),
        }),
      ),
      fines: z.array(z.object({ at: z.string(), by: z.string(), reason: z.string(), amount: money })),
    })
    .nullable(),
  change: z.record(z.string(), z.unknown()).nullable(),
  extension: z.record(z.string(), z.unknown()).nullable(),
  validity: z.object({ from: z.string(), until: z.string(), extensionWindowOpensAt: z.string() }).nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
  submittedAt: z.string().nullable(),
});
export type TransferView = z.infer<typeof transferResponse>;

export const transferSummary = z.object({
  id: z.string(),
  title: z.string().nullable(),
  status: z.string(),
  phase: z.string().nullable(),
  route: z.string().nullable(),
  destinationCountry: z.string().nullable(),
  riskLevel: z.string().nullable(),
  awaitingRole: z.string().nullable(),
  nextDeadline: z.string().nullable(),
  workingDaysLeft: z
    .number()
    .int()
    .nullable()
    .meta({ description: 'working days until nextDeadline (Asia/Shanghai working-day calendar)' }),
  overdue: z.boolean(),
  createdAt: z.string().nullable(),
  /** what the awaited role is to do (an action of the transfer's `awaiting`), null when nobody is awaited */
  awaitingAction: z.string().nullable(),
});

export const listResponse = z.object({
  items: z.array(transferSummary),
  nextPageToken: z.string().nullable(),
});

/** The generic part of GET /v1/policy; the rest is the pack's own description (`PolicyPlugin.describe`). */
const policyCommon = z.object({
  id: z.string(),
  version: z.string(),
  /** the pack's released versions, oldest first */
  versions: z.array(z.string()),
  /** the version new submissions are evaluated under */
  current: z.string(),
  /** POST /v1/transfers accepts this pack (its lifecycle is built) */
  acceptsSubmissions: z.boolean(),
  /** the pack's lifecycle options (filing, register number, who decides, assessment form, supervision, calendar) */
  lifecycle: z.record(z.string(), z.unknown()),
});

export const policyResponse = oneOf(
  currentPlugins().map((p) =>
    policyCommon.extend(p.descriptionSchema.shape).meta({ id: `Policy${pascal(p.id)}` }),
  ),
);

export const dueResponse = z.object({
  dueAt: z.string(),
  dueDate: z.string(),
  calendarVersion: z.string(),
  approximate: z.boolean(),
});

export const calendarYearResponse = z.object({
  year: z.number().int(),
  holidays: z.array(z.string()),
  workingWeekends: z.array(z.string()),
  source: z.string().nullable(),
  approximate: z.boolean(),
  calendarVersion: z.string(),
});

export const notificationsQuery = z.strictObject({
  pageSize: z.coerce.number().int().min(1).max(100).default(100),
  pageToken: listQuery.shape.pageToken,
});

export const notificationsResponse = z.object({
  items: z.array(
    z.object({
      id: z.number().int(),
      transferId: z.string(),
      kind: z.string(),
      message: z.string(),
      createdAt: z.string(),
    }),
  ),
  nextPageToken: z.string().nullable(),
});

export const historyResponse = z.object({
  entries: z.array(
    z.object({
      seq: z.number().int(),
      at: z.string(),
      actor: z.string(),
      role: z.string(),
      action: z.string(),
      summary: z.string(),
      hash: z.string(),
      prevHash: z.string().nullable(),
    }),
  ),
});

const chainCheck = z.object({ ok: z.boolean(), entries: z.number().int(), broken: z.string().optional() });
export const evidenceResponse = z.object({
  transferId: z.string(),
  generatedAt: z.string(),
  status: z.string(),
  /** false once Temporal has deleted the workflow: the pack then comes from the evidence store alone */
  workflowRetained: z.boolean(),
  application: z.record(z.string(), z.unknown()).nullable(),
  decisions: z.array(
    z.object({
      action: z.string(),
      by: z.string(),
      role: z.string(),
      at: z.string(),
      reason: z.string().optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
  documents: z.array(
    z.object({
      id: z.string(),
      digest: z.string(),
      size: z.number().int(),
      mediaType: z.string(),
      createdAt: z.string(),
      verified: z.boolean(),
      problem: z.string().optional(),
    }),
  ),
  chain: historyResponse.shape.entries,
  verification: z.object({
    ok: z.boolean(),
    chain: chainCheck,
    documents: z.object({ ok: z.boolean(), checked: z.number().int(), failures: z.array(z.string()) }),
  }),
});

export const readinessResponse = z.object({
  status: z.enum(['ready', 'not ready']),
  temporal: z.boolean(),
  worker: z.boolean(),
  /** why not ready (absent when ready) */
  reason: z.string().optional(),
});

export const documentResponse = z.object({ id: z.string(), size: z.number().int(), mediaType: z.string() });

export const problemResponse = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  instance: z.string(),
  errors: z.array(z.object({ pointer: z.string(), detail: z.string() })).optional(),
});

/**
 * The transfer actions whose parsed body goes to the workflow as it is: path segment, action, body, who, what.
 * The routes and the OpenAPI document both read this table.
 */
export const actionTable = [
  {
    segment: 'review',
    action: 'review',
    body: reviewBody,
    summary: 'Substantive review: the checklist, then complete or request supplementation (reviewer)',
  },
  {
    segment: 'extend-review',
    action: 'extend_review',
    body: extendReviewBody,
    summary: 'Extend the review period with a reason the applicant sees (reviewer)',
  },
  {
    segment: 'risk-decision',
    action: 'risk_decision',
    body: riskDecisionBody,
    summary: 'Approve, approve with conditions, or not pass (reviewer; four-eyes for high/critical)',
  },
  {
    segment: 'request-re-review',
    action: 'request_re_review',
    body: requestReReviewBody,
    summary: 'Request a re-review within 15 WD of not passing (applicant)',
  },
  {
    segment: 're-review-decision',
    action: 're_review_decision',
    body: reReviewDecisionBody,
    summary: 'Final re-review decision by an uninvolved reviewer',
  },
  {
    segment: 'acknowledge-conditions',
    action: 'acknowledge_conditions',
    body: emptyBody,
    summary: 'Acknowledge the conditions of approval (recipient)',
  },
  {
    segment: 'countersign',
    action: 'countersign',
    body: emptyBody,
    summary: 'Countersign the agreement the recipient signed (applicant)',
  },
  { segment: 'file', action: 'file', body: fileBody, summary: 'File the signed agreement (applicant)' },
  {
    segment: 'filing-decision',
    action: 'filing_decision',
    body: filingDecisionBody,
    summary: 'Accept the filing (a filing number is issued) or return it (reviewer)',
  },
  {
    segment: 'report',
    action: 'report',
    body: reportBody,
    summary: 'Periodic supervision report (applicant)',
  },
  {
    segment: 'supervise',
    action: 'supervise',
    body: superviseBody,
    summary: 'Warning, interview, rectification order, fine, suspend, resume, revoke (reviewer)',
  },
  {
    segment: 'respond-rectification',
    action: 'respond_rectification',
    body: respondRectificationBody,
    summary: 'Respond to a rectification order (applicant)',
  },
  {
    segment: 'rectification-decision',
    action: 'rectification_decision',
    body: rectificationDecisionBody,
    summary: 'Accept or reject the rectification (reviewer)',
  },
  {
    segment: 'report-incident',
    action: 'report_incident',
    body: reportIncidentBody,
    summary: 'Report an incident (applicant; a major one makes the extension ineligible)',
  },
  {
    segment: 'report-change',
    action: 'report_change',
    body: reportChangeBody,
    summary: 'Report a change: the route is re-determined and the risk re-scored (applicant)',
  },
  {
    segment: 'change-decision',
    action: 'change_decision',
    body: changeDecisionBody,
    summary: 'Accept the change, require a new application, or suspend (reviewer)',
  },
  {
    segment: 'request-extension',
    action: 'request_extension',
    body: requestExtensionBody,
    summary: 'Request an extension in the window before expiry (applicant)',
  },
  {
    segment: 'extension-decision',
    action: 'extension_decision',
    body: extensionDecisionBody,
    summary: 'Approve (+3 years) or deny the extension (reviewer)',
  },
  {
    segment: 'confirm-exemption',
    action: 'confirm_exemption',
    body: z.strictObject({ application: partialApplicationSchema.optional() }),
    summary: 'Confirm, yearly, the facts an exemption rests on (applicant)',
  },
  {
    segment: 'privacy-review',
    action: 'privacy_review',
    body: privacyReviewBody,
    summary:
      "eu-gdpr: the exporter's privacy office reviews the route, the six-step TIA and the §9 checklist, then approves, rejects or requests supplements (reviewer; a TIA 'not effective' blocks approval)",
  },
  {
    segment: 're-evaluate',
    action: 're_evaluate',
    body: reEvaluateBody,
    summary:
      'eu-gdpr: answer an open re-evaluation (§7) with the current facts, the TIA included (applicant)',
  },
  {
    segment: 're-evaluation-decision',
    action: 're_evaluation_decision',
    body: reEvaluationDecisionBody,
    summary:
      'eu-gdpr: confirm the transfer (active again, next review scheduled), suspend it (Clause 16) or end it (reviewer)',
  },
  {
    segment: 'report-use',
    action: 'report_use',
    body: reportUseBody,
    summary:
      'eu-gdpr: report a use of a derogation-based transfer; a use that is no longer occasional opens a re-evaluation (applicant)',
  },
] as const;
