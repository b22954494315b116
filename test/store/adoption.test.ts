/**
 * A data folder made by main before the data layer (test/store/legacy-data: SQLite tables created by the old
 * CREATE TABLE IF NOT EXISTS, encrypted document files) is adopted on first open: the first migration keeps
 * every row, later ones add what is new; documents, chains, filing numbers, notifications, keys and webhook
 * deliveries read as before, and new writes continue the sequences and the chains.
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parseKeyRing } from '../../activities/crypto';
import { openStore, type Store } from '../../store';
import { migrations } from '../../store/migrations';
import { webhookSigner } from '../../activities/webhooks';
import { TEST_ENCRYPTION_KEYS, applicant } from '../fixtures';

const T1 = '11111111-1111-4111-8111-111111111111';
const T2 = '22222222-2222-4222-8222-222222222222';
let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'xborder-legacy-'));
  cpSync(join(__dirname, 'legacy-data'), dir, { recursive: true });
  store = await openStore({ dataDir: dir, keyRing: parseKeyRing(TEST_ENCRYPTION_KEYS) });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

test('every migration ran once, on top of the tables main made', () => {
  const db = new Database(join(dir, 'evidence.sqlite'), { readonly: true });
  try {
    const names = (
      db.prepare('SELECT name FROM kysely_migration ORDER BY name').all() as { name: string }[]
    ).map((r) => r.name);
    expect(names).toEqual(Object.keys(migrations('sqlite')).sort());
    expect(names.slice(0, 3)).toEqual(['001_adopt_embedded_schema', '002_fleet', '003_transfer_read_model']);
  } finally {
    db.close();
  }
});

test('chains and the global head verify, with the facts main kept', async () => {
  expect(await store.audit.verify()).toEqual({ ok: true, entries: 8 });
  expect(await store.audit.verify(T1)).toEqual({ ok: true, entries: 4 });
  expect(await store.audit.transferIds()).toEqual([T1, T2]);
  expect(await store.audit.facts(T2)).toEqual({
    applicantOrg: 'acme',
    recipientId: 'eu-fulfil',
    status: 'active',
    application: { title: 'transfer 1' },
  });
  expect((await store.audit.chain(T1)).map((e) => e.action)).toEqual([
    'submit',
    'completeness.accept',
    'review.complete',
    'risk_decision.approve',
  ]);
});

test('documents (sealed files) read back and verify; their scope is kept', async () => {
  const docs = await store.documents.ofTransfer(T1);
  expect(docs).toHaveLength(2);
  for (const d of docs) expect(await store.documents.check(d.id)).toBeNull();
  const texts = await Promise.all(docs.map(async (d) => (await store.documents.read(d.id)).toString()));
  expect(texts.sort()).toEqual(['a PIPIA report', 'the signed agreement of 2026']);
  expect(await store.documents.canRead(applicant, docs[0]!.id)).toBe(true);
  expect(await store.documents.uploadedBy(docs[0]!.id, applicant)).toBe(true);
});

test('notifications, idempotency keys and webhook deliveries are there; nothing is fanned out twice', async () => {
  expect((await store.notifications.forActor(applicant)).map((n) => n.message)).toEqual([
    'transfer 1 approved',
    'transfer 0 approved',
  ]);
  expect(
    await store.idempotency.claimKey('alice', 'key-1', `submit:${T1}`, 'hash-1', '2026-03-01T00:00:00Z'),
  ).toBe(true);
  expect(
    await store.idempotency.claimKey('alice', 'key-1', `submit:${T2}`, 'hash-1', '2026-03-01T00:00:00Z'),
  ).toBe(false);
  expect(await store.idempotency.creation('alice', 'create-1')).toEqual({
    transferId: T1,
    bodyHash: 'hash-c',
  });
  expect(await store.webhooks.list()).toEqual([
    expect.objectContaining({ target: 'org:acme', updatedBy: 'ada' }),
  ]);
  expect(await store.webhooks.deliveries('pending')).toHaveLength(2);
  // main's pending deliveries are handed to Temporal by the worker's loop (005 added handed_at, empty), and the
  // secret main generated (not in whsec_ form) still signs: its characters are the key bytes
  const pending = await store.webhooks.unhanded();
  expect(pending).toHaveLength(2);
  const attempt = await store.webhooks.forAttempt(pending[0]!);
  expect(attempt?.secret).not.toMatch(/^whsec_/);
  expect(webhookSigner(attempt!.secret!).sign('1:org:acme', new Date(0), '{}')).toMatch(
    /^v1,[A-Za-z0-9+/]{43}=$/,
  );
  // main's cursor had passed both notifications: they are not fanned out again
  expect(await store.webhooks.fanOut(Date.now())).toBe(0);
});

test('new writes continue the filing sequence and the chains', async () => {
  expect(await store.filingNumbers.issue(T1, 2026, '2026-03-01T00:00:00Z')).toBe('XB-2026-000001');
  expect(
    await store.filingNumbers.issue('33333333-3333-4333-8333-333333333333', 2026, '2026-03-01T00:00:00Z'),
  ).toBe('XB-2026-000003');
  const added = await store.audit.append(
    {
      transferId: T1,
      applicantOrg: 'acme',
      recipientId: 'eu-fulfil',
      status: 'active',
      at: '2026-03-01T00:00:00Z',
    },
    [
      {
        key: 'd:new',
        at: '2026-03-01T00:00:00Z',
        actor: 'rita',
        role: 'reviewer',
        action: 'revoke',
        summary: 'revoke',
      },
    ],
  );
  expect(added).toBe(1);
  expect((await store.audit.chain(T1)).map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
  expect(await store.audit.verify()).toEqual({ ok: true, entries: 9 });
  await store.notifications.add({
    key: 'new',
    transferId: T1,
    audience: 'applicant',
    applicantOrg: 'acme',
    recipientId: 'eu-fulfil',
    kind: 'decision',
    message: 'revoked',
    createdAt: '2026-03-01T00:00:00Z',
  });
  expect((await store.notifications.forActor(applicant))[0]).toMatchObject({ id: 3, message: 'revoked' });
  expect(await store.webhooks.fanOut(Date.now())).toBe(1);
  expect(await store.webhooks.deliveries('pending')).toHaveLength(3);
});

test('a second open finds nothing to migrate and the same data', async () => {
  const again = await openStore({ dataDir: dir, keyRing: parseKeyRing(TEST_ENCRYPTION_KEYS) });
  try {
    expect(await again.audit.verify()).toEqual({ ok: true, entries: 9 });
  } finally {
    await again.close();
  }
});

test('processes that open one data dir together (npm start: the API and the worker) migrate it once', async () => {
  const fresh = mkdtempSync(join(tmpdir(), 'xborder-together-'));
  try {
    // every child opens at the same instant (after its own start-up), so their migrations overlap
    const at = Date.now() + 4_000;
    const open = `const { openStore } = require('./store'); setTimeout(() => openStore({ dataDir: ${JSON.stringify(fresh)} }).then((s) => s.close()).then(() => console.log('opened')), ${at} - Date.now())`;
    const runs = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<{ code: number | null; out: string }>((resolve) => {
            const child = spawn(join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx'), ['-e', open], {
              cwd: join(__dirname, '..', '..'),
            });
            let out = '';
            child.stdout.on('data', (c: Buffer) => (out += c.toString()));
            child.stderr.on('data', (c: Buffer) => (out += c.toString()));
            child.on('close', (code) => resolve({ code, out }));
          }),
      ),
    );
    for (const run of runs) expect(run).toEqual({ code: 0, out: 'opened\n' });
    const db = new Database(join(fresh, 'evidence.sqlite'), { readonly: true });
    try {
      const names = (db.prepare('SELECT name FROM kysely_migration').all() as { name: string }[]).map(
        (r) => r.name,
      );
      expect(names.sort()).toEqual(Object.keys(migrations('sqlite')).sort());
    } finally {
      db.close();
    }
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
});
