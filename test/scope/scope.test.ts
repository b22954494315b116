/**
 * Scoping written once (REVIEW.md §2): `visibleScope` in domain/authz.ts is the one description of who sees which
 * transfer; this table runs each of its renderings on the same cases — the predicate (`canSee`, what one
 * transfer's reads and the workflow's validators use), the SQL `WHERE` (store/scope.ts, on real SQLite and
 * PostgreSQL tables) and the read model behind GET /v1/transfers and /v1/inbox that uses it (a real store on each
 * backend) — and all must give the table's answer.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canSee, visibleScope, type Actor } from '../../domain/authz';
import type { Status } from '../../domain/lifecycle';
import { openStore, type Store } from '../../store';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { scopeWhere } from '../../store/scope';
import { createTestDatabase } from '../postgres';

interface ScopeDb {
  rows: { key: string; applicant_org: string; recipient_id: string | null; status: string };
}

interface Row {
  key: string;
  applicantOrg: string;
  recipientId?: string;
  status: Status;
}

const rows: Row[] = [
  { key: 'acme-draft', applicantOrg: 'acme', recipientId: 'eu-fulfil', status: 'draft' },
  { key: 'acme-check', applicantOrg: 'acme', recipientId: 'eu-fulfil', status: 'completeness_check' },
  { key: 'acme-active', applicantOrg: 'acme', recipientId: 'us-cloud', status: 'active' },
  { key: 'globex-draft', applicantOrg: 'globex', recipientId: 'us-cloud', status: 'draft' },
  { key: 'globex-review', applicantOrg: 'globex', recipientId: 'us-cloud', status: 'under_review' },
  // a quote in an id must neither break the query nor widen it
  { key: 'quoted-active', applicantOrg: "o'brien", status: 'active' },
];

const cases: { who: string; actor: Actor; sees: string[] }[] = [
  {
    who: 'applicant of acme',
    actor: { sub: 'a', role: 'applicant', org: 'acme' },
    sees: ['acme-draft', 'acme-check', 'acme-active'],
  },
  {
    who: "applicant of o'brien",
    actor: { sub: 'o', role: 'applicant', org: "o'brien" },
    sees: ['quoted-active'],
  },
  {
    who: 'reviewer at acme (never their own organisation, never a draft)',
    actor: { sub: 'r', role: 'reviewer', org: 'acme' },
    sees: ['globex-review', 'quoted-active'],
  },
  {
    who: 'reviewer at the regulator',
    actor: { sub: 'r2', role: 'reviewer', org: 'cac' },
    sees: ['acme-check', 'acme-active', 'globex-review', 'quoted-active'],
  },
  {
    who: 'recipient us-cloud (no drafts)',
    actor: { sub: 'u', role: 'recipient', recipient: 'us-cloud' },
    sees: ['acme-active', 'globex-review'],
  },
  { who: 'recipient named nowhere', actor: { sub: 'n', role: 'recipient', recipient: 'nobody' }, sees: [] },
  { who: 'admin', actor: { sub: 'ad', role: 'admin' }, sees: [] },
  { who: 'applicant without an org claim', actor: { sub: 'x', role: 'applicant' }, sees: [] },
];

const databases: Record<'sqlite' | 'postgres', Kysely<ScopeDb>> = {} as never;
const stores: Record<'sqlite' | 'postgres', Store> = {} as never;
const dir = mkdtempSync(join(tmpdir(), 'xb-scope-'));

beforeAll(async () => {
  stores.sqlite = await openStore({ dataDir: dir });
  stores.postgres = await openStore({ dataDir: dir, databaseUrl: await createTestDatabase('scope_store') });
  for (const store of Object.values(stores))
    for (const [i, row] of rows.entries())
      await store.transfers.upsert({
        transferId: row.key,
        status: row.status,
        phase: 'completeness',
        route: null,
        country: null,
        applicantOrg: row.applicantOrg,
        recipientId: row.recipientId ?? null,
        riskLevel: null,
        awaitingRole: null,
        awaitingAction: null,
        awaitedFrom: null,
        nextDeadline: null,
        overdue: false,
        title: null,
        createdAt: `2026-01-01T00:00:0${i}.000Z`,
        updatedAt: `2026-01-01T00:00:0${i}.000Z`,
        progress: 0,
      });
  databases.sqlite = new Kysely<ScopeDb>({
    dialect: new SqliteDialect({ database: new Database(':memory:') }),
  });
  databases.postgres = new Kysely<ScopeDb>({
    dialect: new PostgresDialect({
      pool: new pg.Pool({ connectionString: await createTestDatabase('scope') }),
    }),
  });
  for (const db of Object.values(databases)) {
    await db.schema
      .createTable('rows')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('applicant_org', 'text', (c) => c.notNull())
      .addColumn('recipient_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    await db
      .insertInto('rows')
      .values(
        rows.map((r) => ({
          key: r.key,
          applicant_org: r.applicantOrg,
          recipient_id: r.recipientId ?? null,
          status: r.status,
        })),
      )
      .execute();
  }
});

afterAll(async () => {
  for (const store of Object.values(stores)) await store.close();
  for (const db of Object.values(databases)) await db.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe.each(cases)('$who', ({ actor, sees }) => {
  test('the predicate gives the table', () => {
    const got = rows.filter((row) => canSee(actor, row)).map((row) => row.key);
    expect(got.sort()).toEqual([...sees].sort());
  });

  test.each(['sqlite', 'postgres'] as const)('the read model lists the table on %s', async (backend) => {
    const page = await stores[backend].transfers.list(
      visibleScope(actor),
      {},
      { limit: 100, now: '2026-01-02T00:00:00.000Z' },
    );
    expect(page.items.map((v) => v.transferId).sort()).toEqual([...sees].sort());
  });

  test.each(['sqlite', 'postgres'] as const)('the SQL WHERE gives the table on %s', async (backend) => {
    const where = scopeWhere(visibleScope(actor), {
      applicantOrg: 'applicant_org',
      recipientId: 'recipient_id',
      status: 'status',
    });
    const got = await databases[backend].selectFrom('rows').select('key').where(where).execute();
    expect(got.map((r) => r.key).sort()).toEqual([...sees].sort());
  });
});
