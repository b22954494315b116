/**
 * A worker process for the kill test (test/api/worker-kill.test.ts): the real worker, except that each evidence
 * write, once committed, announces itself on stdout and lingers — a window in which the test SIGKILLs the process.
 * Args: <temporal address> <task queue> <data dir> <workflow bundle> <encryption keys>
 */
import { NativeConnection } from '@temporalio/worker';
import { loadKeyRing } from '../../activities/crypto';
import { openStore } from '../../store';
import { createWorker } from '../../worker';

async function main(): Promise<void> {
  const [address, taskQueue, dir, bundle, keys] = process.argv.slice(2) as [
    string,
    string,
    string,
    string,
    string,
  ];
  const keyRing = loadKeyRing(dir, keys);
  // the stack's data: its dir, or its PostgreSQL database (test/helpers.ts dataEnv)
  const store = await openStore({ dataDir: dir, databaseUrl: process.env.XBORDER_DATABASE_URL, keyRing });
  const connection = await NativeConnection.connect({ address });
  const worker = await createWorker({
    connection,
    namespace: 'default',
    taskQueue,
    store,
    keyRing,
    workflowBundle: { codePath: bundle },
    wrapActivities: (a) => ({
      ...a,
      async recordEvidence(input) {
        const written = await a.recordEvidence(input);
        process.stdout.write(`written ${input.entries.map((e) => e.key).join(',')}\n`);
        await new Promise((r) => setTimeout(r, 3_000));
        return written;
      },
    }),
  });
  process.stdout.write('polling\n');
  await worker.run();
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
