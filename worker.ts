/**
 * The worker: runs transferWorkflow and the activities. `npm start` runs it in-process beside the API; at scale
 * run N of these (`npx tsx worker.ts`) against the cluster named by TEMPORAL_ADDRESS.
 */
import { Client, Connection, ScheduleAlreadyRunning } from '@temporalio/client';
import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import { createActivities } from './activities';
import { dataConverterFor, loadKeyRing, type KeyRing } from './activities/crypto';
import { openStore, type Store } from './store';
import { parseConfig } from './config';
import { startTracing, TRACING_OFF, type Tracing } from './tracing';

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
}

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
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue,
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

/** Connection options for the configured Temporal: envconfig for a cluster, the local dev server otherwise. */
export function temporalConnectOptions(config: ReturnType<typeof parseConfig>) {
  if (config.temporal.address) {
    const loaded = loadClientConnectConfig();
    return {
      connectionOptions: loaded.connectionOptions,
      namespace: loaded.namespace ?? config.temporal.namespace,
    };
  }
  return {
    connectionOptions: { address: `127.0.0.1:${config.temporal.devPort}` },
    namespace: config.temporal.namespace,
  };
}

async function main(): Promise<void> {
  const config = parseConfig();
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
    });
    await worker.run();
  } finally {
    await connection.close();
    await clientConnection.close();
    await store.close();
    await tracing.shutdown();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
