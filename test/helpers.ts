/** A real stack for a test file: the shared dev server, a worker on its own task queue, the app on a port. */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, WorkflowNotFoundError } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import pino, { type Logger } from 'pino';
import { openStore, type Dialect, type Store } from '../store';
import { createTestDatabase } from './postgres';
import { AesGcmPayloadCodec, dataConverterFor, loadKeyRing, type KeyRing } from '../activities/crypto';
import { createApp } from '../api/app';
import { connectDraining } from '../api/temporal-connection';
import { createVerifier, mintToken } from '../api/auth';
import { CONSOLE_DIST } from '../api/server';
import type { OidcConfig } from '../config';
import { TransferGateway } from '../api/temporal';
import type { Actor } from '../domain/authz';
import { createWorker, type WorkerDeps } from '../worker';
import { contractChecker } from './contract';
import { isTerminal } from '../domain/lifecycle';
import { stateQuery } from '../workflows/messages';
import { TEST_ENCRYPTION_KEYS } from './fixtures';
import type { Tracing } from '../tracing';
import { runWebhookDeliveries, type WebhookDeliveryPolicy } from '../activities/webhooks';

/** Webhook delivery in test stacks: quick retries, a loop every 300 ms (startStack's `webhooks` overrides it). */
export const TEST_WEBHOOKS: WebhookDeliveryPolicy & { pollMs: number } = {
  initialIntervalMs: 100,
  maximumIntervalMs: 1_000,
  maximumAttempts: 3,
  timeoutMs: 2_000,
  pollMs: 300,
};

