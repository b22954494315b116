/**
 * The baseline's worker, as its own process (so its CPU and memory are read apart from the xborder worker's):
 * bench/baseline-workflow.ts bundled for it, a no-op activity, plain payloads (no codec), SDK defaults otherwise.
 * Environment: BENCH_TEMPORAL_ADDRESS, BENCH_TASK_QUEUE. Sends `'ready'` over IPC once polling; SIGTERM stops it.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { BaselineActivities } from './baseline-workflow';

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const connection = await NativeConnection.connect({ address: process.env.BENCH_TEMPORAL_ADDRESS! });
  const activities: BaselineActivities = { benchActivity: (n) => Promise.resolve(n) };
  const worker = await Worker.create({
    connection,
    namespace: 'default',
    taskQueue: process.env.BENCH_TASK_QUEUE!,
    workflowsPath: require.resolve('./baseline-workflow'),
    activities,
  });
  const running = worker.run();
  process.send?.('ready');
  const stop = () => {
    if (worker.getState() === 'RUNNING') worker.shutdown();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
  await running;
  await connection.close();
  process.exit(0); // the IPC channel would keep the process alive
}

main().catch((err: unknown) => {
  console.error('bench baseline worker:', err);
  process.exit(1);
});
