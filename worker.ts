/**
 * The worker role: runs transferWorkflow, the reminder sweep, the webhook deliveries and the activities, creates the
 * reminder schedule, and runs the loop that hands new webhook deliveries to Temporal (activities/webhooks.ts).
 * `npm run worker` runs one; `npm start` runs one as a child process beside the API process; at scale run N of
 * these against the cluster named by TEMPORAL_ADDRESS. The API (api/server.ts) never loads this file.
 */
import { backfillReadModel } from './activities/read-model';
import { Client, Connection, ScheduleAlreadyRunning } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker, type WorkerOptions } from '@temporalio/worker';
import { temporalConnectOptions } from './api/temporal-connection';
import { createActivities } from './activities';
import { dataConverterFor, loadKeyRing, type KeyRing } from './activities/crypto';
import { openStore, type Store } from './store';
import { setFlagsFromString } from 'node:v8';
import {
  DEFAULT_MAX_CACHED_WORKFLOWS,
  DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS,
  parseConfig,
  type WorkerLimits,
} from './config';
import { startTracing, TRACING_OFF, type Tracing } from './tracing';
import { runWebhookDeliveries } from './activities/webhooks';

export interface WorkerDeps {
  connection: NativeConnection;
  /** a client for activities that read transfers (the reminder sweep) */
  client?: Client;
  namespace: string;
  taskQueue: string;
  store: Store;
  /** a prebuilt bundle (tests); otherwise workflows are bundled from source */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** encrypts workflow payloads (activities/crypto.ts); without it payloads are plain (tools, fixtures) */
  keyRing?: KeyRing;
  /** fault injection for tests: wrap the activities (e.g. fail after the write, as a crash would) */
  wrapActivities?: (a: ReturnType<typeof createActivities>) => ReturnType<typeof createActivities>;
  /** OpenTelemetry (tracing.ts); a prebuilt bundle must hold WORKFLOW_TRACING_MODULE (on or off) */
  tracing?: Tracing;
  /** the memory bound (config.ts `worker`); unset: the configuration's defaults (100 cached, 40 at once, no heap cap) */
  limits?: WorkerLimits;
}

const DEFAULT_LIMITS: WorkerLimits = {
  maxCachedWorkflows: DEFAULT_MAX_CACHED_WORKFLOWS,
  maxConcurrentWorkflowTasks: DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS,
  workflowHeapMb: undefined,
};

/**
 * Tracing's interceptors and sink (TRACING_OFF: the workflow module and a sink that drops, so a run started traced
 * replays the same on every worker). A prebuilt bundle holds the workflow module already (bundled with it).
 */
function tracingOptions(deps: WorkerDeps): Partial<WorkerOptions> {
  const { interceptors, sinks } = (deps.tracing ?? TRACING_OFF).workerOptions;
  return {
    ...(interceptors
      ? { interceptors: deps.workflowBundle ? { ...interceptors, workflowModules: [] } : interceptors }
      : {}),
    ...(sinks ? { sinks } : {}),
  };
}

export function createWorker(deps: WorkerDeps): Promise<Worker> {
  const limits = deps.limits ?? DEFAULT_LIMITS;
  // The workflows run in a worker thread that Worker.create starts (the SDK passes it no resource limits): a V8
  // isolate takes its heap limit from the flags when it is created, so this caps that thread's heap, not the main
  // thread's (already created) — nor a workflow thread started before. A process-wide flag: the last worker created
  // sets it for the threads created after.
  if (limits.workflowHeapMb !== undefined)
    setFlagsFromString(`--max-old-space-size=${limits.workflowHeapMb}`);
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
    // a workflow's next task goes to the queue of the worker that ran the last one (its cache); if that worker is
    // gone, Temporal moves the task to the shared queue after this (the SDK's default: 10 s) — an update then waits
    // that long for a dead worker. A live worker takes a task within milliseconds.
    stickyQueueScheduleToStartTimeout: '3 seconds',
    // Memory: the sticky cache holds each recent transfer's workflow state (about 1.2–2 MB of RSS each); the SDK's
    // default sizes it from the V8 heap limit (≈ 2,300 here), so RSS grew with open transfers up to several GB. A
    // bounded cache keeps it flat: a transfer evicted (least recently used) replays its history on its next task
    // (BENCHMARKS.md, "Bounded memory"). The V8 context is shared by all workflows (reuseV8Context, the SDK's
    // default since 1.11: one workflow thread), which is what makes a cached workflow this cheap.
    maxCachedWorkflows: limits.maxCachedWorkflows,
    maxConcurrentWorkflowTaskExecutions: limits.maxConcurrentWorkflowTasks,
    ...(deps.keyRing ? { dataConverter: dataConverterFor(deps.keyRing) } : {}),
    activities: (deps.wrapActivities ?? ((a) => a))(
      createActivities({ store: deps.store, client: deps.client }),
    ),
    ...(deps.workflowBundle
      ? { workflowBundle: deps.workflowBundle }
      : { workflowsPath: require.resolve('./workflows') }),
    ...tracingOptions(deps),
  });
}