export const SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface Stack {
  base: string;
  /** the evidence store's data directory (SQLite; with PostgreSQL: the key ring and secrets) */
  dir: string;
  /** the data layer's backend */
  database: Dialect;
  /** PostgreSQL: this stack's own database on the run's server */
  databaseUrl: string | undefined;
  keyRing: KeyRing;
  client: Client;
  gateway: TransferGateway;
  store: Store;
  taskQueue: string;
  /** the in-process worker (none with `externalWorker`: reading it throws) */
  worker: Worker;
  token(actor: Actor): Promise<string>;
  /** fetch against the app with a JSON body and a bearer token */
  call(
    method: string,
    path: string,
    opts?: { token?: string; body?: unknown; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any; headers: Headers }>;
  /** stops the worker and its webhook loop */
  stopWorker(): Promise<void>;
  /** a new worker (and webhook loop) on the same task queue (after stopWorker) */
  startWorker(): Promise<void>;
  /** responses so far that contradict /openapi.json (stop() fails the file when there are any) */
  contractViolations: string[];
  stop(): Promise<void>;
}

export async function startStack(
  opts: {
    updateTimeoutMs?: number;
    rateLimit?: { perIdentity: number; perIp: number };
    wrapActivities?: WorkerDeps['wrapActivities'];
    /** no in-process worker: the test runs its own (e.g. in a child process it kills); startWorker still starts one */
    externalWorker?: boolean;
    /**
     * the app's token verifier instead of HS256 with SECRET (e.g. an OIDC provider's JWKS, as npm start builds it
     * in JWKS mode): dev sign-in is then off, as it is there, and `stack.token` mints tokens this app refuses
     */
    verify?: (token: string) => Promise<Actor>;
    /** the console's "Sign in with your organisation" (GET /v1/console/config) */
    oidc?: OidcConfig;
    /** OpenTelemetry for the client and the worker (tracing.ts; the run's bundle holds its workflow module) */
    tracing?: Tracing;
    /** the app's logger (silent otherwise) */
    logger?: Logger;
    /** the data layer's backend: SQLite in the stack's dir, or a fresh database on the run's PostgreSQL */
    database?: Dialect;
    /** webhook delivery: the retry policy and the worker loop's interval (TEST_WEBHOOKS otherwise) */
    webhooks?: Partial<WebhookDeliveryPolicy & { pollMs: number }>;
  } = {},
): Promise<Stack> {
  const address = process.env.XB_TEST_TEMPORAL_ADDRESS!;
  const taskQueue = `test-${randomUUID()}`;
  const dir = mkdtempSync(join(tmpdir(), 'xborder-test-'));
  const keyRing = loadKeyRing(dir, TEST_ENCRYPTION_KEYS); // all stacks share the dev server: one ring
  const database = opts.database ?? defaultTestDatabase();
  const databaseUrl = database === 'postgres' ? await createTestDatabase('stack') : undefined;
  const store = await openStore({ dataDir: dir, databaseUrl, keyRing });
  const temporal = await connectDraining({ address });
  const { connection } = temporal;
  const client = new Client({
    connection,
    namespace: 'default',
    dataConverter: dataConverterFor(keyRing),
    ...(opts.tracing ? { interceptors: opts.tracing.clientInterceptors } : {}),
  });
  const native = await NativeConnection.connect({ address });
  const makeWorker = () =>
    createWorker({
      connection: native,
      client,
      namespace: 'default',
      taskQueue,
      store,
      workflowBundle: { codePath: process.env.XB_TEST_WORKFLOW_BUNDLE! },
      keyRing,
      ...(opts.wrapActivities ? { wrapActivities: opts.wrapActivities } : {}),
      ...(opts.tracing ? { tracing: opts.tracing } : {}),
    });
  // as worker.ts runs it beside its worker: the loop that hands new webhook deliveries to Temporal
  const { pollMs, ...webhookPolicy } = { ...TEST_WEBHOOKS, ...opts.webhooks };
  const startWebhooks = () =>
    runWebhookDeliveries({
      client,
      store,
      taskQueue,
      policy: webhookPolicy,
      intervalMs: pollMs,
      onError: (err) => console.error('webhook delivery round failed:', err),
    });
  let worker: Worker | undefined;
  let running: Promise<void> | undefined;
  let stopWebhooks: (() => Promise<void>) | undefined;
  if (!opts.externalWorker) {
    worker = await makeWorker();
    running = worker.run();
    stopWebhooks = startWebhooks();
  }
  const gateway = new TransferGateway(
    client,
    taskQueue,
    opts.updateTimeoutMs ?? 15_000,
    (e) => store.recordStep(e),
    (s) => store.repairEvidence(s),
  );
  const app = createApp({
    gateway,
    store,
    verify: opts.verify ?? createVerifier({ mode: 'hs256', secret: SECRET }),
    logger: opts.logger ?? pino({ level: 'silent' }),
    ...(opts.rateLimit ? { rateLimit: opts.rateLimit } : {}),
    codec: new AesGcmPayloadCodec(keyRing),
    codecOrigins: ['http://localhost:8233'],
    // the console as npm start serves it (global setup builds it), and its dev-mode "Sign in as"
    consoleDir: CONSOLE_DIST,
    ...(opts.verify ? {} : { devTokens: (actor: Actor, ttl: number) => mintToken(SECRET, actor, ttl) }),
    ...(opts.oidc ? { oidc: opts.oidc } : {}),
  });
  const server = await new Promise<Server>((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (server.address() as { port: number }).port;
  const base = `http://127.0.0.1:${port}`;
  const check = contractChecker((await (await fetch(`${base}/openapi.json`)).json()) as never);
  const contractViolations: string[] = [];

  const stopWorker = async () => {
    await stopWebhooks?.();
    stopWebhooks = undefined;
    if (!running || !worker) return;
    worker.shutdown();
    await running;
    running = undefined;
  };
  return {
    base,
    dir,
    database,
    databaseUrl,
    keyRing,
    client,
    gateway,
    store,
    taskQueue,
    get worker() {
      if (!worker) throw new Error('this stack has no in-process worker (externalWorker)');
      return worker;
    },
    token: (actor) => mintToken(SECRET, actor),
    async call(method, path, o = {}) {
      const headers: Record<string, string> = { ...(o.headers ?? {}) };
      if (o.token) headers.authorization = `Bearer ${o.token}`;
      let body: string | undefined;
      if (o.body !== undefined) {
        body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
        headers['content-type'] ??= 'application/json';
      }
      const res = await fetch(`${base}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // not JSON
      }
      const violation = check(method, path, res.status, res.headers.get('content-type'), parsed);
      if (violation) contractViolations.push(violation);
      return { status: res.status, body: parsed, headers: res.headers };
    },
    stopWorker,
    async startWorker() {
      if (running) return;
      worker = await makeWorker();
      running = worker.run();
      stopWebhooks = startWebhooks();
    },
    contractViolations,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // handlers still answering (a browser's poll when it closed) finish their Temporal calls first
      await temporal.drained();
      await stopWorker();
      await native.close();
      await temporal.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
      if (contractViolations.length > 0) {
        const unique = [...new Set(contractViolations)];
        throw new Error(`responses that contradict /openapi.json:\n${unique.join('\n')}`);
      }
    },
  };
}

/** Upload one document per material kind for the standard-contract route, as the given applicant. */
export async function uploadMaterials(
  stack: Pick<Stack, 'call'>,
  token: string,
  kinds: string[],
): Promise<{ kind: string; documentId: string }[]> {
  const out: { kind: string; documentId: string }[] = [];
  for (const kind of kinds) {
    const res = await stack.call('POST', '/v1/documents', {
      token,
      body: `${kind} ${randomUUID()}`,
      headers: { 'content-type': 'text/plain' },
    });
    if (res.status !== 201) throw new Error(`upload failed: ${res.status} ${JSON.stringify(res.body)}`);
    out.push({ kind, documentId: res.body.id });
  }
  return out;
}

export * from './fixtures';

/** The backend stacks use unless a test names one: XBORDER_TEST_DATABASE=postgres runs the suites on PostgreSQL. */
export function defaultTestDatabase(): Dialect {
  const env = process.env.XBORDER_TEST_DATABASE;
  if (env === undefined || env === '' || env === 'sqlite') return 'sqlite';
  if (env === 'postgres') return 'postgres';
  throw new Error(`XBORDER_TEST_DATABASE must be sqlite or postgres (got "${env}")`);
}

/** The environment of a CLI (npm run verify …) that reads a stack's data: its dir, its database, the test keys. */
export function dataEnv(target: string | Pick<Stack, 'dir' | 'databaseUrl'>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XBORDER_DATA_DIR: typeof target === 'string' ? target : target.dir,
    XBORDER_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
  };
  const url = typeof target === 'string' ? undefined : target.databaseUrl;
  if (url) env.XBORDER_DATABASE_URL = url;
  else delete env.XBORDER_DATABASE_URL;
  return env;
}

/**
 * `npm run verify -- <args>` as a child process against a data dir or a stack's data (the test key ring; the test dev server unless
 * `temporal: false`). Asynchronous: the state queries it sends are answered by this process's worker.
 */
export function runVerify(
  target: string | Pick<Stack, 'dir' | 'databaseUrl'>,
  args: string[],
  opts: { temporal?: boolean } = {},
): Promise<{ code: number; out: string }> {
  const env: NodeJS.ProcessEnv = { ...dataEnv(target), TEMPORAL_NAMESPACE: 'default' };
  if (opts.temporal === false) delete env.TEMPORAL_ADDRESS;
  else env.TEMPORAL_ADDRESS = process.env.XB_TEST_TEMPORAL_ADDRESS;
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'scripts/verify.ts', ...args], {
    cwd: join(__dirname, '..'),
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, out }));
  });
}

/** Poll until `fn` returns a truthy value (visibility is eventually consistent). */
export async function eventually<T>(
  fn: () => Promise<T | undefined | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Wait until a transfer is quiet: no workflow task or activity in flight, its run past its first task, its
 * history length unchanged for a moment.
 */
export async function settled(stack: Stack, id: string): Promise<void> {
  const handle = stack.client.workflow.getHandle(`transfer-${id}`);
  let last = -1;
  for (let i = 0; i < 100; i++) {
    const { raw, status } = await handle.describe();
    const length = Number(raw.workflowExecutionInfo?.historyLength ?? 0);
    // a closed transfer whose execution still runs is finishing its last step (a timer, then the evidence write)
    const closing = status.name === 'RUNNING' && isTerminal((await handle.query(stateQuery)).status);
    const quiet =
      !closing && !raw.pendingWorkflowTask && (raw.pendingActivities ?? []).length === 0 && length > 1;
    if (quiet && length === last) return;
    last = quiet ? length : -1;
    await new Promise((r) => setTimeout(r, 400));
  }
  throw new Error(`transfer ${id} did not settle`);
}

/**
 * The event types of a settled transfer's history, in order, without workflow-task bookkeeping (types 5, 6, 7:
 * task scheduled, started, completed): a rejected update may make the server persist one workflow task, which
 * carries nothing of the update.
 */
export async function meaningfulHistory(stack: Stack, id: string): Promise<string[]> {
  await settled(stack, id);
  const { events } = await stack.client.workflow.getHandle(`transfer-${id}`).fetchHistory();
  return (events ?? []).filter((e) => ![5, 6, 7].includes(e.eventType!)).map((e) => `type ${e.eventType}`);
}

/**
 * Every workflow id this stack's client is asked to start (start, signal-with-start, update-with-start), in
 * call order. The API reaches Temporal only through this client, so with describe() this tells which workflows
 * a run of requests could have created — without the eventually consistent visibility store.
 */
export function watchWorkflowStarts(stack: Stack): { ids: () => string[]; stop: () => void } {
  const workflow = stack.client.workflow as unknown as Record<string, (...args: any[]) => unknown>;
  const ids: string[] = [];
  const names = ['start', 'signalWithStart', 'startUpdateWithStart', 'executeUpdateWithStart'];
  for (const name of names) {
    const original = workflow[name]!;
    workflow[name] = function (this: unknown, ...args: any[]) {
      const options = name.endsWith('UpdateWithStart') ? args[1]?.startWorkflowOperation?.options : args[1];
      ids.push(String(options?.workflowId));
      return original.apply(this, args);
    };
  }
  return {
    ids: () => [...ids],
    stop: () => names.forEach((name) => delete workflow[name]),
  };
}

/** Of these workflow ids, the ones that exist (describe() answers; it reads the execution, not visibility). */
export async function existingWorkflows(stack: Stack, workflowIds: string[]): Promise<string[]> {
  const found: string[] = [];
  for (const id of new Set(workflowIds)) {
    try {
      await stack.client.workflow.getHandle(id).describe();
      found.push(id);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
    }
  }
  return found;
}
