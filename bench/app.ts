/**
 * The xborder side of the benchmark, as its own process: the worker role and the API role (worker.ts
 * `createWorker`, api/server.ts `startApi`, which `npm start` runs as two child processes) together in one process,
 * so that its CPU and RSS are the app's; configured from the environment the bench sets (a free port, a fresh data
 * dir, the dev server's port, a task queue of its own). Sends `'ready'` over IPC once it answers; SIGTERM stops it.
 * Answers `'memory'` over IPC with its memory as this process sees it (see `AppMemory`).
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { parseConfig, type WorkerLimits } from '../config';
import { startApi } from '../api/server';
import { dataConverterFor, loadKeyRing } from '../activities/crypto';
import { openStore } from '../store';
import { createWorker, ensureReminderSchedule, temporalConnectOptions } from '../worker';

/** What the app reports about its memory (bench/run.ts prints it beside the RSS read from /proc). */
export interface AppMemory {
  memory: {
    /** the main thread's V8 heap (API, activities, the SDK's main side); the workflows run in their own thread */
    heapUsedMb: number;
    heapTotalMb: number;
    /** memory outside V8 heaps tied to JS objects (Buffers…) */
    externalMb: number;
    /** workflows in the worker's sticky cache */
    cachedWorkflows: number;
    /** the worker's memory bound as configured (config.ts `worker`) */
    limits: WorkerLimits;
  };
}

async function main(): Promise<void> {
  const config = parseConfig();
  const keyRing = loadKeyRing(config.dataDir, config.encryptionKeys);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, keyRing });
  const { connectionOptions, namespace } = temporalConnectOptions(config);
  const native = await NativeConnection.connect(connectionOptions);
  const connection = await Connection.connect(connectionOptions);
  const client = new Client({ connection, namespace, dataConverter: dataConverterFor(keyRing) });
  await ensureReminderSchedule(client, config.taskQueue);
  const worker = await createWorker({
    connection: native,
    client,
    namespace,
    taskQueue: config.taskQueue,
    store,
    keyRing,
    limits: config.worker,
  });
  const run = worker.run();
  process.on('message', (m) => {
    if (m !== 'memory') return;
    const u = process.memoryUsage();
    const mb = (n: number) => Math.round(n / 1048576);
    const answer: AppMemory = {
      memory: {
        heapUsedMb: mb(u.heapUsed),
        heapTotalMb: mb(u.heapTotal),
        externalMb: mb(u.external),
        cachedWorkflows: worker.getStatus().numCachedWorkflows,
        limits: config.worker,
      },
    };
    process.send?.(answer);
  });
  const api = await startApi(config);
  process.send?.('ready');
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    void (async () => {
      await api.stop();
      worker.shutdown();
      await run;
      await native.close();
      await connection.close();
      await store.close();
    })().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  console.error('bench app: failed to start:', err);
  process.exit(1);
});
