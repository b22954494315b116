/**
 * Scoping written once (REVIEW.md §2): `visibleScope` in domain/authz.ts is the one description of who sees which
 * transfer; this table runs each of its renderings on the same cases — the predicate (`canSee`, what one
 * transfer's reads and the workflow's validators use) and the Temporal visibility query (against the real dev
 * server: executions started with the search attributes a transfer publishes) and the SQL `WHERE` (store/scope.ts,
 * on real SQLite and PostgreSQL tables) — and all must give the table's answer.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { TypedSearchAttributes } from '@temporalio/common';
import { canSee, visibleScope, type Actor } from '../../domain/authz';
import type { Status } from '../../domain/lifecycle';
import { visibilityClause } from '../../api/visibility';
import { searchAttributes as sa } from '../../workflows/messages';
import { eventually } from '../helpers';
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
let client: Client;
let connection: Connection;
const taskQueue = `scope-${randomUUID()}`; // no worker polls it: the executions only carry search attributes
const ids = new Map<string, string>(); // workflow id → row key

beforeAll(async () => {
  connection = await Connection.connect({ address: process.env.XB_TEST_TEMPORAL_ADDRESS! });
  client = new Client({ connection });
  for (const row of rows) {
    const id = `scope-${row.key}-${randomUUID()}`;
    ids.set(id, row.key);
    await client.workflow.start('scopeProbe', {
      taskQueue,
      workflowId: id,
      typedSearchAttributes: new TypedSearchAttributes([
        { key: sa.applicantOrg, value: row.applicantOrg },
        { key: sa.status, value: row.status },
        ...(row.recipientId ? [{ key: sa.recipientId, value: row.recipientId }] : []),
      ]),
    });
  }
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
  // visibility is eventually consistent: wait until every execution is listed
  await eventually(
    async () => (await client.workflow.count(`TaskQueue = '${taskQueue}'`)).count === rows.length,
  );
});

afterAll(async () => {
  for (const id of ids.keys())
    await client.workflow
      .getHandle(id)
      .terminate('test over')
      .catch(() => {});
  await connection.close();
  for (const db of Object.values(databases)) await db.destroy();
});

describe.each(cases)('$who', ({ actor, sees }) => {
  test('the predicate gives the table', () => {
    const got = rows.filter((row) => canSee(actor, row)).map((row) => row.key);
    expect(got.sort()).toEqual([...sees].sort());
  });

  test('the visibility query gives the table', async () => {
    const query = `TaskQueue = '${taskQueue}' AND ${visibilityClause(visibleScope(actor))}`;
    const got: string[] = [];
    for await (const e of client.workflow.list({ query })) got.push(ids.get(e.workflowId)!);
    expect(got.sort()).toEqual([...sees].sort());
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
