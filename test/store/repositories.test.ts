/**
 * The data layer's repositories, the same cases on both backends: SQLite (a file in a temp data dir) and a real
 * PostgreSQL (the run's server, a fresh database per case). Concurrency cases use two store instances (two
 * connection pools on PostgreSQL, two connections to one file on SQLite), as two processes would.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { parseKeyRing } from '../../activities/crypto';
import type { Dialect, InboxCursor, ListCursor, Store, StoreConfig } from '../../store';
import type { TransferRow } from '../../domain/transfer-row';
import { visibleScope } from '../../domain/authz';
import { DocumentIntegrityError, openStore } from '../../store';
import { TEST_ENCRYPTION_KEYS, applicant, otherApplicant, recipient, reviewer } from '../fixtures';
import { createTestDatabase, tempDir } from '../postgres';

const keyRing = parseKeyRing(TEST_ENCRYPTION_KEYS);
const dirs: string[] = [];
const opened: Store[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true }));
});

async function configFor(backend: Dialect): Promise<StoreConfig> {
  const dataDir = tempDir('xborder-store-');
  dirs.push(dataDir);
  return backend === 'postgres'
    ? { dataDir, databaseUrl: await createTestDatabase('repo'), keyRing }
    : { dataDir, keyRing };
}
async function open(config: StoreConfig): Promise<Store> {
  const s = await openStore(config);
  opened.push(s);
  return s;
}

const entry = (key: string, i: number) => ({
  key,
  at: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
  actor: 'rita',
  role: 'reviewer',
  action: 'review.note',
  summary: `entry ${key}`,
});
const facts = (transferId: string) => ({
  transferId,
  applicantOrg: 'acme',
  recipientId: 'eu-fulfil',
  status: 'under_review',
  at: '2026-01-01T00:00:00Z',
});

describe.each<Dialect>(['sqlite', 'postgres'])('%s', (backend) => {
  let config: StoreConfig;
  let store: Store;
  beforeEach(async () => {
    config = await configFor(backend);
    store = await open(config);
    expect(store.backend).toBe(backend);
  });

  test('documents: sealed at rest, read back by digest, scoped to uploader and parties; altered bytes are an integrity error', async () => {
    const bytes = Buffer.from('the signed agreement');
    const meta = await store.documents.put(bytes, 'text/plain', applicant, '2026-01-01T00:00:00Z');
    expect(meta).toMatchObject({ id: expect.stringMatching(/^sha256:[0-9a-f]{64}$/), size: bytes.length });
    // the same bytes again: one document, a second uploader
    expect((await store.documents.put(bytes, 'text/plain', otherApplicant, '2026-01-02T00:00:00Z')).id).toBe(
      meta.id,
    );
    expect(await store.documents.read(meta.id)).toEqual(bytes);
    expect(await store.documents.check(meta.id)).toBeNull();
    expect(await store.documents.canRead(applicant, meta.id)).toBe(true);
    expect(await store.documents.canRead(reviewer, meta.id)).toBe(false);
    await store.documents.link('t1', [meta.id], 'acme', 'eu-fulfil');
    expect(await store.documents.canRead(reviewer, meta.id)).toBe(true);
    // the recipient reads the agreement, not what an applicant uploaded
    expect(await store.documents.canRead(recipient, meta.id)).toBe(false);
    expect((await store.documents.ofTransfer('t1')).map((d) => d.id)).toEqual([meta.id]);
    expect(await store.documents.attachable([meta.id, 'sha256:00'], 'acme')).toEqual({
      unknown: ['sha256:00'],
      foreign: [],
    });
    expect(await store.documents.uploadedBy(meta.id, applicant)).toBe(true);

    // another process reads it (on PostgreSQL the bytes are in the database: any machine)
    const other = await open(config);
    expect(await other.documents.read(meta.id)).toEqual(bytes);

    // one byte of the sealed bytes altered where they rest (flipped: setting it to 0 left it as it was when it
    // was 0 already, one run in 256)
    const hex = meta.id.slice('sha256:'.length);
    if (backend === 'postgres') {
      const client = new pg.Client({ connectionString: config.databaseUrl });
      await client.connect();
      await client.query(
        'UPDATE document_blobs SET bytes = set_byte(bytes, length(bytes) - 1, get_byte(bytes, length(bytes) - 1) # 255) WHERE id = $1',
        [hex],
      );
      await client.end();
    } else {
      writeFileSync(join(config.dataDir, 'documents', hex.slice(0, 2), hex), 'the altered agreement');
    }
    await expect(store.documents.read(meta.id)).rejects.toBeInstanceOf(DocumentIntegrityError);
    expect(await store.documents.check(meta.id)).toBe('altered: does not match its digest');
    expect(await store.documents.check('sha256:' + '0'.repeat(64))).toBe('missing or unreadable');
  });

  test('audit chains: concurrent appends from two store instances make one consistent chain per transfer and one global head', async () => {
    const other = await open(config);
    const transfers = ['t1', 't2', 't3'];
    const writes = Array.from({ length: 60 }, (_, i) => {
      const s = i % 2 === 0 ? store : other;
      const t = transfers[i % transfers.length]!;
      // each entry written twice (a retry, from the other instance): it lands once
      return [
        s.audit.append(facts(t), [entry(`k${i}`, i)]),
        (s === store ? other : store).audit.append(facts(t), [entry(`k${i}`, i)]),
      ];
    }).flat();
    const added = await Promise.all(writes);
    expect(added.reduce((a, b) => a + b, 0)).toBe(60);
    expect(await store.audit.verify()).toEqual({ ok: true, entries: 60 });
    for (const t of transfers) {
      const chain = await other.audit.chain(t);
      expect(chain.map((e) => e.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect(await store.audit.verify(t)).toEqual({ ok: true, entries: 20 });
    }
    expect(await store.audit.transferIds()).toEqual(transfers);
    expect(await store.audit.facts('t1')).toMatchObject({ applicantOrg: 'acme', status: 'under_review' });
  });

  test('recordStep writes documents, entries and notifications once, and older facts never overwrite newer ones', async () => {
    const step = {
      facts: { ...facts('t1'), status: 'approved', progress: 3 },
      entries: [entry('a', 1), entry('b', 2)],
      documentIds: ['sha256:doc'],
      notifications: [
        {
          key: 't1:n1',
          transferId: 't1',
          audience: 'applicant' as const,
          applicantOrg: 'acme',
          recipientId: 'eu-fulfil',
          kind: 'decision',
          message: 'approved',
          createdAt: '2026-01-01T00:00:00Z',
        },
      ],
    };
    expect(await store.recordStep(step)).toBe(2);
    expect(await store.recordStep(step)).toBe(0);
    expect(
      await store.recordStep({ ...step, facts: { ...step.facts, status: 'under_review', progress: 1 } }),
    ).toBe(0);
    expect(await store.audit.facts('t1')).toMatchObject({ status: 'approved' });
    expect(await store.notifications.forActor(applicant)).toHaveLength(1);
    expect(await store.audit.verify()).toEqual({ ok: true, entries: 2 });
  });

  test('filing numbers: unique and gap-free per year with concurrent issuers in two store instances; a retry gets its number', async () => {
    const other = await open(config);
    const ids = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const issued = await Promise.all(
      ids.flatMap((id, i) => [
        (i % 2 ? store : other).filingNumbers.issue(id, 2026, '2026-03-01T00:00:00Z'),
        (i % 2 ? other : store).filingNumbers.issue(id, 2026, '2026-03-01T00:00:00Z'), // the same transfer, retried
      ]),
    );
    for (let i = 0; i < ids.length; i++) expect(issued[2 * i]).toBe(issued[2 * i + 1]);
    const numbers = issued.filter((_, i) => i % 2 === 0).sort();
    expect(numbers).toEqual(ids.map((_, i) => `XB-2026-${String(i + 1).padStart(6, '0')}`));
    expect((await store.filingNumbers.ofYear(2026)).map((r) => r.seq)).toEqual(ids.map((_, i) => i + 1));
    expect(await other.filingNumbers.issue('next-year', 2027, '2027-01-01T00:00:00Z')).toBe('XB-2027-000001');
    expect(await other.filingNumbers.issue('t3', 2027, '2027-01-01T00:00:00Z')).toBe(issued[6]);
  });

  test('register numbers (a pack without a regulator filing): gap-free per series and year under two issuers, once per transfer, apart from filing numbers', async () => {
    const other = await open(config);
    const ids = Array.from({ length: 12 }, (_, i) => `eu${i}`);
    const issued = await Promise.all(
      ids.flatMap((id, i) => [
        (i % 2 ? store : other).filingNumbers.issueRegister(id, 'EU-GDPR', 2026, '2026-03-01T00:00:00Z'),
        (i % 2 ? other : store).filingNumbers.issueRegister(id, 'EU-GDPR', 2026, '2026-03-01T00:00:00Z'),
      ]),
    );
    for (let i = 0; i < ids.length; i++) expect(issued[2 * i]).toBe(issued[2 * i + 1]);
    expect(issued.filter((_, i) => i % 2 === 0).sort()).toEqual(
      ids.map((_, i) => `EU-GDPR-2026-${String(i + 1).padStart(6, '0')}`),
    );
    // another series and another year count on their own; filing numbers are untouched
    expect(await other.filingNumbers.issueRegister('x1', 'OTHER', 2026, '2026-03-01T00:00:00Z')).toBe(
      'OTHER-2026-000001',
    );
    expect(await store.filingNumbers.issueRegister('y1', 'EU-GDPR', 2027, '2027-01-01T00:00:00Z')).toBe(
      'EU-GDPR-2027-000001',
    );
    expect(await store.filingNumbers.issue('f1', 2026, '2026-03-01T00:00:00Z')).toBe('XB-2026-000001');
  });

  test('filing numbers survive a reopen of the store (a worker crash after the commit)', async () => {
    expect(await store.filingNumbers.issue('t1', 2026, '2026-11-28T10:00:00.000Z')).toBe('XB-2026-000001');
    await store.close();
    opened.splice(opened.indexOf(store), 1);
    store = await open(config);
    expect(await store.filingNumbers.issue('t1', 2026, '2026-11-28T11:00:00.000Z')).toBe('XB-2026-000001');
    expect(await store.filingNumbers.issue('t9', 2026, '2026-11-28T11:00:00.000Z')).toBe('XB-2026-000002');
  });

  test('idempotency claims: the first claim wins; the same key for something else is refused', async () => {
    const at = '2026-01-01T00:00:00Z';
    expect(await store.idempotency.claimKey('alice', 'k1', 'submit:t1', 'h1', at)).toBe(true);
    expect(await store.idempotency.claimKey('alice', 'k1', 'submit:t1', 'h1', at)).toBe(true);
    expect(await store.idempotency.claimKey('alice', 'k1', 'submit:t2', 'h1', at)).toBe(false);
    expect(await store.idempotency.claimKey('alice', 'k1', 'submit:t1', 'h2', at)).toBe(false);
    expect(await store.idempotency.claimKey('bob', 'k1', 'submit:t2', 'h1', at)).toBe(true);
    const claims = await Promise.all(
      ['c1', 'c2', 'c3'].map((id) => store.idempotency.claimCreation('alice', 'create-1', 'hb', id, at)),
    );
    expect(claims.filter((c) => c.fresh)).toHaveLength(1);
    expect(new Set(claims.map((c) => c.transferId)).size).toBe(1);
    expect(await store.idempotency.creationsBy('alice')).toEqual([
      { key: 'create-1', transferId: claims[0]!.transferId },
    ]);
  });

  test('outbox: one row per key; each audience reads its own', async () => {
    const n = {
      key: 't1:deadline:0',
      transferId: 't1',
      audience: 'applicant' as const,
      applicantOrg: 'acme',
      recipientId: 'eu-fulfil',
      kind: 'deadline.signature',
      message: 'lapsed',
      createdAt: '2026-11-28T10:00:00.000Z',
    };
    await Promise.all([store.notifications.add(n), store.notifications.add(n)]);
    await store.notifications.add({ ...n, key: 't1:r', audience: 'recipient' });
    await store.notifications.add({ ...n, key: 't1:v', audience: 'reviewer' });
    expect(await store.notifications.forActor(applicant)).toEqual([
      expect.objectContaining({ key: n.key, id: expect.any(Number) }),
    ]);
    expect(await store.notifications.forActor(otherApplicant)).toEqual([]);
    expect((await store.notifications.forActor(recipient)).map((r) => r.key)).toEqual(['t1:r']);
    expect((await store.notifications.forActor(reviewer)).map((r) => r.key)).toEqual(['t1:v']);
    expect(await store.notifications.forActor({ sub: 'ray', role: 'reviewer', org: 'acme' })).toEqual([]);
  });

  test('webhook deliveries: fanned out per concerned target once, handed to Temporal once, retried, then dead', async () => {
    const at = '2026-01-01T00:00:00Z';
    await store.webhooks.register('org:acme', 'http://127.0.0.1:1/hook', 'ada', at, 's'.repeat(32));
    await store.webhooks.register('recipient:eu-fulfil', 'http://127.0.0.1:1/r', 'ada', at);
    expect((await store.webhooks.list()).map((w) => w.target)).toEqual(['org:acme', 'recipient:eu-fulfil']);
    const base = {
      transferId: 't1',
      applicantOrg: 'acme',
      recipientId: 'eu-fulfil',
      kind: 'k',
      message: 'm',
      createdAt: at,
    };
    await store.notifications.add({ ...base, key: 'a', audience: 'applicant' });
    await store.notifications.add({ ...base, key: 'b', audience: 'recipient' });
    await store.notifications.add({ ...base, key: 'c', audience: 'applicant', applicantOrg: 'globex' });
    const other = await open(config);
    const fanned = await Promise.all([store.webhooks.fanOut(1000), other.webhooks.fanOut(1000)]);
    expect(fanned[0] + fanned[1]).toBe(3);
    expect(await store.webhooks.fanOut(1000)).toBe(0);
    const pending = await store.webhooks.deliveries('pending');
    expect(pending.map((d) => d.target).sort()).toEqual(['org:acme', 'recipient:eu-fulfil']);

    // the worker loop's view: pending and not yet handed to Temporal, the same from every process until handed
    const unhanded = await other.webhooks.unhanded();
    expect(unhanded).toEqual(
      (await store.webhooks.unhanded()).map((d) => ({ notificationId: d.notificationId, target: d.target })),
    );
    expect(unhanded.map((d) => d.target).sort()).toEqual(['org:acme', 'recipient:eu-fulfil']);
    await Promise.all(unhanded.map((d) => store.webhooks.markHanded(d, at)));
    await other.webhooks.markHanded(unhanded[0]!, at);
    expect(await other.webhooks.unhanded()).toEqual([]);

    const acme = unhanded.find((d) => d.target === 'org:acme')!;
    expect(await store.webhooks.forAttempt(acme)).toMatchObject({
      status: 'pending',
      url: 'http://127.0.0.1:1/hook',
      secret: 's'.repeat(32),
      attempts: 0,
      notification: { transferId: 't1', audience: 'applicant', kind: 'k', message: 'm' },
    });
    expect(await store.webhooks.forAttempt({ notificationId: 999_999, target: 'org:acme' })).toBeUndefined();
    // a generated secret has Standard Webhooks' form
    const eu = unhanded.find((d) => d.target !== 'org:acme')!;
    expect((await store.webhooks.forAttempt(eu))!.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);

    await store.webhooks.recordAttempt(acme, {
      delivered: false,
      attempts: 1,
      error: 'ECONNREFUSED',
      dead: false,
    });
    await store.webhooks.markDead(acme, 'no attempt completed'); // keeps the last attempt's error
    await store.webhooks.recordAttempt(eu, { delivered: true, attempts: 1, at });
    await store.webhooks.markDead(eu, 'no attempt completed'); // a delivered one stays delivered
    // a failure recorded after the dead letter changes nothing
    await store.webhooks.recordAttempt(acme, { delivered: false, attempts: 9, error: 'late', dead: false });
    expect(await store.webhooks.deliveries('dead')).toEqual([
      expect.objectContaining({
        target: 'org:acme',
        attempts: 1,
        lastError: 'ECONNREFUSED',
        transferId: 't1',
      }),
    ]);
    expect(await store.webhooks.deliveries('delivered')).toEqual([
      expect.objectContaining({ target: 'recipient:eu-fulfil', deliveredAt: at }),
    ]);
    expect(await store.webhooks.remove('org:acme')).toBe(true);
    expect(await store.webhooks.remove('org:acme')).toBe(false);
  });

  test('transfer read model: upserts keep the newest step, pages follow the keyset without gaps or repeats', async () => {
    const row = (i: number, over: Partial<TransferRow> = {}): TransferRow => ({
      transferId: `t${String(i).padStart(3, '0')}`,
      status: i % 3 === 0 ? 'active' : 'under_review',
      phase: i % 3 === 0 ? 'supervision' : 'substantive_review',
      route: 'standard_contract',
      country: 'DE',
      applicantOrg: i % 2 ? 'acme' : 'globex',
      recipientId: 'eu-fulfil',
      riskLevel: 'low',
      awaitingRole: i % 3 === 0 ? null : 'reviewer',
      awaitingAction: i % 3 === 0 ? null : 'review',
      awaitedFrom: null,
      // deadlines in reverse order of the ids, some rows without one
      nextDeadline: i % 5 === 4 ? null : `2026-02-${String(28 - i).padStart(2, '0')}T16:00:00.000Z`,
      overdue: false,
      title: `transfer ${i}`,
      // several rows share an instant: the id breaks the tie
      createdAt: `2026-01-01T00:00:${String(Math.floor(i / 4)).padStart(2, '0')}.000Z`,
      updatedAt: '2026-01-02T00:00:00.000Z',
      progress: 1,
      ...over,
    });
    for (let i = 0; i < 25; i++) await store.transfers.upsert(row(i));
    await store.transfers.upsert(row(5, { status: 'approved', progress: 4 }));
    await store.transfers.upsert(row(5, { status: 'under_review', progress: 2 })); // an older step, late
    expect(await store.transfers.get('t005')).toMatchObject({ status: 'approved', progress: 4 });
    await store.transfers.upsert(row(5, { status: 'under_review', progress: 4 })); // the same step again: kept
    expect(await store.transfers.get('t005')).toMatchObject({ status: 'under_review' });
    const now = '2026-02-01T00:00:00.000Z';
    const everyone = visibleScope({ sub: 'r', role: 'reviewer', org: 'cac' });

    const seen: string[] = [];
    let after: ListCursor | undefined;
    for (;;) {
      const page = await store.transfers.list(everyone, {}, { limit: 4, now, ...(after ? { after } : {}) });
      seen.push(...page.items.map((v) => v.transferId));
      if (!page.next) break;
      after = page.next;
    }
    expect(seen).toHaveLength(25);
    expect(new Set(seen).size).toBe(25);
    expect(seen[0]).toBe('t024');
    const acme = await store.transfers.list(
      visibleScope({ sub: 'a', role: 'applicant', org: 'acme' }),
      { awaitingRole: 'reviewer' },
      { limit: 100, now },
    );
    expect(acme.items.every((v) => v.applicantOrg === 'acme' && v.awaitingRole === 'reviewer')).toBe(true);
    expect(acme.items.map((v) => v.transferId)).toEqual(
      Array.from({ length: 25 }, (_, i) => i)
        .filter((i) => i % 2 === 1 && i % 3 !== 0)
        .map((i) => `t${String(i).padStart(3, '0')}`)
        .reverse(),
    );

    // the inbox: overdue first, then the nearest deadline (none last), then id; a task not yet open is not offered,
    // nor one whose execution was closed
    await store.transfers.upsert(row(7, { overdue: true, progress: 2 }));
    await store.transfers.upsert(row(8, { awaitedFrom: '2026-03-01T00:00:00.000Z', progress: 2 }));
    await store.transfers.markClosed(['t010']);
    const inbox: string[] = [];
    let at: InboxCursor | undefined;
    for (;;) {
      const page = await store.transfers.inbox(
        everyone,
        'reviewer',
        {},
        { limit: 3, now, ...(at ? { after: at } : {}) },
      );
      inbox.push(...page.items.map((v) => v.transferId));
      if (!page.next) break;
      at = page.next;
    }
    const waiting = Array.from({ length: 25 }, (_, i) => i).filter(
      (i) => i % 3 !== 0 && i !== 7 && i !== 8 && i !== 10,
    );
    const due = (i: number) => (i % 5 === 4 ? 99 : 28 - i);
    expect(inbox).toEqual([
      't007',
      ...waiting.sort((x, y) => due(x) - due(y) || x - y).map((i) => `t${String(i).padStart(3, '0')}`),
    ]);
    expect(await store.transfers.get('t010')).toMatchObject({ closed: true });
    await store.transfers.upsert(row(10, { progress: 3 })); // a run that writes again (an operator's reset) is open
    expect(await store.transfers.get('t010')).toMatchObject({ closed: false });
    const overdue = await store.transfers.list(everyone, { overdue: true }, { limit: 100, now });
    // t007 by its flag; rows whose deadline passed by `now` (2026-02-01) too: 28 - i < 1 never, so only t007
    expect(overdue.items.map((v) => v.transferId)).toEqual(['t007']);
  });
});
