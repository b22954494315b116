/**
 * The audit trail: per transfer an append-only hash chain, and a global head over all chains. entry hash =
 * SHA-256(canonical JSON of the entry ‖ previous hash of that transfer, or "" for the first); global head =
 * SHA-256(previous head ‖ entry hash), in append order. Appends are idempotent by the entry's key (the workflow's
 * own index of the decision or escalation), so retries and worker crashes never duplicate or skip an entry.
 *
 * Appends are serialised across processes: every append transaction first writes the global head's row (one
 * row, created by the migrations), which takes its row lock on PostgreSQL and the write lock on SQLite (whose
 * transactions begin IMMEDIATE), so the per-transfer chain and the global head are read and extended by one
 * appender at a time.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { canonicalJson, type AuditEntryInput } from '../domain/evidence';
import type { DB } from './schema';

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

export type VerifyResult = { ok: true; entries: number } | { ok: false; entries: number; broken: string };

/** The lock of every evidence write: the global head's row, written first (held until the transaction ends). */
export async function lockChains(trx: Kysely<DB>): Promise<void> {
  await trx
    .updateTable('audit_head')
    .set((eb) => ({ global_seq: eb.ref('global_seq') }))
    .where('id', '=', 1)
    .execute();
}

/** Append within a transaction the caller opened (store/index.ts recordStep, or AuditRepository.append). */
export async function appendIn(
  trx: Kysely<DB>,
  facts: ChainFacts,
  entries: readonly AuditEntryInput[],
): Promise<number> {
  await lockChains(trx);
  await trx
    .insertInto('audit_transfers')
    .values({
      transfer_id: facts.transferId,
      applicant_org: facts.applicantOrg,
      recipient_id: facts.recipientId,
      status: facts.status,
      application: facts.application === undefined ? null : JSON.stringify(facts.application),
      updated_at: facts.at,
      progress: facts.progress ?? null,
    })
    .onConflict((oc) =>
      oc
        .column('transfer_id')
        .doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          recipient_id: eb.ref('excluded.recipient_id'),
          application: eb.fn.coalesce('excluded.application', 'audit_transfers.application'),
          updated_at: eb.ref('excluded.updated_at'),
          progress: eb.ref('excluded.progress'),
        }))
        .where((eb) =>
          eb.or([
            eb('excluded.progress', 'is', null),
            eb('audit_transfers.progress', 'is', null),
            eb('excluded.progress', '>=', eb.ref('audit_transfers.progress')),
          ]),
        ),
    )
    .execute();
  if (entries.length === 0) return 0;
  const known = new Set(
    (
      await trx
        .selectFrom('audit_entries')
        .select('key')
        .where('transfer_id', '=', facts.transferId)
        .execute()
    ).map((r) => r.key),
  );
  const last = await trx
    .selectFrom('audit_entries')
    .select(['seq', 'hash'])
    .where('transfer_id', '=', facts.transferId)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  const stored = await trx
    .selectFrom('audit_head')
    .select(['global_seq', 'hash'])
    .where('id', '=', 1)
    .executeTakeFirst();
  let head = { seq: Number(stored?.global_seq ?? 0), hash: stored?.hash ?? GENESIS };
  let prev = last ? { seq: Number(last.seq), hash: last.hash } : undefined;
  let added = 0;
  for (const input of entries) {
    if (known.has(input.key)) continue;
    known.add(input.key);
    const entry: Hashed = { ...input, transferId: facts.transferId, seq: (prev?.seq ?? 0) + 1 };
    const prevHash = prev?.hash ?? null;
    const hash = entryHash(entry, prevHash);
    await trx
      .insertInto('audit_entries')
      .values({
        transfer_id: facts.transferId,
        seq: entry.seq,
        key: input.key,
        entry: canonicalJson(entry),
        prev_hash: prevHash,
        hash,
        global_seq: head.seq + 1,
      })
      .execute();
    head = { seq: head.seq + 1, hash: headHash(head.hash, hash) };
    prev = { seq: entry.seq, hash };
    added++;
  }
  if (added > 0)
    await trx
      .updateTable('audit_head')
      .set({ global_seq: head.seq, hash: head.hash })
      .where('id', '=', 1)
      .execute();
  return added;
}

