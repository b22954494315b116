/**
 * The transfer application: what a platform team submits (API.md `TransferApplication`).
 * The zod schema is the truth; the API, the workflow and the route rules all read this one definition.
 */
import { z } from 'zod';

/**
 * Text the server trims: at most max characters, at least one of them not white space. The pattern is what
 * "trimmed, not empty" means, published so that a client generated from the OpenAPI document knows a blank is
 * refused (and one error, not two, names a blank field).
 */
export const text = (max: number) => z.string().trim().max(max).regex(/\S/, 'required: not blank');
/**
 * A calendar date YYYY-MM-DD. (Written out rather than `z.iso.date()`, which the workflow bundle resolves to a
 * Date-object check.)
 */
export const isoDay = z
  .string()
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, 'a date YYYY-MM-DD')
  // zod runs this even when the regex failed: never let an impossible date throw
  .refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, 'not a calendar date')
  // the refine is what RFC 3339 full-date means (no 2026-02-30): published as the format
  .meta({ format: 'date' });
const isoDate = isoDay;
/** ISO 3166-1 alpha-2, upper case. */
export const isoCountry = z.string().regex(/^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code, e.g. "DE"');
export const documentId = z.string().regex(/^sha256:[0-9a-f]{64}$/, 'a document id "sha256:<64 hex>"');

export const exemptionBases = [
  'collected_abroad',
  'free_trade_zone',
  'contract_necessity',
  'hr_management',
  'emergency',
] as const;
export type ExemptionBasis = (typeof exemptionBases)[number];

export const materialKinds = [
  'declaration_form',
  'self_assessment_report',
  'legal_documents',
  'business_licence',
  'legal_representative_id',
  'authorisation_letter',
  'data_link_description',
  'pipia_report',
  'standard_contract',
  'undertaking_letter',
  'certification_application',
  'certificate',
] as const;
export type MaterialKind = (typeof materialKinds)[number];

export const routeChoices = ['standard_contract', 'certification'] as const;

export const exporterSchema = z.strictObject({
  org: text(64),
  name: text(200),
  creditCode: z.string().regex(/^[0-9A-Z]{18}$/, 'an 18-character unified social credit code'),
  isCIIO: z.boolean(),
});

export const recipientSchema = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'an opaque recipient id (letters, digits, . _ -)'),
  name: text(200),
  country: isoCountry,
  // zod's email check, published as a pattern: `format: email` alone admits addresses zod refuses
  contactEmail: z.email().max(254).meta({ pattern: z.regexes.email.source }),
  certifications: z.array(text(100)).max(20).default([]),
});

export const dataCategorySchema = z.strictObject({
  category: text(100),
  sensitive: z.boolean(),
  fields: z.array(text(100)).max(100).default([]),
});

export const volumeSchema = z.strictObject({
  individualsYtd: z.int().min(0).max(10_000_000_000),
  sensitiveIndividualsYtd: z.int().min(0).max(10_000_000_000),
  importantData: z.boolean(),
});

export const exemptionSchema = z.strictObject({
  basis: z.enum(exemptionBases),
  justification: text(4000),
});

export const onwardTransferSchema = z.strictObject({
  recipientName: text(200),
  country: isoCountry,
  mechanism: text(200).optional(),
});

export const transferSchema = z.strictObject({
  method: text(200),
  frequency: text(100),
  storageLocation: text(200),
  retentionDays: z.int().min(1).max(36_500),
  onwardTransfers: z.array(onwardTransferSchema).max(20).default([]),
});

export const safeguardsSchema = z.strictObject({
  encryptionInTransit: z.boolean(),
  encryptionAtRest: z.boolean(),
  keysHeldBy: z.enum(['exporter', 'recipient', 'third_party']),
  pseudonymised: z.boolean(),
});

export const materialSchema = z.strictObject({
  kind: z.enum(materialKinds),
  documentId,
  issuedOn: isoDate.optional(),
});

export const applicationSchema = z.strictObject({
  title: text(200),
  exporter: exporterSchema,
  recipient: recipientSchema,
  purpose: text(4000),
  dataCategories: z.array(dataCategorySchema).max(50),
  volume: volumeSchema,
  exemption: exemptionSchema.optional(),
  transfer: transferSchema,
  safeguards: safeguardsSchema,
  routePreference: z.enum(routeChoices).optional(),
  materials: z.array(materialSchema).max(50).default([]),
  contractTermMonths: z.int().min(1).max(120).optional(),
});
export type TransferApplication = z.infer<typeof applicationSchema>;

/**
 * A draft or a route-check body: every part optional, each part that is present still well-formed.
 * Nested objects may be partial too, so a draft can be built up field by field.
 */
export const partialApplicationSchema = z.strictObject({
  title: text(200).optional(),
  exporter: exporterSchema.partial().optional(),
  recipient: recipientSchema.partial().optional(),
  purpose: text(4000).optional(),
  dataCategories: z.array(dataCategorySchema).max(50).optional(),
  volume: volumeSchema.partial().optional(),
  exemption: exemptionSchema.optional(),
  transfer: transferSchema.partial().optional(),
  safeguards: safeguardsSchema.partial().optional(),
  routePreference: z.enum(routeChoices).optional(),
  materials: z.array(materialSchema).max(50).optional(),
  contractTermMonths: z.int().min(1).max(120).optional(),
});
export type PartialApplication = z.infer<typeof partialApplicationSchema>;

type Plain = Record<string, unknown>;
const isPlain = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Merge a partial application onto another: objects merge key by key, arrays and scalars replace. */
export function mergeApplication(base: PartialApplication, patch: PartialApplication): PartialApplication {
  const out: Plain = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    const prev = out[key];
    out[key] = isPlain(prev) && isPlain(value) ? { ...prev, ...value } : value;
  }
  return out;
}

/** The application as a recipient may see it: scope, categories, safeguards; no exporter internals. */
export function redactForRecipient(app: PartialApplication): Partial<PartialApplication> {
  return {
    title: app.title,
    exporter: app.exporter ? { name: app.exporter.name } : undefined,
    recipient: app.recipient,
    purpose: app.purpose,
    dataCategories: app.dataCategories,
    transfer: app.transfer,
    safeguards: app.safeguards,
    contractTermMonths: app.contractTermMonths,
  };
}
