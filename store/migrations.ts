/**
 * The ordered migrations of the data layer, one set for both dialects (run by Kysely's Migrator at open).
 *
 * 001 is today's schema as main created it with CREATE TABLE IF NOT EXISTS (activities/store.ts, audit.ts,
 * webhooks.ts before the data layer): on a data folder made by that code it adopts the tables as they are, on an
 * empty database it creates them. Later migrations only add.
 */
import { sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { Dialect } from './schema';

const GENESIS = '0'.repeat(64);

type Db = Kysely<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- migrations see the schema of their time

async function columnExists(db: Db, table: string, column: string): Promise<boolean> {
  const tables = await db.introspection.getTables();
  return !!tables.find((t) => t.name === table)?.columns.some((c) => c.name === column);
}

export function migrations(dialect: Dialect): Record<string, Migration> {
  const pg = dialect === 'postgres';
  /** notification ids (and what refers to them) and epoch milliseconds need 64 bits on PostgreSQL */
  const big = pg ? 'bigint' : 'integer';
  return {
    '001_adopt_embedded_schema': {
      async up(db: Db) {
        await db.schema
          .createTable('documents')
          .ifNotExists()
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('size', 'integer', (c) => c.notNull())
          .addColumn('media_type', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('document_uploaders')
          .ifNotExists()
          .addColumn('document_id', 'text', (c) => c.notNull().references('documents.id'))
          .addColumn('sub', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('org', 'text')
          .addColumn('recipient', 'text')
          .addColumn('uploaded_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('document_uploaders_pk', ['document_id', 'sub'])
          .execute();
        await db.schema
          .createTable('document_refs')
          .ifNotExists()
          .addColumn('document_id', 'text', (c) => c.notNull())
          .addColumn('transfer_id', 'text', (c) => c.notNull())
          .addColumn('applicant_org', 'text', (c) => c.notNull())
          .addColumn('recipient_id', 'text')
          .addPrimaryKeyConstraint('document_refs_pk', ['document_id', 'transfer_id'])
          .execute();
        await db.schema
          .createTable('filing_numbers')
          .ifNotExists()
          .addColumn('transfer_id', 'text', (c) => c.primaryKey())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('number', 'text', (c) => c.notNull().unique())
          .addColumn('issued_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('filing_numbers_year_seq', ['year', 'seq'])
          .execute();
        await db.schema
          .createTable('notifications')
          .ifNotExists()
          .addColumn('id', pg ? 'bigserial' : 'integer', (c) =>
            pg ? c.primaryKey() : c.primaryKey().autoIncrement(),
          )
          .addColumn('key', 'text', (c) => c.notNull().unique())
          .addColumn('transfer_id', 'text', (c) => c.notNull())
          .addColumn('audience', 'text', (c) => c.notNull())
          .addColumn('applicant_org', 'text', (c) => c.notNull())
          .addColumn('recipient_id', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        for (const table of ['idempotency_keys', 'idempotent_creations'] as const) {
          let t = db.schema
            .createTable(table)
            .ifNotExists()
            .addColumn('sub', 'text', (c) => c.notNull())
            .addColumn('key', 'text', (c) => c.notNull());
          t =
            table === 'idempotency_keys'
              ? t
                  .addColumn('scope', 'text', (c) => c.notNull())
                  .addColumn('body_hash', 'text', (c) => c.notNull())
              : t
                  .addColumn('body_hash', 'text', (c) => c.notNull())
                  .addColumn('transfer_id', 'text', (c) => c.notNull());
          await t
            .addColumn('created_at', 'text', (c) => c.notNull())
            .addPrimaryKeyConstraint(`${table}_pk`, ['sub', 'key'])
            .execute();
        }
        await db.schema
          .createTable('audit_entries')
          .ifNotExists()
          .addColumn('transfer_id', 'text', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('entry', 'text', (c) => c.notNull())
          .addColumn('prev_hash', 'text')
          .addColumn('hash', 'text', (c) => c.notNull())
          .addColumn('global_seq', big, (c) => c.notNull().unique())
          .addPrimaryKeyConstraint('audit_entries_pk', ['transfer_id', 'seq'])
          .addUniqueConstraint('audit_entries_key', ['transfer_id', 'key'])
          .execute();
        await db.schema
          .createTable('audit_transfers')
          .ifNotExists()
          .addColumn('transfer_id', 'text', (c) => c.primaryKey())
          .addColumn('applicant_org', 'text', (c) => c.notNull())
          .addColumn('recipient_id', 'text')
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('application', 'text')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('progress', 'integer')
          .execute();
        // a data folder from before code version 6 has no progress column
        if (!(await columnExists(db, 'audit_transfers', 'progress')))
          await db.schema.alterTable('audit_transfers').addColumn('progress', 'integer').execute();
        await db.schema
          .createTable('audit_head')
          .ifNotExists()
          .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
          .addColumn('global_seq', big, (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('webhooks')
          .ifNotExists()
          .addColumn('target', 'text', (c) => c.primaryKey())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('secret', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('updated_by', 'text', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('webhook_deliveries')
          .ifNotExists()
          .addColumn('notification_id', big, (c) => c.notNull())
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('attempts', 'integer', (c) => c.notNull())
          .addColumn('next_attempt_at', big, (c) => c.notNull())
          .addColumn('last_error', 'text')
          .addColumn('delivered_at', 'text')
          .addPrimaryKeyConstraint('webhook_deliveries_pk', ['notification_id', 'target'])
          .execute();
        await db.schema
          .createTable('webhook_cursor')
          .ifNotExists()
          .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
          .addColumn('last_notification_id', big, (c) => c.notNull())
          .execute();
      },
    },

    '002_fleet': {
      /**
       * What several processes on several machines need: document bytes in the database (PostgreSQL; SQLite
       * keeps its files), a per-year sequence row that issuers lock, the global head's row present from the start
       * (appenders lock it), and the webhook fan-out marked per notification instead of a cursor (ids of
       * concurrent transactions commit out of order, a cursor would skip one).
       */
      async up(db: Db) {
        await db.schema
          .createTable('document_blobs')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('bytes', pg ? 'bytea' : 'blob', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('filing_sequences')
          .addColumn('year', 'integer', (c) => c.primaryKey())
          .addColumn('last_seq', 'integer', (c) => c.notNull())
          .execute();
        await sql`INSERT INTO filing_sequences (year, last_seq) SELECT year, MAX(seq) FROM filing_numbers GROUP BY year`.execute(
          db,
        );
        await sql`INSERT INTO audit_head (id, global_seq, hash) SELECT 1, 0, ${GENESIS} WHERE NOT EXISTS (SELECT 1 FROM audit_head)`.execute(
          db,
        );
        await db.schema.alterTable('notifications').addColumn('fanned_out', 'integer').execute();
        await sql`UPDATE notifications SET fanned_out = 1 WHERE id <= (SELECT COALESCE(MAX(last_notification_id), 0) FROM webhook_cursor)`.execute(
          db,
        );
        await db.schema.dropTable('webhook_cursor').execute();
        await db.schema
          .createIndex('notifications_pending_fan_out')
          .on('notifications')
          .column('id')
          .where(sql.ref('fanned_out'), 'is', null)
          .execute();
        await db.schema
          .createIndex('notifications_audience')
          .on('notifications')
          .columns(['audience', 'applicant_org', 'id'])
          .execute();
        await db.schema
          .createIndex('webhook_deliveries_due')
          .on('webhook_deliveries')
          .columns(['status', 'next_attempt_at'])
          .execute();
        await db.schema
          .createIndex('document_refs_transfer')
          .on('document_refs')
          .column('transfer_id')
          .execute();
      },
    },

    '003_transfer_read_model': {
      /** one row per transfer for lists and inboxes (store/transfers.ts), with the indexes their pages use */
      async up(db: Db) {
        await db.schema
          .createTable('transfer_views')
          .addColumn('transfer_id', 'text', (c) => c.primaryKey())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('phase', 'text')
          .addColumn('route', 'text')
          .addColumn('applicant_org', 'text', (c) => c.notNull())
          .addColumn('recipient_id', 'text')
          .addColumn('risk_level', 'text')
          .addColumn('awaiting_role', 'text')
          .addColumn('awaiting_action', 'text')
          .addColumn('next_deadline', 'text')
          .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('title', 'text')
          .addColumn('progress', 'integer')
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .execute();
        const pages: [string, string[]][] = [
          ['transfer_views_recent', ['updated_at', 'transfer_id']],
          ['transfer_views_org', ['applicant_org', 'updated_at', 'transfer_id']],
          ['transfer_views_recipient', ['recipient_id', 'updated_at', 'transfer_id']],
          ['transfer_views_awaiting', ['awaiting_role', 'updated_at', 'transfer_id']],
          ['transfer_views_status', ['status', 'updated_at', 'transfer_id']],
        ];
        for (const [name, columns] of pages)
          await db.schema.createIndex(name).on('transfer_views').columns(columns).execute();
      },
    },

    '004_transfer_read_model_rows': {
      /**
       * The read model as lists and inboxes read it (003's table was never written: dropped and made again): the
       * columns of domain/transfer-row.ts, and indexes for the list's pages (newest first, per organisation and
       * per recipient) and the inbox's (per awaited role: overdue first, nearest deadline).
       */
      async up(db: Db) {
        await db.schema.dropTable('transfer_views').ifExists().execute();
        await db.schema
          .createTable('transfer_views')
          .addColumn('transfer_id', 'text', (c) => c.primaryKey())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('phase', 'text')
          .addColumn('route', 'text')
          .addColumn('country', 'text')
          .addColumn('applicant_org', 'text', (c) => c.notNull())
          .addColumn('recipient_id', 'text')
          .addColumn('risk_level', 'text')
          .addColumn('awaiting_role', 'text')
          .addColumn('awaiting_action', 'text')
          .addColumn('awaited_from', 'text')
          .addColumn('next_deadline', 'text')
          .addColumn('due_sort', 'text', (c) => c.notNull())
          .addColumn('overdue', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('closed', 'integer', (c) => c.notNull().defaultTo(0))
          .addColumn('title', 'text')
          .addColumn('created_at', 'text', (c) => c.notNull())
          .addColumn('updated_at', 'text', (c) => c.notNull())
          .addColumn('progress', 'integer', (c) => c.notNull())
          .execute();
        const indexes: [string, string[]][] = [
          ['transfer_views_recent', ['created_at', 'transfer_id']],
          ['transfer_views_org', ['applicant_org', 'created_at', 'transfer_id']],
          ['transfer_views_recipient', ['recipient_id', 'created_at', 'transfer_id']],
          ['transfer_views_inbox', ['awaiting_role', 'closed', 'overdue', 'due_sort', 'transfer_id']],
        ];
        for (const [name, columns] of indexes)
          await db.schema.createIndex(name).on('transfer_views').columns(columns).execute();
      },
    },

    '005_webhooks_temporal': {
      /**
       * Deliveries are sent by a Temporal workflow each (workflows/webhook-delivery.ts), started by the worker's loop:
       * `handed_at` says it was started, so the loop looks only at the pending deliveries not yet handed.
       */
      async up(db: Db) {
        await db.schema.alterTable('webhook_deliveries').addColumn('handed_at', 'text').execute();
        await db.schema
          .createIndex('webhook_deliveries_unhanded')
          .on('webhook_deliveries')
          .columns(['notification_id', 'target'])
          .where(sql.ref('handed_at'), 'is', null)
          .execute();
      },
    },

    '006_rate_limits': {
      /** the API processes' shared rate-limit counters (store/rate-limits.ts): a row per key and window */
      async up(db: Db) {
        await db.schema
          .createTable('rate_limits')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('hits', 'integer', (c) => c.notNull())
          .addColumn('reset_at', big, (c) => c.notNull())
          .execute();
        await db.schema.createIndex('rate_limits_reset_at').on('rate_limits').column('reset_at').execute();
      },
    },
    '007_register_numbers': {
      /**
       * a pack's own register (eu-gdpr: no regulator filing, an internal register number): like filing numbers,
       * gap-free per series and year (store/filing.ts)
       */
      async up(db: Db) {
        await db.schema
          .createTable('register_sequences')
          .addColumn('series', 'text', (c) => c.notNull())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('last_seq', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('register_sequences_pk', ['series', 'year'])
          .execute();
        await db.schema
          .createTable('register_numbers')
          .addColumn('transfer_id', 'text', (c) => c.primaryKey())
          .addColumn('series', 'text', (c) => c.notNull())
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('seq', 'integer', (c) => c.notNull())
          .addColumn('number', 'text', (c) => c.notNull().unique())
          .addColumn('issued_at', 'text', (c) => c.notNull())
          .addUniqueConstraint('register_numbers_series_year_seq', ['series', 'year', 'seq'])
          .execute();
      },
    },
  };
}

export function migrationProvider(dialect: Dialect): MigrationProvider {
  return { getMigrations: () => Promise.resolve(migrations(dialect)) };
}