export class AuditRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Append the entries not yet in the chain (by key), in the order given. Returns how many were new. */
  append(facts: ChainFacts, entries: readonly AuditEntryInput[]): Promise<number> {
    return this.db.transaction().execute((trx) => appendIn(trx, facts, entries));
  }

  /** A transfer's chain as stored (not verified: see verify). */
  async chain(transferId: string): Promise<AuditEntry[]> {
    const rows = await this.db
      .selectFrom('audit_entries')
      .select(['entry', 'prev_hash', 'hash'])
      .where('transfer_id', '=', transferId)
      .orderBy('seq')
      .execute();
    return rows.map((r) => ({ ...(JSON.parse(r.entry) as Hashed), hash: r.hash, prevHash: r.prev_hash }));
  }

  /** Scope and last known facts of a transfer, kept after its workflow is gone. */
  async facts(
    transferId: string,
  ): Promise<
    { applicantOrg: string; recipientId: string | null; status: string; application: unknown } | undefined
  > {
    const row = await this.db
      .selectFrom('audit_transfers')
      .select(['applicant_org', 'recipient_id', 'status', 'application'])
      .where('transfer_id', '=', transferId)
      .executeTakeFirst();
    return (
      row && {
        applicantOrg: row.applicant_org,
        recipientId: row.recipient_id,
        status: row.status,
        application: row.application ? (JSON.parse(row.application) as unknown) : null,
      }
    );
  }

  async transferIds(): Promise<string[]> {
    return (
      await this.db.selectFrom('audit_transfers').select('transfer_id').orderBy('transfer_id').execute()
    ).map((r) => r.transfer_id);
  }

  /** The global head as stored. */
  async head(): Promise<{ globalSeq: number; hash: string }> {
    const row = await this.db
      .selectFrom('audit_head')
      .select(['global_seq', 'hash'])
      .where('id', '=', 1)
      .executeTakeFirst();
    return { globalSeq: Number(row?.global_seq ?? 0), hash: row?.hash ?? GENESIS };
  }

  /**
   * Re-verify one chain (or, without an id, every chain and the global head) from the stored rows: each entry's
   * hash recomputed from its content and the previous hash, sequence numbers contiguous. The first broken link
   * is named.
   */
  async verify(transferId?: string): Promise<VerifyResult> {
    let q = this.db
      .selectFrom('audit_entries')
      .select(['transfer_id', 'seq', 'entry', 'prev_hash', 'hash', 'global_seq']);
    q = transferId ? q.where('transfer_id', '=', transferId).orderBy('seq') : q.orderBy('global_seq');
    const rows = await q.execute();
    const last = new Map<string, { seq: number; hash: string }>();
    let head = GENESIS;
    let expectedGlobal = 1;
    for (const r of rows) {
      const seq = Number(r.seq);
      const where = `transfer ${r.transfer_id} entry ${seq}`;
      const prev = last.get(r.transfer_id);
      const expectedSeq = (prev?.seq ?? 0) + 1;
      const broken = (why: string): VerifyResult => ({
        ok: false,
        entries: rows.length,
        broken: `${where}: ${why}`,
      });
      if (seq !== expectedSeq) return broken(`expected entry ${expectedSeq} (missing or reordered)`);
      if ((r.prev_hash ?? null) !== (prev?.hash ?? null))
        return broken(`previous hash does not link to entry ${prev?.seq ?? 0}`);
      let content: Hashed;
      try {
        content = JSON.parse(r.entry) as Hashed;
      } catch {
        return broken('content is not JSON');
      }
      if (content.seq !== seq || content.transferId !== r.transfer_id)
        return broken('content names another position');
      if (entryHash(content, r.prev_hash) !== r.hash) return broken('content does not match its hash');
      last.set(r.transfer_id, { seq, hash: r.hash });
      if (!transferId) {
        if (Number(r.global_seq) !== expectedGlobal)
          return broken(`global sequence ${expectedGlobal} missing`);
        expectedGlobal++;
        head = headHash(head, r.hash);
      }
    }
    if (!transferId) {
      const stored = await this.head();
      if (stored.hash !== head || stored.globalSeq !== rows.length)
        return {
          ok: false,
          entries: rows.length,
          broken: 'the global head does not match the chains (entries removed or added at the end)',
        };
    }
    return { ok: true, entries: rows.length };
  }
}
