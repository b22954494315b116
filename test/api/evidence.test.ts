/**
 * Evidence that outlives Temporal: the audit chain written by the workflow's idempotent evidence activity, read
 * by GET /history and the evidence pack; still there after Temporal deleted the workflow; re-verified by
 * `npm run verify`, which names the first broken link when anything was altered.
 */
import { spelledDecision } from '../../domain/authz';
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openStore } from '../../store';
import { Driver, rita } from '../drive';
import {
  applicant,
  dataEnv,
  eventually,
  recipient,
  runVerify,
  settled,
  startStack,
  type Stack,
} from '../helpers';

jest.setTimeout(120_000);

let stack: Stack;
let drive: Driver;
/** activity attempts that wrote and then "crashed" before reporting, by transfer */
const crashes = new Map<string, number>();
let crashing = false;

beforeAll(async () => {
  stack = await startStack({
    wrapActivities: (a) => ({
      ...a,
      // the write lands, then the attempt dies before it can report: twice per call while `crashing`
      async recordEvidence(input) {
        const written = await a.recordEvidence(input);
        const key = `${input.facts.transferId}:${input.entries.map((e) => e.key).join(',')}`;
        const n = crashes.get(key) ?? 0;
        if (crashing && n < 2) {
          crashes.set(key, n + 1);
          throw new Error('worker died after the write');
        }
        return written;
      },
    }),
  });
  drive = new Driver(stack);
});
afterAll(async () => {
  await stack.stop();
});

const get = async (path: string, actor = rita) =>
  stack.call('GET', path, { token: await drive.token(actor) });

/**
 * The store alone (the comparison with the workflows is test/api/verify.test.ts's), in a child process this one
 * does not block: a blocked event loop lets the app's idle keep-alive sockets expire under the next request.
 */
const verifyCli = (target: Parameters<typeof dataEnv>[0], arg: string) =>
  runVerify(target, [arg, '--offline'], { temporal: false });

test('history and the evidence pack come from the store: chained, complete, verified', async () => {
  const id = await drive.reach('active');
  const history = await eventually(async () => {
    const res = await get(`/v1/transfers/${id}/history`);
    return res.body.entries?.some((e: { action: string }) => e.action === 'filing_number_issued') && res;
  });
  const entries = history.body.entries as {
    seq: number;
    action: string;
    hash: string;
    prevHash: string | null;
  }[];
  expect(entries.map((e) => e.seq)).toEqual(entries.map((_, i) => i + 1));
  entries.slice(1).forEach((e, i) => expect(e.prevHash).toBe(entries[i]!.hash));
  expect(entries.map((e) => e.action)).toEqual(
    expect.arrayContaining([
      'submit',
      'completeness.accept',
      'risk_decision.approve',
      'filing_decision.accept',
    ]),
  );

  const pack = await get(`/v1/transfers/${id}/evidence`, applicant);
  expect(pack.status).toBe(200);
  expect(pack.body).toMatchObject({
    transferId: id,
    status: 'active',
    workflowRetained: true,
    application: { exporter: { org: 'acme' } },
    verification: { ok: true, chain: { ok: true }, documents: { ok: true } },
  });
  expect(pack.body.decisions).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ action: 'completeness.accept', by: 'rita', role: 'reviewer' }),
    ]),
  );
  // materials, the rendered agreement and the signed copy, each with its digest
  expect(pack.body.documents.length).toBeGreaterThanOrEqual(8);
  for (const d of pack.body.documents) expect(d.id).toBe(`sha256:${d.digest}`);
  expect(pack.body.chain).toEqual(history.body.entries);
  expect((await get(`/v1/transfers/${id}/evidence`, recipient)).status).toBe(403);

  // decisions and new tasks reached the outbox of whom they concern
  const notes = (await get('/v1/notifications', applicant)).body.items.filter(
    (n: { transferId: string }) => n.transferId === id,
  );
  expect(notes.map((n: { kind: string }) => n.kind)).toEqual(expect.arrayContaining(['decision', 'task']));

  const cli = await verifyCli(stack, id);
  expect(cli).toMatchObject({ code: 0, out: expect.stringMatching(/^verified: 1 transfer/) });
});

