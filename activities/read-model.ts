/**
 * Fills the transfer read model (store/transfers.ts) for transfers that ran before it existed: a data folder or
 * database from an older version holds evidence but no rows, and lists and inboxes read only rows. Run by the
 * worker at start (it needs workers to answer queries); does nothing once the read model holds any row.
 */
import type { Client } from '@temporalio/client';
import { transferRow } from '../domain/transfer-row';
import { isTerminal } from '../domain/lifecycle';
import type { Store } from '../store';
import { stateQuery, transferIdFromWorkflowId } from '../workflows/messages';

/** Returns how many rows it wrote (0 when the read model was not empty). */
export async function backfillReadModel(
  client: Client,
  store: Store,
  taskQueue: string,
  nowMs = Date.now(),
): Promise<number> {
  if ((await store.transfers.count()) > 0) return 0;
  const query = `WorkflowType = 'transferWorkflow' AND TaskQueue = '${taskQueue.replace(/'/g, "''")}'`;
  let written = 0;
  const done = new Set<string>();
  for await (const wf of client.workflow.list({ query })) {
    // a run continued as new is followed by its next run, listed on its own
    const status = wf.status.name;
    if (done.has(wf.workflowId) || status === 'CONTINUED_AS_NEW') continue;
    done.add(wf.workflowId);
    let state;
    try {
      state = await client.connection.withDeadline(Date.now() + 10_000, () =>
        client.workflow.getHandle(wf.workflowId, wf.runId).query(stateQuery),
      );
    } catch {
      continue; // e.g. a run past retention, or a version no worker holds: its next step writes its row
    }
    await store.transfers.upsert(transferRow(state, nowMs));
    if (status !== 'RUNNING' && !isTerminal(state.status))
      await store.transfers.markClosed([transferIdFromWorkflowId(wf.workflowId)]);
    written++;
  }
  return written;
}
