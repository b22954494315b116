/**
 * The audit trail: per transfer an append-only hash chain in the evidence store, and a global head over all
 * chains. entry hash = SHA-256(canonical JSON of the entry ‖ previous hash of that transfer, or "" for the
 * first); global head = SHA-256(previous head ‖ entry hash), in append order. Appends are idempotent by the
 * entry's key (the workflow's own index of the decision or escalation), so retries and worker crashes never
 * duplicate or skip an entry. Kept beyond Temporal's retention: it is what GET /history and the evidence pack read.
 */
import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalJson, type AuditEntryInput } from '../domain/evidence';

export const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit_entries (
  transfer_id TEXT NOT NULL, seq INTEGER NOT NULL, key TEXT NOT NULL, entry TEXT NOT NULL, prev_hash TEXT,
  hash TEXT NOT NULL, global_seq INTEGER NOT NULL UNIQUE,
  PRIMARY KEY (transfer_id, seq), UNIQUE (transfer_id, key)
);
CREATE TABLE IF NOT EXISTS audit_transfers (
  transfer_id TEXT PRIMARY KEY, applicant_org TEXT NOT NULL, recipient_id TEXT, status TEXT NOT NULL,
  application TEXT, updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1), global_seq INTEGER NOT NULL, hash TEXT NOT NULL
);
`;

/** A stored entry, as API.md's history shows it. */
/** A stored entry: what the workflow sent (domain/evidence.ts) at its place in the chain. */
export interface AuditEntry extends AuditEntryInput {
  transferId: string;
  seq: number;
  hash: string;
  prevHash: string | null;
}

const sha256 = (s: string): string => createHash('sha256').update(s).digest('hex');
/** The hashed part of an entry: everything but the hashes themselves. */
type Hashed = Omit<AuditEntry, 'hash' | 'prevHash'>;
export const entryHash = (entry: Hashed, prevHash: string | null): string =>
  sha256(canonicalJson(entry) + (prevHash ?? ''));
export const headHash = (prevHead: string, hash: string): string => sha256(prevHead + hash);
export const GENESIS = '0'.repeat(64);

export interface ChainFacts {
  transferId: string;
  applicantOrg: string;
  recipientId: string | null;
  status: string;
  /** the application as it stands, when it changed */
  application?: unknown;
  at: string;
  /**
   * how far the transfer has come (decisions + escalations): facts from an older state never overwrite a newer
   * one's (the API and the workflow both write; absent for workflows before code version 6)
   */
  progress?: number;
}

export class AuditLog {
  constructor(private readonly db: Database.Database) {
    db.exec(AUDIT_SCHEMA);
    const columns = db.prepare('PRAGMA table_info(audit_transfers)').all() as { name: string }[];
    if (!columns.some((c) => c.name === 'progress'))
      db.exec('ALTER TABLE audit_transfers ADD COLUMN progress INTEGER');
  }

  /** Append the entries not yet in the chain (by key), in the order given. Returns how many were new. */
  append(facts: ChainFacts, entries: readonly AuditEntryInput[]): number {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO audit_transfers (transfer_id, applicant_org, recipient_id, status, application, updated_at, progress)
           VALUES (@transferId, @applicantOrg, @recipientId, @status, @application, @at, @progress)
           ON CONFLICT (transfer_id) DO UPDATE SET status = excluded.status, recipient_id = excluded.recipient_id,
             application = COALESCE(excluded.application, audit_transfers.application), updated_at = excluded.updated_at,
             progress = excluded.progress
           WHERE excluded.progress IS NULL OR audit_transfers.progress IS NULL OR excluded.progress >= audit_transfers.progress`,
        )
        .run({
          ...facts,
          progress: facts.progress ?? null,
          application: facts.application === undefined ? null : JSON.stringify(facts.application),
        });
      let added = 0;
      for (const input of entries) {
        const exists = this.db
          .prepare('SELECT 1 FROM audit_entries WHERE transfer_id = ? AND key = ?')
          .get(facts.transferId, input.key);
        if (exists) continue;
        const last = this.db
          .prepare('SELECT seq, hash FROM audit_entries WHERE transfer_id = ? ORDER BY seq DESC LIMIT 1')
          .get(facts.transferId) as { seq: number; hash: string } | undefined;
        const head = (this.db.prepare('SELECT global_seq, hash FROM audit_head WHERE id = 1').get() as
          { global_seq: number; hash: string } | undefined) ?? { global_seq: 0, hash: GENESIS };
        const entry: Hashed = { ...input, transferId: facts.transferId, seq: (last?.seq ?? 0) + 1 };
        const prevHash = last?.hash ?? null;
        const hash = entryHash(entry, prevHash);
        this.db
          .prepare(
            'INSERT INTO audit_entries (transfer_id, seq, key, entry, prev_hash, hash, global_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
          )
          .run(
            facts.transferId,
            entry.seq,
            input.key,
            canonicalJson(entry),
            prevHash,
            hash,
            head.global_seq + 1,
          );
        this.db
          .prepare(
            'INSERT INTO audit_head (id, global_seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET global_seq = excluded.global_seq, hash = excluded.hash',
          )
          .run(head.global_seq + 1, headHash(head.hash, hash));
        added++;
      }
      return added;
    })();
  }

  /** A transfer's chain as stored (not verified: see verify). */
  chain(transferId: string): AuditEntry[] {
    const rows = this.db
      .prepare('SELECT entry, prev_hash, hash FROM audit_entries WHERE transfer_id = ? ORDER BY seq')
      .all(transferId) as { entry: string; prev_hash: string | null; hash: string }[];
    return rows.map((r) => ({ ...(JSON.parse(r.entry) as Hashed), hash: r.hash, prevHash: r.prev_hash }));
  }

  /** Scope and last known facts of a transfer, kept after its workflow is gone. */
  facts(
    transferId: string,
  ): { applicantOrg: string; recipientId: string | null; status: string; application: unknown } | undefined {
    const row = this.db
      .prepare(
        'SELECT applicant_org, recipient_id, status, application FROM audit_transfers WHERE transfer_id = ?',
      )
      .get(transferId) as
      | { applicant_org: string; recipient_id: string | null; status: string; application: string | null }
      | undefined;
    return (
      row && {
        applicantOrg: row.applicant_org,
        recipientId: row.recipient_id,
        status: row.status,
        application: row.application ? (JSON.parse(row.application) as unknown) : null,
      }
    );
  }

  transferIds(): string[] {
    return (
      this.db.prepare('SELECT transfer_id FROM audit_transfers ORDER BY transfer_id').all() as {
        transfer_id: string;
      }[]
    ).map((r) => r.transfer_id);
  }

  /**
   * Re-verify one chain (or, without an id, every chain and the global head) from the stored rows: each entry's
   * hash recomputed from its content and the previous hash, sequence numbers contiguous. The first broken link
   * is named.
   */
  verify(
    transferId?: string,
  ): { ok: true; entries: number } | { ok: false; entries: number; broken: string } {
    const rows = this.db
      .prepare(
        `SELECT transfer_id, seq, entry, prev_hash, hash, global_seq FROM audit_entries
         ${transferId ? 'WHERE transfer_id = ?' : ''} ORDER BY ${transferId ? 'seq' : 'global_seq'}`,
      )
      .all(...(transferId ? [transferId] : [])) as {
      transfer_id: string;
      seq: number;
      entry: string;
      prev_hash: string | null;
      hash: string;
      global_seq: number;
    }[];
    const last = new Map<string, { seq: number; hash: string }>();
    let head = GENESIS;
    let expectedGlobal = 1;
    for (const r of rows) {
      const where = `transfer ${r.transfer_id} entry ${r.seq}`;
      const prev = last.get(r.transfer_id);
      const expectedSeq = (prev?.seq ?? 0) + 1;
      if (r.seq !== expectedSeq)
        return {
          ok: false,
          entries: rows.length,
          broken: `${where}: expected entry ${expectedSeq} (missing or reordered)`,
        };
      if ((r.prev_hash ?? null) !== (prev?.hash ?? null))
        return {
          ok: false,
          entries: rows.length,
          broken: `${where}: previous hash does not link to entry ${prev?.seq ?? 0}`,
        };
      let content: Hashed;
      try {
        content = JSON.parse(r.entry) as Hashed;
      } catch {
        return { ok: false, entries: rows.length, broken: `${where}: content is not JSON` };
      }
      if (content.seq !== r.seq || content.transferId !== r.transfer_id)
        return { ok: false, entries: rows.length, broken: `${where}: content names another position` };
      if (entryHash(content, r.prev_hash) !== r.hash)
        return { ok: false, entries: rows.length, broken: `${where}: content does not match its hash` };
      last.set(r.transfer_id, { seq: r.seq, hash: r.hash });
      if (!transferId) {
        if (r.global_seq !== expectedGlobal)
          return {
            ok: false,
            entries: rows.length,
            broken: `${where}: global sequence ${expectedGlobal} missing`,
          };
        expectedGlobal++;
        head = headHash(head, r.hash);
      }
    }
    if (!transferId) {
      const stored = this.db.prepare('SELECT global_seq, hash FROM audit_head WHERE id = 1').get() as
        { global_seq: number; hash: string } | undefined;
      if ((stored?.hash ?? GENESIS) !== head || (stored?.global_seq ?? 0) !== rows.length)
        return {
          ok: false,
          entries: rows.length,
          broken: 'the global head does not match the chains (entries removed or added at the end)',
        };
    }
    return { ok: true, entries: rows.length };
  }
}