test('a worker dying after each evidence write (twice per write): every entry is in the chain exactly once', async () => {
  const id = await drive.reach('risk_assessment');
  // a real restart first, with no evidence write in flight (stopping a worker while a local activity backs off
  // between attempts trips a panic inside the SDK's core in 1.24.0; see the closing note of issue 5)
  await settled(stack, id);
  await stack.stopWorker();
  await stack.startWorker();
  crashing = true;
  try {
    await drive.post(`/v1/transfers/${id}/risk-decision`, rita, { decision: 'approve' });
    const chain = await eventually(async () => {
      const c = await stack.store.audit.chain(id);
      return c.some((e) => e.action === 'risk_decision.approve') && c;
    });
    expect([...crashes.keys()].some((k) => k.startsWith(id))).toBe(true);
    const keys = chain.map((e) => e.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(chain.map((e) => e.seq)).toEqual(chain.map((_, i) => i + 1));
    const view = await drive.view(id);
    expect(chain.filter((e) => e.key.startsWith('d:')).map((e) => spelledDecision(e.action))).toEqual(
      view.decisions.map((d: { action: string }) => d.action),
    );
    expect(await stack.store.audit.verify(id)).toEqual({ ok: true, entries: chain.length });
  } finally {
    crashing = false;
  }
});

test('after Temporal deletes the closed workflow, history and evidence still answer from the store', async () => {
  const id = await drive.reach('withdrawn');
  await eventually(async () => (await stack.store.audit.facts(id))?.status === 'withdrawn');
  execFileSync(process.env.XB_TEST_CLI_PATH!, [
    'workflow',
    'delete',
    '--address',
    process.env.XB_TEST_TEMPORAL_ADDRESS!,
    '--workflow-id',
    `transfer-${id}`,
    '--yes',
  ]);
  await eventually(async () => {
    try {
      await stack.client.workflow.getHandle(`transfer-${id}`).describe();
      return false;
    } catch {
      return true;
    }
  }, 90_000);
  const history = await get(`/v1/transfers/${id}/history`, applicant);
  expect(history.status).toBe(200);
  expect(history.body.entries.map((e: { action: string }) => e.action)).toEqual(['submit', 'withdraw']);
  const pack = await get(`/v1/transfers/${id}/evidence`);
  expect(pack.body).toMatchObject({
    status: 'withdrawn',
    workflowRetained: false,
    application: { title: 'Order data to EU fulfilment' },
    verification: { ok: true },
  });
  // scoping still holds without the workflow
  expect(
    (await get(`/v1/transfers/${id}/history`, { sub: 'ray', role: 'reviewer', org: 'acme' })).status,
  ).toBe(404);
});

describe('tampering is found and named by npm run verify', () => {
  /** A fresh store with two transfers' chains and a document, copied per case so each case alters its own. */
  let pristine: string;
  let documentId: string;
  beforeAll(async () => {
    pristine = mkdtempSync(join(tmpdir(), 'xborder-evidence-'));
    const store = await openStore({ dataDir: pristine });
    const doc = await store.documents.put(
      Buffer.from('the signed agreement'),
      'text/plain',
      applicant,
      '2026-01-01T00:00:00Z',
    );
    documentId = doc.id;
    for (const t of ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222']) {
      await store.documents.link(t, [doc.id], 'acme', 'eu-fulfil');
      await store.audit.append(
        {
          transferId: t,
          applicantOrg: 'acme',
          recipientId: 'eu-fulfil',
          status: 'active',
          at: '2026-01-01T00:00:00Z',
        },
        ['submit', 'completeness.accept', 'review.complete', 'risk_decision.approve'].map((action, i) => ({
          key: `d:${i}`,
          at: `2026-01-0${i + 1}T00:00:00Z`,
          actor: i === 0 ? 'alice' : 'rita',
          role: i === 0 ? 'applicant' : 'reviewer',
          action,
          summary: action,
        })),
      );
    }
    await store.close(); // the last connection closed: the WAL is checkpointed into the file
  });
  afterAll(() => rmSync(pristine, { recursive: true, force: true }));

  /** a copy of the pristine data, altered behind the data layer's back (the SQLite file itself, or a document) */
  function tampered(alter: (db: Database.Database, dir: string) => void): string {
    const dir = mkdtempSync(join(tmpdir(), 'xborder-tampered-'));
    copyFileSync(join(pristine, 'evidence.sqlite'), join(dir, 'evidence.sqlite'));
    cpSync(join(pristine, 'documents'), join(dir, 'documents'), { recursive: true });
    const db = new Database(join(dir, 'evidence.sqlite'));
    alter(db, dir);
    db.close();
    return dir;
  }
  const T1 = '11111111-1111-4111-8111-111111111111';

  test('untouched data verifies', async () => {
    expect(await verifyCli(pristine, '--all')).toMatchObject({
      code: 0,
      out: expect.stringMatching(/^verified: 2 transfers, 8 audit entries/),
    });
  });

  test('one byte of an entry changed', async () => {
    const dir = tampered((db) =>
      db
        .prepare(
          "UPDATE audit_entries SET entry = replace(entry, 'rita', 'rito') WHERE transfer_id = ? AND seq = 2",
        )
        .run(T1),
    );
    expect(await verifyCli(dir, '--all')).toMatchObject({
      code: 1,
      out: expect.stringContaining(`transfer ${T1} entry 2: content does not match its hash`),
    });
    expect((await verifyCli(dir, T1)).code).toBe(1);
  });

  test('an entry deleted', async () => {
    const dir = tampered((db) =>
      db.prepare('DELETE FROM audit_entries WHERE transfer_id = ? AND seq = 3').run(T1),
    );
    expect(await verifyCli(dir, '--all')).toMatchObject({
      code: 1,
      out: expect.stringContaining(`transfer ${T1} entry 4: expected entry 3`),
    });
  });

  test('the last entry deleted (only the global head can tell)', async () => {
    const dir = tampered((db) =>
      db.prepare('DELETE FROM audit_entries WHERE transfer_id = ? AND seq = 4').run(T1),
    );
    expect(await verifyCli(dir, '--all')).toMatchObject({ code: 1, out: expect.stringMatching(/global/) });
  });

  test('two entries reordered', async () => {
    const dir = tampered((db) => {
      const swap = db.prepare('UPDATE audit_entries SET seq = ? WHERE transfer_id = ? AND seq = ?');
      db.transaction(() => {
        swap.run(-1, T1, 2);
        swap.run(2, T1, 3);
        swap.run(3, T1, -1);
      })();
    });
    expect(await verifyCli(dir, '--all')).toMatchObject({
      code: 1,
      out: expect.stringContaining(`transfer ${T1} entry 2`),
    });
  });

  test('a stored document altered', async () => {
    const dir = tampered((_s, d) => {
      const hex = documentId.slice('sha256:'.length);
      writeFileSync(join(d, 'documents', hex.slice(0, 2), hex), 'the altered agreement');
    });
    expect(await verifyCli(dir, '--all')).toMatchObject({
      code: 1,
      out: expect.stringContaining(`document ${documentId}`),
    });
  });
});
