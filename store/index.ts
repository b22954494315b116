/**
 * The data layer: one async repository per aggregate over one database, SQLite (better-sqlite3, a file in the
 * data dir: the embedded default) or PostgreSQL (`XBORDER_DATABASE_URL=postgres://…`: any number of processes on
 * any number of machines). The database handle stays in here; migrations (store/migrations.ts) run at open.
 * See store/README.md for which table holds what.
 */
import Database from 'better-sqlite3';
import { mkdirSync, realpathSync } from 'node:fs';
import { Mutex } from 'async-mutex';
import { join } from 'node:path';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
} from 'kysely';
import pg from 'pg';
import type { KeyRing } from '../activities/crypto';
import type { NotificationInput } from '../domain/evidence';
import { stepEvidence, type StepEvidence } from '../domain/step-evidence';
import { compareChain } from '../domain/evidence-check';
import type { TransferState } from '../domain/transfer';
import { appendIn, AuditRepository, lockChains } from './audit';
import { DocumentRepository, FileBlobs, linkDocumentsIn, TableBlobs } from './documents';
import { FilingNumberRepository } from './filing';
import { IdempotencyRepository } from './idempotency';
import { migrationProvider } from './migrations';
import { addNotificationIn, NotificationRepository } from './notifications';
import type { DB, Dialect } from './schema';
import { RateLimitRepository } from './rate-limits';
import { TransferViewRepository, upsertTransferViewIn } from './transfers';
import { WebhookRepository } from './webhooks';

export { DocumentIntegrityError, sha256, type DocumentMeta } from './documents';
export { entryHash, headHash, GENESIS, type AuditEntry, type ChainFacts } from './audit';
export type { NotificationRow } from './notifications';
export type { WebhookTarget, DeliveryStatus, DueDelivery, DeliveryRef } from './webhooks';
export type { InboxCursor, ListCursor, TransferView, TransferViewFilter } from './transfers';
export type { Dialect } from './schema';
export type { RateLimitRepository, RateLimitHit } from './rate-limits';

export interface StoreConfig {
  /** the data dir: the SQLite file and its document files (SQLite only) */
  dataDir: string;
  /** postgres://… : PostgreSQL instead of SQLite */
  databaseUrl?: string;
  /** documents are sealed with its active key (none: stored as plain bytes, for tools and tests) */
  keyRing?: KeyRing;
  /** PostgreSQL connections of this process (default 10) */
  poolSize?: number;
}

export interface Store {
  readonly backend: Dialect;
  readonly documents: DocumentRepository;
  readonly audit: AuditRepository;
  readonly filingNumbers: FilingNumberRepository;
  readonly notifications: NotificationRepository;
  readonly webhooks: WebhookRepository;
  readonly idempotency: IdempotencyRepository;
  readonly transfers: TransferViewRepository;
  /** rate-limit counters shared by the API processes on this database (used with PostgreSQL) */
  readonly rateLimits: RateLimitRepository;
  /**
   * Everything one step of a transfer leaves, in one transaction: documents its parties may now read, new audit
   * entries (by content key), notifications (by key), and the read model's row (`step.view`, when given). Idempotent: written
   * again, it adds nothing. Returns how many audit entries were new.
   */
  recordStep(step: StepEvidence): Promise<number>;
  /**
   * Read repair: the audit entries of decisions the workflow holds (a queried state: what its completed workflow
   * tasks kept) that the chain lacks — an action whose answer was lost (the client gone, the API killed) before
   * the API wrote its evidence, and the workflow has not taken its next step yet. Only missing facts are written
   * (compared by content, whatever key an older code version used); nothing is written for a chain that is whole.
   */
  repairEvidence(state: TransferState): Promise<number>;
  close(): Promise<void>;
}

/**
 * SQLite: transactions begin IMMEDIATE (the write lock first, so two processes never deadlock upgrading a read),
 * and the store instances of one process that open the same file take turns through one async lock per file
 * (better-sqlite3 waits for a busy database synchronously: a second connection in the same process would block
 * the event loop the first one needs to finish its transaction). Other processes wait through busy_timeout.
 */
const fileLocks = new Map<string, Mutex>();
class SqliteFileDriver extends SqliteDriver {
  private release: (() => void) | undefined;
  constructor(
    database: Database.Database,
    private readonly lock: Mutex,
  ) {
    super({ database });
  }
  override async acquireConnection(): Promise<DatabaseConnection> {
    const release = await this.lock.acquire();
    try {
      const connection = await super.acquireConnection();
      this.release = release;
      return connection;
    } catch (err) {
      release();
      throw err;
    }
  }
  override async releaseConnection(): Promise<void> {
    const release = this.release;
    this.release = undefined;
    await super.releaseConnection();
    release?.();
  }
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}
class SqliteFileDialect extends SqliteDialect {
  constructor(
    private readonly database: Database.Database,
    private readonly path: string,
  ) {
    super({ database });
  }
  override createDriver(): Driver {
    let lock = fileLocks.get(this.path);
    if (!lock) fileLocks.set(this.path, (lock = new Mutex()));
    return new SqliteFileDriver(this.database, lock);
  }
}

const INT8 = 20;
function pgPool(url: string, max: number): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // counts and 64-bit ids as numbers (they stay far below 2^53)
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
        oid === INT8 ? (v: string) => Number(v) : (pg.types.getTypeParser(oid, format) as unknown)) as never,
    },
  });
  // an idle connection the server dropped (a restart, a failover) is discarded; the next query opens another.
  // Without a listener the pool's 'error' event would end the process.
  pool.on('error', (err) => console.error(`PostgreSQL: idle connection lost (${err.message})`));
  return pool;
}

