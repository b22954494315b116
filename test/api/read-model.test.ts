/**
 * The transfer read model behind GET /v1/transfers and /v1/inbox: each step writes the transfer's row (the same
 * facts as its search attributes), and a store from before the read model is filled in from Temporal by the
 * worker's backfill — with the same rows the steps write.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { backfillReadModel } from '../../activities/read-model';
import { openStore, type Store } from '../../store';
import { Driver } from '../drive';
import { eventually, startStack, type Stack } from '../helpers';

let stack: Stack;
let drive: Driver;
let fresh: Store;
const dir = mkdtempSync(join(tmpdir(), 'xb-read-model-'));

beforeAll(async () => {
  stack = await startStack();
  drive = new Driver(stack);
  fresh = await openStore({ dataDir: dir });
});

afterAll(async () => {
  await fresh.close();
  await stack.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('every step writes the row; a store without rows is filled in with the same rows', async () => {
  const ids = {
    review: await drive.reach('under_review'),
    signing: await drive.reach('awaiting_signature'),
    active: await drive.reach('active'),
    terminated: await drive.reach('completeness_check'),
  };
  await stack.client.workflow.getHandle(`transfer-${ids.terminated}`).terminate('operator cleanup');

  // the steps' rows: each as its transfer's view says
  for (const [point, id] of Object.entries(ids)) {
    if (point === 'terminated') continue;
    const view = await drive.view(id);
    const row = await eventually(async () => {
      const r = await stack.store.transfers.get(id);
      return r?.status === view.status && r;
    });
    expect(row).toMatchObject({ transferId: id, phase: view.phase, applicantOrg: 'acme', closed: false });
    // awaited now, as the view says; or a task that opens with time alone (a report window), from `awaitedFrom`
    expect(row.awaitedFrom ? null : row.awaitingRole).toBe(view.awaiting[0]?.role ?? null);
  }
  expect((await stack.store.transfers.get(ids.signing))?.awaitingRole).toBe('recipient');
  expect(await stack.store.transfers.get(ids.active)).toMatchObject({
    status: 'active',
    awaitingRole: 'applicant', // the yearly report, once its window opens
    awaitedFrom: expect.any(String),
  });

  // a store from before the read model: the backfill writes the same rows, and marks the terminated one closed
  const written = await eventually(async () => {
    const n = await backfillReadModel(stack.client, fresh, stack.taskQueue);
    return n >= 4 && n;
  });
  expect(written).toBe(await stack.store.transfers.count());
  for (const id of Object.values(ids)) {
    const { closed: _closed, ...filled } = (await fresh.transfers.get(id))!;
    const { closed: _c, ...stepped } = (await stack.store.transfers.get(id))!;
    expect({ ...filled, updatedAt: stepped.updatedAt }).toEqual(stepped);
  }
  expect(await fresh.transfers.get(ids.terminated)).toMatchObject({
    status: 'completeness_check',
    closed: true,
  });
  // it runs once: a read model with rows is left as it is
  expect(await backfillReadModel(stack.client, fresh, stack.taskQueue)).toBe(0);
});
