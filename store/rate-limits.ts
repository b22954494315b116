/**
 * Rate-limit counters shared by every API process on one database (express-rate-limit's fixed windows): one row
 * per key with its hits and the instant its window resets. An increment is one statement (INSERT … ON CONFLICT DO
 * UPDATE … RETURNING: a row lock on PostgreSQL), so concurrent processes count every hit once.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema';

export interface RateLimitHit {
  /** hits in the current window, this one included */
  hits: number;
  /** epoch milliseconds when the window resets */
  resetAt: number;
}

export class RateLimitRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Count one hit of `key`: a new window starts when there is none or the last one has passed. */
  async hit(key: string, windowMs: number, now: number): Promise<RateLimitHit> {
    const resetAt = now + windowMs;
    const row = await this.db
      .insertInto('rate_limits')
      .values({ key, hits: 1, reset_at: resetAt })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          hits: sql<number>`case when rate_limits.reset_at <= ${now} then 1 else rate_limits.hits + 1 end`,
          reset_at: sql<number>`case when rate_limits.reset_at <= ${now} then ${resetAt} else rate_limits.reset_at end`,
        }),
      )
      .returning(['hits', 'reset_at'])
      .executeTakeFirstOrThrow();
    return { hits: Number(row.hits), resetAt: Number(row.reset_at) };
  }

  /** The current window of `key` (none when it has passed or never began). */
  async get(key: string, now: number): Promise<RateLimitHit | undefined> {
    const row = await this.db
      .selectFrom('rate_limits')
      .select(['hits', 'reset_at'])
      .where('key', '=', key)
      .where('reset_at', '>', now)
      .executeTakeFirst();
    return row ? { hits: Number(row.hits), resetAt: Number(row.reset_at) } : undefined;
  }

  /** Take one hit back (express-rate-limit's skipFailedRequests / skipSuccessfulRequests). */
  async decrement(key: string, now: number): Promise<void> {
    await this.db
      .updateTable('rate_limits')
      .set({ hits: sql<number>`hits - 1` })
      .where('key', '=', key)
      .where('reset_at', '>', now)
      .where('hits', '>', 0)
      .execute();
  }

  async reset(key: string): Promise<void> {
    await this.db.deleteFrom('rate_limits').where('key', '=', key).execute();
  }

  /** Forget windows that have passed; how many. */
  async sweep(now: number): Promise<number> {
    const r = await this.db.deleteFrom('rate_limits').where('reset_at', '<=', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
