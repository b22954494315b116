/**
 * A worker process for the kill test (test/api/worker-kill.test.ts): the real worker, except that each evidence
 * write, once committed, announces itself on stdout and lingers — a window in which the test SIGKILLs the process;
 * so does the agreement rendering's first attempt (an activity, not local: `rendering`, then a minute's wait). A standby: loaded and
 * connected, it polls only once told to (`go` on stdin), so the time a replacement takes to load is not counted
 * in the recovery the test measures.
 * Args: <temporal address> <task queue> <data dir> <workflow bundle> <encryption keys>
 */
import { Context } from '@temporalio/activity';
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
      async renderAgreement(input) {
        if (Context.current().info.attempt === 1) {
          process.stdout.write('rendering\n');
          await new Promise((r) => setTimeout(r, 60_000));
        }
        return a.renderAgreement(input);
      },
    }),
  });
  process.stdout.write('loaded\n');
  await new Promise<void>((resolve) => {
    let input = '';
    process.stdin.on('data', (chunk: Buffer) => {
      input += chunk.toString();
      if (input.includes('go\n')) resolve();
    });
  });
  const running = worker.run();
  process.stdout.write('polling\n');
  await running;
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
