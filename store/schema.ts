/**
 * The tables of the data layer, as Kysely sees them (store/migrations.ts creates them). Column names are today's
 * SQLite names, so a data folder made before the data layer existed is adopted as it is.
 */
import type { Generated } from 'kysely';

export interface DocumentsTable {
  id: string;
  size: number;
  media_type: string;
  created_at: string;
}
export interface DocumentUploadersTable {
  document_id: string;
  sub: string;
  role: string;
  org: string | null;
  recipient: string | null;
  uploaded_at: string;
}
export interface DocumentRefsTable {
  document_id: string;
  transfer_id: string;
  applicant_org: string;
  recipient_id: string | null;
}
/** PostgreSQL: the sealed bytes of a document (SQLite keeps them as files under data/documents) */
export interface DocumentBlobsTable {
  id: string;
  bytes: Buffer;
}
export interface FilingNumbersTable {
  transfer_id: string;
  year: number;
  seq: number;
  number: string;
  issued_at: string;
}
/** a pack's own register numbers (eu-gdpr): `<series>-<year>-<seq>` */
export interface RegisterNumbersTable {
  transfer_id: string;
  series: string;
  year: number;
  seq: number;
  number: string;
  issued_at: string;
}
/** the last register number issued per series and year: the row an issuer locks */
export interface RegisterSequencesTable {
  series: string;
  year: number;
  last_seq: number;
}
/** the last number issued per year: the row an issuer locks */
export interface FilingSequencesTable {
  year: number;
  last_seq: number;
}
export interface NotificationsTable {
  id: Generated<number>;
  key: string;
  transfer_id: string;
  audience: string;
  applicant_org: string;
  recipient_id: string | null;
  kind: string;
  message: string;
  created_at: string;
  /** 1 once the webhook fan-out made its deliveries (NULL: not yet) */
  fanned_out: number | null;
}
export interface IdempotencyKeysTable {
  sub: string;
  key: string;
  scope: string;
  body_hash: string;
  created_at: string;
}
export interface IdempotentCreationsTable {
  sub: string;
  key: string;
  body_hash: string;
  transfer_id: string;
  created_at: string;
}
export interface AuditEntriesTable {
  transfer_id: string;
  seq: number;
  key: string;
  entry: string;
  prev_hash: string | null;
  hash: string;
  global_seq: number;
}
export interface AuditTransfersTable {
  transfer_id: string;
  applicant_org: string;
  recipient_id: string | null;
  status: string;
  application: string | null;
  updated_at: string;
  progress: number | null;
}
export interface AuditHeadTable {
  id: number;
  global_seq: number;
  hash: string;
}
export interface WebhooksTable {
  target: string;
  url: string;
  secret: string;
  updated_at: string;
  updated_by: string;
}
export interface WebhookDeliveriesTable {
  notification_id: number;
  target: string;
  status: string;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  delivered_at: string | null;
  /** when the worker's loop started its delivery workflow (NULL: not yet handed to Temporal; 005) */
  handed_at: string | null;
}
/** the read model: one row per transfer, written by the evidence step */
export interface TransferViewsTable {
  transfer_id: string;
  status: string;
  phase: string | null;
  route: string | null;
  country: string | null;
  applicant_org: string;
  recipient_id: string | null;
  risk_level: string | null;
  awaiting_role: string | null;
  awaiting_action: string | null;
  awaited_from: string | null;
  next_deadline: string | null;
  /** next_deadline, or a far instant when there is none (the inbox's order) */
  due_sort: string;
  overdue: number;
  closed: number;
  title: string | null;
  created_at: string;
  updated_at: string;
  progress: number;
}

/** express-rate-limit's counters shared by the API processes (store/rate-limits.ts) */
export interface RateLimitsTable {
  key: string;
  hits: number;
  /** epoch milliseconds */
  reset_at: number;
}

export interface DB {
  documents: DocumentsTable;
  document_uploaders: DocumentUploadersTable;
  document_refs: DocumentRefsTable;
  document_blobs: DocumentBlobsTable;
  filing_numbers: FilingNumbersTable;
  filing_sequences: FilingSequencesTable;
  register_numbers: RegisterNumbersTable;
  register_sequences: RegisterSequencesTable;
  notifications: NotificationsTable;
  idempotency_keys: IdempotencyKeysTable;
  idempotent_creations: IdempotentCreationsTable;
  audit_entries: AuditEntriesTable;
  audit_transfers: AuditTransfersTable;
  audit_head: AuditHeadTable;
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
  transfer_views: TransferViewsTable;
  rate_limits: RateLimitsTable;
}

export type Dialect = 'sqlite' | 'postgres';
