/**
 * After a calendar update (a new State Council notice added to domain/policy/<pack>/calendar-data.ts and the
 * worker redeployed): count every open transfer's approximate deadlines again with the newest calendar.
 *   npx tsx scripts/recompute-deadlines.ts        (TEMPORAL_ADDRESS etc. as for npm start; the local dev server otherwise)
 */
import { Client, Connection } from '@temporalio/client';
import { parseConfig } from '../config';
import { dataConverterFor, loadKeyRing } from '../activities/crypto';
import { temporalConnectOptions } from '../worker';
import { recomputeDeadlinesUpdate } from '../workflows/messages';

async function main(): Promise<void> {
  const config = parseConfig();
  const { connectionOptions, namespace } = temporalConnectOptions(config);
  const connection = await Connection.connect(connectionOptions);
  // the workers' key ring: states and failures travel encrypted
  const dataConverter = dataConverterFor(loadKeyRing(config.dataDir, config.encryptionKeys));
  const client = new Client({ connection, namespace, dataConverter });
  let moved = 0;
  let unchanged = 0;
  try {
    for await (const wf of client.workflow.list({
      query: `WorkflowType = 'transferWorkflow' AND ExecutionStatus = 'Running'`,
    })) {
      try {
        await connection.withDeadline(Date.now() + 10_000, () =>
          client.workflow.getHandle(wf.workflowId).executeUpdate(recomputeDeadlinesUpdate),
        );
        moved++;
      } catch (err) {
        const type = (err as { cause?: { type?: string } }).cause?.type;
        if (type === 'conflict' || type === 'wrong-phase') unchanged++;
        else console.error(`${wf.workflowId}: ${(err as Error).message}`);
      }
    }
  } finally {
    await connection.close();
  }
  console.log(`recomputed ${moved} transfer(s); ${unchanged} already followed the newest calendar`);
}

main().catch((err: unknown) => {
  console.error((err as Error).message);
  process.exit(1);
});