export const REMINDER_SCHEDULE_ID = 'xborder-reminder-sweep';

/** The hourly schedule that sweeps reminders before applicant deadlines; created once, kept if it exists. */
export async function ensureReminderSchedule(client: Client, taskQueue: string): Promise<void> {
  try {
    await client.schedule.create({
      scheduleId: REMINDER_SCHEDULE_ID,
      spec: { intervals: [{ every: '1 hour' }] },
      action: {
        type: 'startWorkflow',
        workflowType: 'reminderSweepWorkflow',
        taskQueue,
        workflowId: 'reminder-sweep',
      },
      policies: { overlap: 'SKIP' },
    });
  } catch (err) {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  }
}

/** Connection options for the configured Temporal (in api/temporal-connection.ts: the API uses it without this file). */
export { temporalConnectOptions };

/**
 * `npm run worker`: one worker process — the schedule bootstrap, then workflows and activities until SIGTERM or
 * SIGINT (the SDK's runtime shuts its workers down on those signals: tasks in hand finish, then polling stops).
 * Started by `npm start` (scripts/start.ts) with an IPC channel: it says when it polls, and stops when its parent
 * is gone (the channel closes even when the parent was SIGKILLed).
 */
async function main(): Promise<void> {
  const config = parseConfig();
  const sdkLevel = config.logLevel === 'debug' || config.logLevel === 'trace' ? 'DEBUG' : 'WARN';
  // under `npm start` the supervisor orders the stop (API first): a terminal's Ctrl-C to the group is not ours
  const supervised = process.send !== undefined;
  if (supervised) process.on('SIGINT', () => undefined);
  Runtime.install({
    logger: new DefaultLogger(sdkLevel),
    shutdownSignals: supervised
      ? ['SIGTERM', 'SIGQUIT', 'SIGUSR2']
      : ['SIGINT', 'SIGTERM', 'SIGQUIT', 'SIGUSR2'],
  });
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  const tracing = startTracing({
    serviceName: config.tracing.serviceName ?? 'xborder-worker',
    endpoint: config.tracing.endpoint,
  });
  const { connectionOptions, namespace } = temporalConnectOptions(config);
  const connection = await NativeConnection.connect(connectionOptions);
  const clientConnection = await Connection.connect(connectionOptions);
  const keyRing = loadKeyRing(config.dataDir, config.encryptionKeys);
  const client = new Client({
    connection: clientConnection,
    namespace,
    dataConverter: dataConverterFor(keyRing),
    interceptors: tracing.clientInterceptors,
  });
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, keyRing });
  try {
    await ensureReminderSchedule(client, config.taskQueue);
    const worker = await createWorker({
      connection,
      client,
      namespace,
      taskQueue: config.taskQueue,
      store,
      keyRing,
      tracing,
      limits: config.worker,
      // built ahead (XBORDER_WORKFLOW_BUNDLE): the worker polls within a second of its start
      ...(config.workflowBundlePath ? { workflowBundle: { codePath: config.workflowBundlePath } } : {}),
    });
    const running = worker.run();
    // transfers from before the read model get their rows (once; queries need this worker polling)
    void backfillReadModel(client, store, config.taskQueue)
      .then((n) => n > 0 && console.log(`read model: ${n} transfer(s) from before it filled in`))
      .catch((err: unknown) =>
        console.error('read model backfill failed (rows appear at each transfer’s next step):', err),
      );
    const { pollMs, ...policy } = config.webhooks;
    const stopWebhooks = runWebhookDeliveries({
      client,
      store,
      taskQueue: config.taskQueue,
      policy,
      intervalMs: pollMs,
      onError: (err) => console.error('xborder worker: webhook delivery round failed:', err),
    });
    console.log(`worker polling task queue ${config.taskQueue} (namespace ${namespace}), pid ${process.pid}`);
    process.send?.({ role: 'worker', state: 'polling' });
    try {
      await running;
    } finally {
      await stopWebhooks();
    }
  } finally {
    await connection.close();
    await clientConnection.close();
    await store.close();
    await tracing.shutdown();
  }
}

if (require.main === module) {
  main().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error('xborder worker:', err);
      process.exit(1);
    },
  );
}
