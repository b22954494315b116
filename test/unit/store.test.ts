/** The evidence store's guarantees the workflows lean on. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EvidenceStore } from '../../activities/store';

let dir: string;
let store: EvidenceStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'xborder-store-'));
  store = new EvidenceStore(dir);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('filing numbers', () => {
  test('issued once per transfer (a retried activity gets the same number), in sequence per year, without gaps', () => {
    const at = '2026-11-28T10:00:00.000Z';
    expect(store.issueFilingNumber('t1', 2026, at)).toBe('XB-2026-000001');
    expect(store.issueFilingNumber('t1', 2026, at)).toBe('XB-2026-000001');
    expect(store.issueFilingNumber('t2', 2026, at)).toBe('XB-2026-000002');
    expect(store.issueFilingNumber('t3', 2027, at)).toBe('XB-2027-000001');
    expect(store.issueFilingNumber('t2', 2027, at)).toBe('XB-2026-000002');
  });

  test('survive a restart of the store (a worker crash after the commit)', () => {
    store.issueFilingNumber('t1', 2026, '2026-11-28T10:00:00.000Z');
    store.close();
    store = new EvidenceStore(dir);
    expect(store.issueFilingNumber('t1', 2026, '2026-11-28T11:00:00.000Z')).toBe('XB-2026-000001');
    expect(store.issueFilingNumber('t9', 2026, '2026-11-28T11:00:00.000Z')).toBe('XB-2026-000002');
  });
});

describe('notifications outbox', () => {
  test('one row per key, whatever the retries; each audience reads its own', () => {
    const n = {
      key: 't1:deadline:0',
      transferId: 't1',
      audience: 'applicant' as const,
      applicantOrg: 'acme',
      recipientId: 'r1',
      kind: 'deadline.signature',
      message: 'lapsed',
      createdAt: '2026-11-28T10:00:00.000Z',
    };
    store.addNotification(n);
    store.addNotification(n);
    expect(store.notificationsFor({ sub: 'alice', role: 'applicant', org: 'acme' })).toHaveLength(1);
    expect(store.notificationsFor({ sub: 'bob', role: 'applicant', org: 'globex' })).toHaveLength(0);
    expect(store.notificationsFor({ sub: 'rita', role: 'reviewer', org: 'regulator' })).toHaveLength(0);
  });
});
