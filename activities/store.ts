/**
 * The evidence store's embedded implementation: SQLite (better-sqlite3) for metadata and references, files for
 * document bytes, content-addressed by SHA-256. At scale the same interface sits on Postgres and object storage.
 */
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../domain/authz';
import type { NotificationInput } from '../domain/evidence';
import { stepEvidence, type StepEvidence } from '../domain/step-evidence';
import { compareChain } from '../domain/evidence-check';
import type { TransferState } from '../domain/transfer';
import { AuditLog } from './audit';
import { Webhooks } from './webhooks';
import { open, seal, type KeyRing } from './crypto';

export interface DocumentMeta {
  id: string;
  size: number;
  mediaType: string;
  createdAt: string;
}

export class DocumentIntegrityError extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} does not match its digest`);
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS documents (
  id TEXT PRIMARY KEY, size INTEGER NOT NULL, media_type TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS document_uploaders (
  document_id TEXT NOT NULL REFERENCES documents(id), sub TEXT NOT NULL, role TEXT NOT NULL, org TEXT,
  recipient TEXT, uploaded_at TEXT NOT NULL, PRIMARY KEY (document_id, sub)
);
CREATE TABLE IF NOT EXISTS document_refs (
  document_id TEXT NOT NULL, transfer_id TEXT NOT NULL, applicant_org TEXT NOT NULL, recipient_id TEXT,
  PRIMARY KEY (document_id, transfer_id)
);
CREATE TABLE IF NOT EXISTS filing_numbers (
  transfer_id TEXT PRIMARY KEY, year INTEGER NOT NULL, seq INTEGER NOT NULL, number TEXT NOT NULL UNIQUE,
  issued_at TEXT NOT NULL, UNIQUE (year, seq)
);
CREATE TABLE IF NOT EXISTS notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL UNIQUE, transfer_id TEXT NOT NULL, audience TEXT NOT NULL,
  applicant_org TEXT NOT NULL, recipient_id TEXT, kind TEXT NOT NULL, message TEXT NOT NULL, created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency_keys (
  sub TEXT NOT NULL, key TEXT NOT NULL, scope TEXT NOT NULL, body_hash TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (sub, key)
);
CREATE TABLE IF NOT EXISTS idempotent_creations (
  sub TEXT NOT NULL, key TEXT NOT NULL, body_hash TEXT NOT NULL, transfer_id TEXT NOT NULL, created_at TEXT NOT NULL,
  PRIMARY KEY (sub, key)
);
`;

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A document at rest: "XBE1" ‖ key-id length (1 byte) ‖ key id ‖ iv ‖ GCM tag ‖ ciphertext. The document's id
 * stays the digest of the plaintext; a read checks both the GCM tag and the digest.
 */
const MAGIC = Buffer.from('XBE1');
function envelope(ring: KeyRing, plaintext: Buffer): Buffer {
  const { keyId, sealed } = seal(ring, plaintext);
  const id = Buffer.from(keyId);
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, sealed]);
}
/** The plaintext of an envelope; bytes stored before encryption was on are returned as they are. */
function unseal(ring: KeyRing, stored: Buffer): Buffer {
  if (!stored.subarray(0, 4).equals(MAGIC)) return stored;
  const n = stored[4]!;
  return open(ring, stored.subarray(5, 5 + n).toString(), stored.subarray(5 + n));
}

export class EvidenceStore {
  readonly db: Database.Database;
  /** the hash-chained audit trail (activities/audit.ts) */
  readonly audit: AuditLog;
  /** webhook targets and deliveries of the notification outbox (activities/webhooks.ts) */
  readonly webhooks: Webhooks;
  private readonly documentsDir: string;

