/**
 * npm run verify -- <transferId | --all> [--offline]
 * Re-verifies the evidence store: audit chains (every entry's hash from its content and the previous hash,
 * contiguous sequence numbers), the global head over all chains, and the stored documents against their
 * digests. Then, unless --offline, compares each transfer's chain with the decisions and escalations its workflow
 * kept (the state query, answered for closed workflows too; TEMPORAL_ADDRESS etc. as for npm start, the local dev
 * server otherwise): an entry for a decision the workflow does not hold (phantom), or a decision without its entry
 * (missing), is named. A workflow Temporal has deleted after its retention, or Temporal out of reach, leaves the
 * store-only result, and says so. Exits 1 naming the first broken link or difference, 2 on bad usage; 0 otherwise.
 */
import { Client, Connection, isGrpcServiceError } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/common';
import { openStore, type Store } from '../store';
import { parseConfig } from '../config';
import { dataConverterFor, loadKeyRing, type KeyRing } from '../activities/crypto';
import { compareChain, type ChainCheck } from '../domain/evidence-check';
import type { TransferState } from '../domain/transfer';
import { temporalConnectOptions } from '../worker';
import { stateQuery, workflowIdFor } from '../workflows/messages';

const USAGE = 'usage: npm run verify -- <transferId | --all> [--offline]';
const QUERY_TIMEOUT_MS = 10_000;
/** a running workflow may have applied a decision whose evidence is being written right now: look again */
const RUNNING_RECHECKS = 3;

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The store-only checks: chains, the global head, documents. A broken link ends it (`broken`). */
async function verifyStore(
  store: Store,
  ids: string[],
  documentIds: string[],
): Promise<{ broken: string } | { entries: number; global: number }> {
  let entries = 0;
  for (const id of ids) {
    const chain = await store.audit.verify(id);
    if (!chain.ok) return { broken: chain.broken };
    entries += chain.entries;
  }
  const global = await store.audit.verify();
  if (!global.ok) return { broken: global.broken };
  for (const id of documentIds) {
    const problem = await store.documents.check(id);
    if (problem) return { broken: `document ${id}: ${problem}` };
  }
  return { entries, global: global.entries };
}

type Comparison =
  | { kind: 'equal' }
  | { kind: 'differs'; check: Extract<ChainCheck, { ok: false }> }
  | { kind: 'gone' }
  | { kind: 'unanswered'; why: string };

const isNotFound = (err: unknown): boolean =>
  err instanceof WorkflowNotFoundError || (isGrpcServiceError(err) && Number(err.code) === 5);

/** One transfer's chain against its workflow's state (looked at again while a running workflow differs). */
async function compareWithWorkflow(client: Client, store: Store, id: string): Promise<Comparison> {
  const handle = client.workflow.getHandle(workflowIdFor(id));
  for (let attempt = 0; ; attempt++) {
    let state: TransferState;
    try {
      state = await client.connection.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () =>
        handle.query(stateQuery),
      );
    } catch (err) {
      if (isNotFound(err)) return { kind: 'gone' };
      return { kind: 'unanswered', why: (err as Error).message };
    }
    const check = compareChain(await store.audit.chain(id), state);
    if (check.ok) return { kind: 'equal' };
    if (attempt >= RUNNING_RECHECKS) return { kind: 'differs', check };
    const running = await handle
      .describe()
      .then((d) => d.status.name === 'RUNNING')
      .catch(() => false);
    if (!running) return { kind: 'differs', check };
    await pause(1_000);
  }
}

/** Whether any worker polled this workflow's task queue lately (a query needs one, for closed workflows too). */
async function workerPolls(client: Client, id: string): Promise<boolean> {
  try {
    const { taskQueue } = await client.workflow.getHandle(workflowIdFor(id)).describe();
    const res = await client.workflowService.describeTaskQueue({
      namespace: client.options.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: 1, // TASK_QUEUE_TYPE_WORKFLOW
    });
    return (res.pollers ?? []).length > 0;
  } catch {
    return false;
  }
}

