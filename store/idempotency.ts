/** Idempotency-Key claims: per identity and key, the first claim wins. */
import type { Kysely } from 'kysely';
import type { DB } from './schema';

export class IdempotencyRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /**
   * Claim an Idempotency-Key for one request (an action on one transfer, by one identity): true when this key was
   * first used for the same scope and body — a retry — or is new; false when it was used for something else.
   */
  async claimKey(
    sub: string,
    key: string,
    scope: string,
    bodyHash: string,
    nowIso: string,
  ): Promise<boolean> {
    await this.db
      .insertInto('idempotency_keys')
      .values({ sub, key, scope, body_hash: bodyHash, created_at: nowIso })
      .onConflict((oc) => oc.columns(['sub', 'key']).doNothing())
      .execute();
    const row = await this.db
      .selectFrom('idempotency_keys')
      .select(['scope', 'body_hash'])
      .where('sub', '=', sub)
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    return row.scope === scope && row.body_hash === bodyHash;
  }

  /**
   * Claim an idempotency key for creating a transfer: the first claim wins and names the transfer id; later
   * claims with the same key get that id back (and the body hash, to refuse a different body).
   */
  async claimCreation(
    sub: string,
    key: string,
    bodyHash: string,
    candidateId: string,
    nowIso: string,
  ): Promise<{ transferId: string; bodyHash: string; fresh: boolean }> {
    const res = await this.db
      .insertInto('idempotent_creations')
      .values({ sub, key, body_hash: bodyHash, transfer_id: candidateId, created_at: nowIso })
      .onConflict((oc) => oc.columns(['sub', 'key']).doNothing())
      .executeTakeFirst();
    const row = (await this.creation(sub, key))!;
    return {
      transferId: row.transferId,
      bodyHash: row.bodyHash,
      fresh: Number(res.numInsertedOrUpdatedRows) === 1,
    };
  }

  /** The creation a key claimed. */
  async creation(sub: string, key: string): Promise<{ transferId: string; bodyHash: string } | undefined> {
    const row = await this.db
      .selectFrom('idempotent_creations')
      .select(['transfer_id', 'body_hash'])
      .where('sub', '=', sub)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && { transferId: row.transfer_id, bodyHash: row.body_hash };
  }

  /** Every creation an identity claimed (key and transfer), oldest first. */
  async creationsBy(sub: string): Promise<{ key: string; transferId: string }[]> {
    return (
      await this.db
        .selectFrom('idempotent_creations')
        .select(['key', 'transfer_id'])
        .where('sub', '=', sub)
        .orderBy('created_at')
        .orderBy('key')
        .execute()
    ).map((r) => ({ key: r.key, transferId: r.transfer_id }));
  }
}