  /** documents are sealed with the active key of `keyRing` (none: stored as plain bytes, for tools and tests) */
  constructor(
    dataDir: string,
    private readonly keyRing?: KeyRing,
  ) {
    mkdirSync(dataDir, { recursive: true });
    this.documentsDir = join(dataDir, 'documents');
    mkdirSync(this.documentsDir, { recursive: true });
    this.db = new Database(join(dataDir, 'evidence.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
    this.db.exec(SCHEMA);
    this.audit = new AuditLog(this.db);
    this.webhooks = new Webhooks(this.db);
  }

  close(): void {
    this.db.close();
  }

  private pathOf(hex: string): string {
    return join(this.documentsDir, hex.slice(0, 2), hex);
  }

  /** Store bytes under their digest; storing the same bytes twice keeps one copy and records both uploaders. */
  putDocument(bytes: Buffer, mediaType: string, uploader: Actor, nowIso: string): DocumentMeta {
    const hex = sha256(bytes);
    const id = `sha256:${hex}`;
    const path = this.pathOf(hex);
    if (!existsSync(path)) {
      mkdirSync(join(this.documentsDir, hex.slice(0, 2)), { recursive: true });
      const tmp = `${path}.${process.pid}.tmp`;
      writeFileSync(tmp, this.keyRing ? envelope(this.keyRing, bytes) : bytes);
      renameSync(tmp, path);
    }
    this.db.transaction(() => {
      this.db
        .prepare('INSERT OR IGNORE INTO documents (id, size, media_type, created_at) VALUES (?, ?, ?, ?)')
        .run(id, bytes.length, mediaType, nowIso);
      this.db
        .prepare(
          'INSERT OR IGNORE INTO document_uploaders (document_id, sub, role, org, recipient, uploaded_at) VALUES (?, ?, ?, ?, ?, ?)',
        )
        .run(id, uploader.sub, uploader.role, uploader.org ?? null, uploader.recipient ?? null, nowIso);
    })();
    return this.documentMeta(id)!;
  }

  documentMeta(id: string): DocumentMeta | undefined {
    const row = this.db
      .prepare('SELECT id, size, media_type, created_at FROM documents WHERE id = ?')
      .get(id) as { id: string; size: number; media_type: string; created_at: string } | undefined;
    return row && { id: row.id, size: row.size, mediaType: row.media_type, createdAt: row.created_at };
  }

  /** Documents a transfer references (materials, answers, agreement), with metadata. */
  documentsOf(transferId: string): DocumentMeta[] {
    const rows = this.db
      .prepare(
        `SELECT d.id, d.size, d.media_type, d.created_at FROM document_refs r JOIN documents d ON d.id = r.document_id
         WHERE r.transfer_id = ? ORDER BY d.created_at, d.id`,
      )
      .all(transferId) as { id: string; size: number; media_type: string; created_at: string }[];
    return rows.map((r) => ({ id: r.id, size: r.size, mediaType: r.media_type, createdAt: r.created_at }));
  }

  allDocumentIds(): string[] {
    return (this.db.prepare('SELECT id FROM documents ORDER BY id').all() as { id: string }[]).map(
      (r) => r.id,
    );
  }

  /** Whether a stored document still reads back as its digest (missing or altered bytes: the reason). */
  checkDocument(id: string): string | null {
    try {
      this.readDocument(id);
      return null;
    } catch (err) {
      return err instanceof DocumentIntegrityError
        ? 'altered: does not match its digest'
        : 'missing or unreadable';
    }
  }

  /** The bytes, verified against the digest on every read. */
  readDocument(id: string): Buffer {
    const hex = id.replace(/^sha256:/, '');
    const stored = readFileSync(this.pathOf(hex));
    let bytes: Buffer;
    try {
      bytes = this.keyRing ? unseal(this.keyRing, stored) : stored;
    } catch {
      throw new DocumentIntegrityError(id); // altered ciphertext fails GCM authentication
    }
    if (sha256(bytes) !== hex) throw new DocumentIntegrityError(id);
    return bytes;
  }

  /**
   * The uploader, colleagues of the uploader's organisation, and the parties of transfers that reference it (a
   * recipient: the agreement only).
   */
  canRead(actor: Actor, id: string): boolean {
    const uploaded = this.db
      .prepare(
        'SELECT 1 FROM document_uploaders WHERE document_id = ? AND (sub = ? OR (role = ? AND org IS NOT NULL AND org = ?))',
      )
      .get(id, actor.sub, 'applicant', actor.role === 'applicant' ? (actor.org ?? null) : null);
    if (uploaded) return true;
    switch (actor.role) {
      case 'applicant':
        return !!this.db
          .prepare('SELECT 1 FROM document_refs WHERE document_id = ? AND applicant_org = ?')
          .get(id, actor.org ?? null);
      case 'recipient':
        // the agreement, not the exporter's own materials (API.md: a recipient sees what a recipient needs)
        return !!this.db
          .prepare(
            `SELECT 1 FROM document_refs r WHERE r.document_id = ? AND r.recipient_id = ? AND NOT EXISTS
               (SELECT 1 FROM document_uploaders u WHERE u.document_id = r.document_id AND u.role = 'applicant')`,
          )
          .get(id, actor.recipient ?? null);
      case 'reviewer':
        return !!this.db
          .prepare('SELECT 1 FROM document_refs WHERE document_id = ? AND applicant_org <> ?')
          .get(id, actor.org ?? null);
      default:
        return false;
    }
  }

  /** Ids from `ids` that an applicant of `org` may attach: uploaded by someone of that org. */
  attachable(ids: readonly string[], org: string): { unknown: string[]; foreign: string[] } {
    const unknown: string[] = [];
    const foreign: string[] = [];
    for (const id of new Set(ids)) {
      if (!this.documentMeta(id)) unknown.push(id);
      else if (
        !this.db
          .prepare(
            "SELECT 1 FROM document_uploaders WHERE document_id = ? AND role = 'applicant' AND org = ?",
          )
          .get(id, org)
      )
        foreign.push(id);
    }
    return { unknown, foreign };
  }

  /** Whether this very identity uploaded the document. */
  uploadedBy(id: string, actor: Actor): boolean {
    return !!this.db
      .prepare('SELECT 1 FROM document_uploaders WHERE document_id = ? AND sub = ? AND role = ?')
      .get(id, actor.sub, actor.role);
  }

  /**
   * Everything one step of a transfer leaves, in one transaction: documents its parties may now read, new audit
   * entries (by content key), notifications (by key). Idempotent: written again, it adds nothing.
   */
  recordStep(step: StepEvidence): number {
    return this.db.transaction(() => {
      const { facts } = step;
      if (step.documentIds.length > 0)
        this.linkDocuments(facts.transferId, step.documentIds, facts.applicantOrg, facts.recipientId);
      const added = this.audit.append(facts, step.entries);
      for (const n of step.notifications) this.addNotification(n);
      return added;
    })();
  }

  /**
   * Read repair: the audit entries of decisions the workflow holds (a queried state: what its completed workflow
   * tasks kept) that the chain lacks — an action whose answer was lost (the client gone, the API killed) before
   * the API wrote its evidence, and the workflow has not taken its next step yet. Only missing facts are written
   * (compared by content, whatever key an older code version used); nothing is written for a chain that is whole.
   */
  repairEvidence(state: TransferState): number {
    const chain = this.audit.chain(state.id);
    if (chain.length >= state.decisions.length + state.escalations.length) return 0;
    const check = compareChain(chain, state);
    if (check.ok || check.missing.length === 0) return 0;
    const fact = (f: { at: string; actor: string; role: string; action: string; reason?: string | null }) =>
      JSON.stringify([f.at, f.actor, f.role, f.action, f.reason || null]);
    const missing = new Set(check.missing.map(fact));
    const { evidence } = stepEvidence(
      state,
      { decisions: 0, escalations: 0, notifiedDecisions: state.decisions.length, tasks: '' },
      state.updatedAt,
    );
    return this.recordStep({
      ...evidence,
      entries: evidence.entries.filter((e) => missing.has(fact(e))),
      notifications: [],
    });
  }

  linkDocuments(
    transferId: string,
    documentIds: readonly string[],
    applicantOrg: string,
    recipientId: string | null,
  ): void {
    const insert = this.db.prepare(
      'INSERT OR IGNORE INTO document_refs (document_id, transfer_id, applicant_org, recipient_id) VALUES (?, ?, ?, ?)',
    );
    this.db.transaction(() =>
      documentIds.forEach((id) => insert.run(id, transferId, applicantOrg, recipientId)),
    )();
  }

  /**
   * Claim an idempotency key for creating a transfer: the first claim wins and names the transfer id; later
   * claims with the same key get that id back (and the body hash, to refuse a different body).
   */
  /**
   * Claim an Idempotency-Key for one request (an action on one transfer, by one identity): true when this key was
   * first used for the same scope and body — a retry — or is new; false when it was used for something else.
   */
  claimKey(sub: string, key: string, scope: string, bodyHash: string, nowIso: string): boolean {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO idempotency_keys (sub, key, scope, body_hash, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(sub, key, scope, bodyHash, nowIso);
    const row = this.db
      .prepare('SELECT scope, body_hash FROM idempotency_keys WHERE sub = ? AND key = ?')
      .get(sub, key) as {
      scope: string;
      body_hash: string;
    };
    return row.scope === scope && row.body_hash === bodyHash;
  }

  claimCreation(
    sub: string,
    key: string,
    bodyHash: string,
    candidateId: string,
    nowIso: string,
  ): { transferId: string; bodyHash: string; fresh: boolean } {
    const res = this.db
      .prepare(
        'INSERT OR IGNORE INTO idempotent_creations (sub, key, body_hash, transfer_id, created_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(sub, key, bodyHash, candidateId, nowIso);
    const row = this.db
      .prepare('SELECT body_hash, transfer_id FROM idempotent_creations WHERE sub = ? AND key = ?')
      .get(sub, key) as {
      body_hash: string;
      transfer_id: string;
    };
    return { transferId: row.transfer_id, bodyHash: row.body_hash, fresh: res.changes === 1 };
  }

  /**
   * The filing number of a transfer: issued once (a retry or a crash after the commit returns the same number),
   * in sequence per year without gaps: XB-<year>-<6 digits>.
   */
  issueFilingNumber(transferId: string, year: number, nowIso: string): string {
    return this.db
      .transaction(() => {
        const existing = this.db
          .prepare('SELECT number FROM filing_numbers WHERE transfer_id = ?')
          .get(transferId) as { number: string } | undefined;
        if (existing) return existing.number;
        const { next } = this.db
          .prepare('SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM filing_numbers WHERE year = ?')
          .get(year) as { next: number };
        if (next > 999_999) throw new Error(`filing numbers for ${year} are exhausted`);
        const number = `XB-${year}-${String(next).padStart(6, '0')}`;
        this.db
          .prepare(
            'INSERT INTO filing_numbers (transfer_id, year, seq, number, issued_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(transferId, year, next, number, nowIso);
        return number;
      })
      .immediate();
  }

  /** Write a notification to the outbox once per key (a retried activity writes nothing twice). */
  addNotification(n: NotificationInput): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO notifications (key, transfer_id, audience, applicant_org, recipient_id, kind, message, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(n.key, n.transferId, n.audience, n.applicantOrg, n.recipientId, n.kind, n.message, n.createdAt);
  }

  /** The notifications an identity may read, newest first. */
  notificationsFor(actor: Actor, limit = 100): NotificationRow[] {
    const rows = this.db
      .prepare(
        `SELECT id, key, transfer_id, audience, applicant_org, recipient_id, kind, message, created_at FROM notifications
         WHERE audience = ? AND (
           (? = 'applicant' AND applicant_org = ?) OR (? = 'reviewer' AND applicant_org <> ?) OR (? = 'recipient' AND recipient_id = ?)
         ) ORDER BY id DESC LIMIT ?`,
      )
      .all(
        actor.role,
        actor.role,
        actor.org ?? null,
        actor.role,
        actor.org ?? null,
        actor.role,
        actor.recipient ?? null,
        limit,
      ) as {
      id: number;
      key: string;
      transfer_id: string;
      audience: string;
      applicant_org: string;
      recipient_id: string | null;
      kind: string;
      message: string;
      created_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      key: r.key,
      transferId: r.transfer_id,
      audience: r.audience as NotificationRow['audience'],
      applicantOrg: r.applicant_org,
      recipientId: r.recipient_id,
      kind: r.kind,
      message: r.message,
      createdAt: r.created_at,
    }));
  }
}

/** A notification as stored: what domain/evidence.ts describes, with its outbox id. */
export type NotificationRow = NotificationInput & { id: number };
