/**
 * The eu-gdpr application (POST /v1/transfers with "policy": "eu-gdpr"): the parties, purpose and documents every
 * transfer has, and the route-check facts of EU-GDPR.md §1. Pure.
 */
import { z } from 'zod';
import {
  dataCategorySchema,
  documentId,
  exporterSchema,
  isoDay,
  recipientSchema,
  text,
} from '../../application';
import type { TransferState } from '../../transfer-state';
import { euGdprFactsSchema, type EuGdprFacts } from './facts';
import { euMaterialKinds } from './materials';

/**
 * POST /v1/transfers under eu-gdpr: who sends what to whom and why (the generic parts every transfer has: title,
 * exporter organisation, recipient party, purpose, categories, documents) and `facts`, the route-check body of
 * EU-GDPR.md §1 (the same schema POST /v1/route-check reads).
 */
export const euApplicationSchema = z.strictObject({
  title: text(200),
  exporter: exporterSchema.pick({ org: true, name: true }),
  /** the importer as a party of this engine: its people sign the agreement */
  recipient: recipientSchema.pick({ id: true, name: true, country: true, contactEmail: true }),
  purpose: text(4000),
  dataCategories: z.array(dataCategorySchema).min(1).max(50),
  materials: z
    .array(z.strictObject({ kind: z.enum(euMaterialKinds), documentId, issuedOn: isoDay.optional() }))
    .max(50)
    .default([]),
  /**
   * The exporter's privacy office: the organisation whose reviewers decide this transfer (its DPO service).
   * Without it, any reviewer of another organisation than the exporter's decides (the house scoping).
   */
  privacyOffice: z.strictObject({ org: text(64) }).optional(),
  facts: euGdprFactsSchema,
});

export type EuApplication = z.infer<typeof euApplicationSchema>;

/** The eu-gdpr facts of a transfer's application. */
export const factsOf = (state: TransferState): EuGdprFacts =>
  (state.application as unknown as Partial<EuApplication>).facts ?? {};