export function backendOf(databaseUrl: string | undefined): Dialect {
  if (!databaseUrl) return 'sqlite';
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return 'postgres';
  throw new Error(
    `XBORDER_DATABASE_URL must be a postgres:// URL (got "${databaseUrl.replace(/\/\/.*@/, '//…@')}")`,
  );
}

/** Open the data layer for a configuration and bring its schema to the latest migration. */
/**
 * Run `f` (the migrations of one SQLite file) alone: first among this process's openers of the file (a mutex),
 * then among processes — an exclusive transaction on `<file>.migrate-lock` (another process waits for it through
 * busy_timeout; nothing else runs in this process meanwhile, which is the point).
 */
function migrationTurn(path: string) {
  return async <T>(f: () => Promise<T>): Promise<T> => {
    let lock = migrationLocks.get(path);
    if (!lock) migrationLocks.set(path, (lock = new Mutex()));
    return lock.runExclusive(async () => {
      const turn = new Database(`${path}.migrate-lock`);
      try {
        turn.pragma('busy_timeout = 120000');
        turn.exec('BEGIN EXCLUSIVE');
        try {
          return await f();
        } finally {
          turn.exec('COMMIT');
        }
      } finally {
        turn.close();
      }
    });
  };
}
const migrationLocks = new Map<string, Mutex>();

export async function openStore(config: StoreConfig): Promise<Store> {
  const backend = backendOf(config.databaseUrl);
  let db: Kysely<DB>;
  let walOn = (): unknown => undefined;
  if (backend === 'postgres') {
    db = new Kysely<DB>({
      dialect: new PostgresDialect({ pool: pgPool(config.databaseUrl!, config.poolSize ?? 10) }),
    });
  } else {
    mkdirSync(config.dataDir, { recursive: true });
    const path = join(realpathSync(config.dataDir), 'evidence.sqlite');
    const sqlite = new Database(path);
    // the busy timeout first: switching a new file to WAL takes its lock, and another process opening the same
    // data dir at the same instant (npm start's API and worker) holds it for a moment (SQLITE_BUSY otherwise)
    sqlite.pragma('busy_timeout = 5000');
    db = new Kysely<DB>({ dialect: new SqliteFileDialect(sqlite, path) });
    walOn = () => sqlite.pragma('journal_mode = WAL');
  }
  try {
    // PostgreSQL: Kysely's migrator takes an advisory lock. SQLite: its lock is in-process only, so processes that
    // open one data dir together take turns through a lock database beside it (the WAL switch too).
    const { error, results } = await (
      backend === 'sqlite'
        ? migrationTurn(join(realpathSync(config.dataDir), 'evidence.sqlite'))
        : async <T>(f: () => Promise<T>) => f()
    )(() => {
      walOn();
      return new Migrator({ db, provider: migrationProvider(backend) }).migrateToLatest();
    });
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(
        `the data layer's migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
      );
    }
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const blobs =
    backend === 'postgres' ? new TableBlobs(db) : new FileBlobs(join(config.dataDir, 'documents'));
  const audit = new AuditRepository(db);
  const recordStep = (step: StepEvidence): Promise<number> =>
    db.transaction().execute(async (trx) => {
      await lockChains(trx); // before any other row: the one lock order of every evidence write
      const { facts } = step;
      if (step.documentIds.length > 0)
        await linkDocumentsIn(trx, facts.transferId, step.documentIds, facts.applicantOrg, facts.recipientId);
      const added = await appendIn(trx, facts, step.entries);
      for (const n of step.notifications) await addNotificationIn(trx, n);
      if (step.view) await upsertTransferViewIn(trx, step.view);
      return added;
    });
  return {
    backend,
    documents: new DocumentRepository(db, blobs, config.keyRing),
    audit,
    filingNumbers: new FilingNumberRepository(db),
    notifications: new NotificationRepository(db),
    webhooks: new WebhookRepository(db, backend),
    idempotency: new IdempotencyRepository(db),
    transfers: new TransferViewRepository(db),
    rateLimits: new RateLimitRepository(db),
    recordStep,
    async repairEvidence(state: TransferState): Promise<number> {
      const chain = await audit.chain(state.id);
      if (chain.length >= state.decisions.length + state.escalations.length) return 0;
      const check = compareChain(chain, state);
      if (check.ok || check.missing.length === 0) return 0;
      const fact = (f: { at: string; actor: string; role: string; action: string; reason?: string | null }) =>
        JSON.stringify([f.at, f.actor, f.role, f.action, f.reason || null]);
      // only a person's decisions: their update answered, so they are in history. A system step (a filing number,
      // a deadline passing) is written by the workflow once durable; a queried state may hold one from a workflow
      // task that never reached history (its worker killed after answering the query), which would be a phantom.
      const missing = new Set(check.missing.filter((f) => f.role !== 'system').map(fact));
      if (missing.size === 0) return 0;
      const { evidence } = stepEvidence(
        state,
        { decisions: 0, escalations: 0, notifiedDecisions: state.decisions.length, tasks: '' },
        state.updatedAt,
      );
      return recordStep({
        ...evidence,
        entries: evidence.entries.filter((e) => missing.has(fact(e))),
        notifications: [] as NotificationInput[],
      });
    },
    close: () => db.destroy(),
  };
}
