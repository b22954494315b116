/**
 * Filing numbers: XB-<year>-<6 digits>, issued once per transfer (a retry or a crash after the commit returns
 * the same number), in sequence per year without gaps under concurrent issuers in any number of processes: the
 * issuing transaction increments the year's row of filing_sequences (a row lock on PostgreSQL, the write lock on
 * SQLite) and inserts the number in the same transaction, so a rolled-back issue gives its number back.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema';
import { isUniqueViolation } from './errors';

/** thrown to roll back an issue that found the transfer's number issued meanwhile */
class AlreadyIssued extends Error {
  constructor(readonly number: string) {
    super(`filing number ${number} already issued`);
  }
}

export class FilingNumberRepository {
  constructor(private readonly db: Kysely<DB>) {}

  async issue(transferId: string, year: number, nowIso: string): Promise<string> {
    return this.issueOnce(
      transferId,
      async (trx) => {
        const { last_seq } = await trx
          .insertInto('filing_sequences')
          .values({ year, last_seq: 1 })
          .onConflict((oc) =>
            oc.column('year').doUpdateSet((eb) => ({ last_seq: eb('filing_sequences.last_seq', '+', 1) })),
          )
          .returning('last_seq')
          .executeTakeFirstOrThrow();
        return {
          seq: Number(last_seq),
          number: (seq) => `XB-${year}-${seq}`,
          what: `filing numbers for ${year}`,
        };
      },
      async (trx, seq, number) => {
        await trx
          .insertInto('filing_numbers')
          .values({ transfer_id: transferId, year, seq, number, issued_at: nowIso })
          .execute();
      },
      'filing_numbers',
    );
  }

  /**
   * A pack's own register number (eu-gdpr: `EU-GDPR-2026-000001`), issued once per transfer, gap-free per series
   * and year under concurrent issuers, exactly as filing numbers are.
   */
  async issueRegister(transferId: string, series: string, year: number, nowIso: string): Promise<string> {
    return this.issueOnce(
      transferId,
      async (trx) => {
        const { last_seq } = await trx
          .insertInto('register_sequences')
          .values({ series, year, last_seq: 1 })
          .onConflict((oc) =>
            oc
              .columns(['series', 'year'])
              .doUpdateSet((eb) => ({ last_seq: eb('register_sequences.last_seq', '+', 1) })),
          )
          .returning('last_seq')
          .executeTakeFirstOrThrow();
        return {
          seq: Number(last_seq),
          number: (seq) => `${series}-${year}-${seq}`,
          what: `${series} numbers for ${year}`,
        };
      },
      async (trx, seq, number) => {
        await trx
          .insertInto('register_numbers')
          .values({ transfer_id: transferId, series, year, seq, number, issued_at: nowIso })
          .execute();
      },
      'register_numbers',
    );
  }

  /**
   * One issuing transaction: the transfer's number if it has one, else the next of its sequence (`next` takes the
   * sequence row's lock) inserted by `insert`; a number issued meanwhile by another process is given back.
   */
  private async issueOnce(
    transferId: string,
    next: (trx: Transaction<DB>) => Promise<{ seq: number; number: (seq: string) => string; what: string }>,
    insert: (trx: Transaction<DB>, seq: number, number: string) => Promise<void>,
    table: 'filing_numbers' | 'register_numbers',
  ): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const existing = () =>
            trx.selectFrom(table).select('number').where('transfer_id', '=', transferId).executeTakeFirst();
          const before = await existing();
          if (before) return before.number;
          const { seq, number, what } = await next(trx);
          // issued by another process while this one waited for the sequence's row: give the number back
          const meanwhile = await existing();
          if (meanwhile) throw new AlreadyIssued(meanwhile.number);
          if (seq > 999_999) throw new Error(`${what} are exhausted`);
          const issued = number(String(seq).padStart(6, '0'));
          await insert(trx, seq, issued);
          return issued;
        });
      } catch (err) {
        if (err instanceof AlreadyIssued) return err.number;
        // two issuers for the same transfer: the loser's transaction is gone, the winner's number is read next
        if (isUniqueViolation(err) && attempt < 5) continue;
        throw err;
      }
    }
  }

  /** Every number issued in a year, in sequence. */
  async ofYear(year: number): Promise<{ transferId: string; seq: number; number: string }[]> {
    return (
      await this.db
        .selectFrom('filing_numbers')
        .select(['transfer_id', 'seq', 'number'])
        .where('year', '=', year)
        .orderBy('seq')
        .execute()
    ).map((r) => ({ transferId: r.transfer_id, seq: Number(r.seq), number: r.number }));
  }
}