/** Compare every chain with its workflow; returns the lines to print and whether any chain differs. */
async function compareAll(
  config: ReturnType<typeof parseConfig>,
  keyRing: KeyRing,
  store: Store,
  ids: string[],
): Promise<{ lines: string[]; differs: boolean; summary: string }> {
  const { connectionOptions, namespace } = temporalConnectOptions(config);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions, connectTimeout: '5 seconds' });
  } catch (err) {
    return {
      lines: [
        `Temporal is not reachable (${(err as Error).message}): chains not compared with the workflows (store-only result)`,
      ],
      differs: false,
      summary: 'not compared with the workflows (Temporal not reachable)',
    };
  }
  const client = new Client({ connection, namespace, dataConverter: dataConverterFor(keyRing) });
  const lines: string[] = [];
  let equal = 0;
  let gone = 0;
  let unanswered = 0;
  let differs = 0;
  try {
    for (const [n, id] of ids.entries()) {
      const result = await compareWithWorkflow(client, store, id);
      switch (result.kind) {
        case 'equal':
          equal++;
          break;
        case 'gone':
          gone++;
          lines.push(
            `transfer ${id}: the workflow is gone (deleted after Temporal's retention): its chain is verified from the store only`,
          );
          break;
        case 'differs':
          differs++;
          lines.push(
            `DIFFERS transfer ${id}: ${result.check.first}`,
            ...result.check.message.split('\n').map((l) => `  ${l}`),
          );
          break;
        case 'unanswered':
          unanswered++;
          lines.push(
            `transfer ${id}: the workflow did not answer its state query (${result.why}): not compared`,
          );
          if (!(await workerPolls(client, id))) {
            const rest = ids.length - n - 1;
            unanswered += rest;
            lines.push(
              `no worker polls the transfers' task queue (is the worker running?): ${rest} more transfer(s) not compared`,
            );
            return { lines, differs: differs > 0, summary: summaryOf() };
          }
      }
    }
    return { lines, differs: differs > 0, summary: summaryOf() };
  } finally {
    await connection.close();
  }

  function summaryOf(): string {
    const parts = [
      equal === 1
        ? `1 chain equals its workflow's decisions`
        : `${equal} chains equal their workflows' decisions`,
    ];
    if (differs) parts.push(`${differs} differ${differs === 1 ? 's' : ''}`);
    if (gone) parts.push(`${gone} workflow${gone === 1 ? '' : 's'} gone (store only)`);
    if (unanswered) parts.push(`${unanswered} not compared (no answer)`);
    return parts.join(', ');
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const offline = args.includes('--offline');
  const rest = args.filter((a) => a !== '--offline');
  const arg = rest[0];
  if (rest.length !== 1 || !arg || (arg !== '--all' && !/^[0-9a-f-]{36}$/.test(arg))) {
    console.error(USAGE);
    return 2;
  }
  const config = parseConfig();
  const keyRing = loadKeyRing(config.dataDir, config.encryptionKeys);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, keyRing });
  try {
    if (arg !== '--all' && !(await store.audit.facts(arg))) {
      const where = config.databaseUrl ? 'the PostgreSQL database' : config.dataDir;
      console.error(`verify: no audit trail for transfer ${arg} in ${where}`);
      return 1;
    }
    const ids = arg === '--all' ? await store.audit.transferIds() : [arg];
    const documentIds =
      arg === '--all'
        ? await store.documents.allIds()
        : (await store.documents.ofTransfer(arg)).map((d) => d.id);
    const result = await verifyStore(store, ids, documentIds);
    if ('broken' in result) {
      console.error(`BROKEN ${result.broken}`);
      return 1;
    }
    const stored = `verified: ${ids.length} transfer${ids.length === 1 ? '' : 's'}, ${result.entries} audit entries, the global head over ${result.global}, ${documentIds.length} documents`;
    if (offline || ids.length === 0) {
      console.log(offline ? `${stored}; not compared with the workflows (--offline)` : stored);
      return 0;
    }
    const compared = await compareAll(config, keyRing, store, ids);
    if (compared.differs) {
      compared.lines.forEach((l) => console.error(l));
      console.error(`the audit trail differs from what the workflows kept (${compared.summary})`);
      return 1;
    }
    console.log(`${stored}; ${compared.summary}`);
    compared.lines.forEach((l) => console.log(l));
    return 0;
  } finally {
    await store.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error((err as Error).message);
    process.exitCode = 1;
  },
);
