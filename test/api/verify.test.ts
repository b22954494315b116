/**
 * `npm run verify` compares each transfer's audit chain with what its workflow kept (the state query): a clean
 * transfer verifies; a phantom entry (a decision the workflow does not hold, appended to the chain) and a missing
 * one are named with the transfer; --offline skips the comparison; a workflow Temporal deleted leaves the
 * store-only result, said so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../store';
import { compareChain } from '../../domain/evidence-check';
import { stepEvidence } from '../../domain/step-evidence';
import { Driver } from '../drive';
import { eventually, runVerify, settled, startStack, type Stack } from '../helpers';

jest.setTimeout(180_000);

let stack: Stack;
let drive: Driver;
const dirs: string[] = [];

beforeAll(async () => {
  stack = await startStack();
  drive = new Driver(stack);
});
afterAll(async () => {
  await stack.stop();
  dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
});

/** A transfer at a point of its life, settled, its chain complete. */
async function reachRecorded(point: Parameters<Driver['reach']>[0]): Promise<string> {
  const id = await drive.reach(point);
  await settled(stack, id);
  await eventually(
    async () => compareChain(await stack.store.audit.chain(id), await stack.gateway.get(id)).ok,
  );
  return id;
}

let clean: string;

test('a transfer whose chain equals its decisions verifies, compared with its workflow', async () => {
  clean = await reachRecorded('awaiting_signature');
  const r = await runVerify(stack, [clean]);
  expect(r).toMatchObject({
    code: 0,
    out: expect.stringContaining("1 chain equals its workflow's decisions"),
  });
  expect(r.out).toMatch(/^verified: 1 transfer, \d+ audit entries/);
});

test('a phantom entry appended to the chain is named: transfer, entry, decision', async () => {
  const id = await reachRecorded('under_review');
  const facts = (await stack.store.audit.facts(id))!;
  const chain = await stack.store.audit.chain(id);
  // a decision the workflow does not hold: the review it never received
  await stack.store.audit.append(
    {
      transferId: id,
      applicantOrg: facts.applicantOrg,
      recipientId: facts.recipientId,
      status: facts.status,
      at: new Date().toISOString(),
    },
    [
      {
        key: 'd:0123456789abcdef0123456789abcdef',
        at: '2026-01-05T08:00:00.000Z',
        actor: 'rita',
        role: 'reviewer',
        action: 'review.complete',
        summary: 'review.complete',
      },
    ],
  );
  expect(await stack.store.audit.verify()).toMatchObject({ ok: true }); // a well-formed chain: only the workflow can tell
  const r = await runVerify(stack, ['--all']);
  expect(r.code).toBe(1);
  expect(r.out).toContain(
    `DIFFERS transfer ${id}: phantom entry ${chain.length + 1} (d:0123456789abcdef0123456789abcdef): review.complete by rita (reviewer) at 2026-01-05T08:00:00.000Z is in the chain, not in the workflow`,
  );
  expect(r.out).not.toContain(`DIFFERS transfer ${clean}`);
  expect((await runVerify(stack, [clean])).code).toBe(0);
  // --offline: the store alone, which is intact
  expect(await runVerify(stack, [id, '--offline'])).toMatchObject({
    code: 0,
    out: expect.stringContaining('not compared with the workflows (--offline)'),
  });
});

test('a decision the workflow kept whose entry is missing from a well-formed chain is named', async () => {
  // a store whose chain for `clean` was written without its third decision (every link intact)
  const dir = mkdtempSync(join(tmpdir(), 'xborder-verify-'));
  dirs.push(dir);
  const state = await stack.gateway.get(clean);
  const dropped = state.decisions[2]!;
  const partial = { ...state, decisions: state.decisions.filter((d) => d !== dropped) };
  const store = await openStore({ dataDir: dir, keyRing: stack.keyRing });
  const cursor = { decisions: 0, escalations: 0, notifiedDecisions: 0, tasks: '' };
  await store.recordStep(stepEvidence(partial, cursor, new Date().toISOString()).evidence);
  expect(await store.audit.verify()).toMatchObject({ ok: true });
  await store.close();

  const r = await runVerify(dir, [clean]);
  expect(r.code).toBe(1);
  expect(r.out).toContain(
    `DIFFERS transfer ${clean}: missing decision 3: ${dropped.action} by ${dropped.by} (${dropped.role}) at ${dropped.at}`,
  );
  expect(r.out).toContain('0 phantom, 1 missing');
});

test('a workflow Temporal deleted: said so, the store-only result kept', async () => {
  const id = await reachRecorded('withdrawn');
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
  const r = await runVerify(stack, [id]);
  expect(r).toMatchObject({
    code: 0,
    out: expect.stringContaining(`transfer ${id}: the workflow is gone (deleted after Temporal's retention)`),
  });
  expect(r.out).toContain('1 workflow gone (store only)');
});
