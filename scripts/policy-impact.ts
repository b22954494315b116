/**
 * Before moving open transfers to another policy version: which of them would get another route, other required
 * materials or other deadline lengths under it. Reads only (visibility and the state query); changes nothing.
 *   npm run policy:impact -- cn-2024@2024.1      (TEMPORAL_ADDRESS etc. as for npm start; the local dev server otherwise)
 * Exit 0: report printed; 1: Temporal unreachable or some transfer did not answer; 2: a malformed or unknown version.
 */
import { Client, Connection } from '@temporalio/client';
import { parseConfig } from '../config';
import { dataConverterFor, loadKeyRing } from '../activities/crypto';
import {
  parsePolicyRef,
  policyRef,
  policyVersions,
  resolvePolicy,
  type PolicyPack,
  type PolicyRef,
} from '../domain/policy';
import { describeImpact, policyImpact } from '../domain/policy/impact';
import type { TransferState } from '../domain/transfer';
import { temporalConnectOptions } from '../worker';
import { stateQuery, transferIdFromWorkflowId } from '../workflows/messages';

export interface ImpactRow {
  transferId: string;
  status: string;
  pinned: string;
  differences: string[];
}

export interface ImpactReport {
  target: string;
  /** open transfers of the target's pack */
  open: number;
  /** of those, pinned to the target version already */
  onTarget: number;
  /** pinned to another version, and nothing would differ */
  unaffected: number;
  /** pinned to another version, and something would differ */
  rows: ImpactRow[];
  /** open transfers of other packs (not compared) */
  otherPacks: number;
  /** transfers that did not answer the state query, or are pinned to a version this build does not hold */
  unreadable: { workflowId: string; reason: string }[];
}

export class UsageError extends Error {}

/** The target pack named by `<id>@<version>`; a UsageError (exit 2) when malformed or not released. */
export function targetPolicy(arg: string | undefined): PolicyPack {
  if (arg === undefined || arg.startsWith('-'))
    throw new UsageError('usage: npm run policy:impact -- <id>@<version>   (e.g. cn-2024@2024.1)');
  const ref = parsePolicyRef(arg);
  if (!ref) throw new UsageError(`${arg}: not <id>@<version> (e.g. cn-2024@2024.1)`);
  const pack = resolvePolicy(ref.id, ref.version);
  if (!pack) {
    const versions = policyVersions(ref.id);
    throw new UsageError(
      versions.includes(ref.version)
        ? `${arg}: released, but no transfer can be on it: this build does not carry ${ref.id} transfers through the workflow`
        : versions.length
          ? `${arg}: ${ref.id} has no released version ${ref.version}; released: ${versions.join(', ')}`
          : `${arg}: no policy pack ${ref.id}`,
    );
  }
  return pack;
}

export async function collectImpact(opts: {
  client: Client;
  taskQueue: string;
  target: PolicyPack;
  /** the pack a transfer pinned (tests pass their own versions) */
  resolve?: (ref: PolicyRef) => PolicyPack | undefined;
  queryTimeoutMs?: number;
}): Promise<ImpactReport> {
  const { client, target } = opts;
  const resolve = opts.resolve ?? ((ref: PolicyRef) => resolvePolicy(ref.id, ref.version));
  const report: ImpactReport = {
    target: policyRef(target),
    open: 0,
    onTarget: 0,
    unaffected: 0,
    rows: [],
    otherPacks: 0,
    unreadable: [],
  };
  const query = `WorkflowType = 'transferWorkflow' AND ExecutionStatus = 'Running' AND TaskQueue = '${opts.taskQueue.replace(/'/g, "''")}'`;
  for await (const wf of client.workflow.list({ query })) {
    let state: TransferState;
    try {
      state = await client.connection.withDeadline(Date.now() + (opts.queryTimeoutMs ?? 10_000), () =>
        client.workflow.getHandle(wf.workflowId).query(stateQuery),
      );
    } catch (err) {
      const cause = (err as { cause?: Error }).cause;
      report.unreadable.push({
        workflowId: wf.workflowId,
        reason: `${(err as Error).message}${cause ? `: ${cause.message}` : ''}`,
      });
      continue;
    }
    if (state.policy.id !== target.id) {
      report.otherPacks++;
      continue;
    }
    report.open++;
    if (state.policy.version === target.version) {
      report.onTarget++;
      continue;
    }
    const from = resolve(state.policy);
    if (!from) {
      report.unreadable.push({
        workflowId: wf.workflowId,
        reason: `pinned to ${policyRef(state.policy)}, which this build does not hold`,
      });
      continue;
    }
    const impact = policyImpact(state, from, target);
    if (!impact.differs) {
      report.unaffected++;
      continue;
    }
    report.rows.push({
      transferId: state.id || transferIdFromWorkflowId(wf.workflowId),
      status: state.status,
      pinned: policyRef(state.policy),
      differences: describeImpact(impact),
    });
  }
  report.rows.sort((a, b) => (a.transferId < b.transferId ? -1 : a.transferId > b.transferId ? 1 : 0));
  return report;
}

export function formatReport(r: ImpactReport): string {
  const lines = [
    `target ${r.target}: ${r.open} open transfer(s) of ${r.target.split('@')[0]}; ` +
      `${r.onTarget} already on it, ${r.unaffected} on another version with no difference, ` +
      `${r.rows.length} would differ` +
      (r.otherPacks ? `; ${r.otherPacks} of other packs not compared` : ''),
  ];
  if (r.rows.length === 0) lines.push('nothing to migrate');
  else {
    const header = { transferId: 'transfer', status: 'status', pinned: 'pinned' };
    const w = (k: keyof typeof header) => Math.max(header[k].length, ...r.rows.map((row) => row[k].length));
    const cells = (row: Pick<ImpactRow, keyof typeof header>, what: string) =>
      `${row.transferId.padEnd(w('transferId'))}  ${row.status.padEnd(w('status'))}  ${row.pinned.padEnd(w('pinned'))}  ${what}`;
    lines.push(cells(header, 'what differs'));
    for (const row of r.rows) {
      row.differences.forEach((d, i) =>
        lines.push(i === 0 ? cells(row, d) : cells({ transferId: '', status: '', pinned: '' }, d)),
      );
    }
  }
  for (const u of r.unreadable) lines.push(`not compared: ${u.workflowId}: ${u.reason}`);
  return lines.join('\n');
}

async function main(args: string[]): Promise<number> {
  const positional = args.filter((a) => a !== '--');
  if (positional.length !== 1) throw new UsageError('usage: npm run policy:impact -- <id>@<version>');
  const target = targetPolicy(positional[0]);
  const config = parseConfig();
  const { connectionOptions, namespace } = temporalConnectOptions(config);
  const connection = await Connection.connect(connectionOptions);
  // the workers' key ring: states travel encrypted
  const dataConverter = dataConverterFor(loadKeyRing(config.dataDir, config.encryptionKeys));
  const client = new Client({ connection, namespace, dataConverter });
  try {
    const report = await collectImpact({ client, taskQueue: config.taskQueue, target });
    console.log(formatReport(report));
    return report.unreadable.length > 0 ? 1 : 0;
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error((err as Error).message);
      process.exit(err instanceof UsageError ? 2 : 1);
    },
  );
}
