/**
 * Configuration: one zod schema over the environment, parsed once, frozen. Secrets are never printed: `describe`
 * shows which are set, not their values. Temporal connection settings for an external cluster come from
 * `@temporalio/envconfig` (TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_TLS*, TEMPORAL_API_KEY, profiles).
 */
import { z } from 'zod';
import { resolve } from 'node:path';
import { TASK_QUEUE } from './workflows/messages';

const port = z.coerce.number().int().min(1).max(65_535);
const optionalText = z.string().trim().min(1).optional().catch(undefined);

/**
 * The worker's sticky cache (XBORDER_WORKER_MAX_CACHED_WORKFLOWS): how many transfers stay in memory between their
 * tasks. Each cached transfer costs about 2–3 MB of worker RSS (BENCHMARKS.md, "Bounded memory"); the SDK's own
 * default grows with the V8 heap limit (2,310 on a 24 GB machine: several GB of RSS). 100, with the workflow thread's
 * heap limit below, kept API + worker flat at about 860 MB from 156 to 606 open transfers (the 1 GB goal); a
 * transfer outside the cache replays its run's history on its next task (about twice a cached decision's time).
 */
export const DEFAULT_MAX_CACHED_WORKFLOWS = 100;
/** workflow tasks run at once (XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS): the SDK's default, within the cache */
export const DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS = 40;
/**
 * The V8 old-space limit of the workflow thread (XBORDER_WORKER_WORKFLOW_HEAP_MB, opt-in): without it V8 sizes that
 * heap like the main one (a quarter of the machine's memory, at most 4 GB) and lets the garbage of evicted and
 * replayed workflows pile up to it. Recommended: 512 MB for a cache of up to 100, 3 MB more per cached workflow
 * beyond (BENCHMARKS.md "Bounded memory"). Not on by default: it is set through a process-wide V8 flag at run time
 * (Node documents that as unsupported), and the suite's kill tests failed once under heavy load with it on, without
 * a proven cause.
 */
export const recommendedWorkflowHeapMb = (maxCachedWorkflows: number): number =>
  512 + 3 * Math.max(0, maxCachedWorkflows - 100);

const schema = z
  .object({
    PORT: port.default(3000),
    HOST: z.string().default('127.0.0.1'),
    XBORDER_DATA_DIR: z.string().default('data'),
    XBORDER_DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\/./, 'XBORDER_DATABASE_URL must be a postgres:// URL')
      .optional(),
    XBORDER_JWT_SECRET: z.string().min(32, 'XBORDER_JWT_SECRET must be at least 32 characters').optional(),
    XBORDER_ENCRYPTION_KEYS: z.string().min(1).optional(),
    XBORDER_JWKS_URL: z.url().optional(),
    XBORDER_JWT_ISSUER: z.string().min(1).optional(),
    XBORDER_JWT_AUDIENCE: z.string().min(1).optional(),
    XBORDER_JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
    XBORDER_JWKS_REFRESH_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
    XBORDER_OIDC_ISSUER: z.url().optional(),
    XBORDER_OIDC_CLIENT_ID: z.string().trim().min(1).max(256).optional(),
    XBORDER_OIDC_SCOPE: z.string().trim().min(1).max(512).default('openid'),
    XBORDER_OIDC_RESOURCE: z.url().optional(),
    TEMPORAL_ADDRESS: z.string().min(1).optional(),
    TEMPORAL_NAMESPACE: z.string().min(1).default('default'),
    XBORDER_TEMPORAL_PORT: port.default(7233),
    XBORDER_TEMPORAL_UI_PORT: port.default(8233),
    XBORDER_TASK_QUEUE: z.string().min(1).default(TASK_QUEUE),
    XBORDER_UPDATE_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(10_000),
    XBORDER_WORKER_SEEN_SECONDS: z.coerce.number().int().min(1).max(3600).optional(),
    XBORDER_WORKER_MAX_CACHED_WORKFLOWS: z.coerce
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .refine((n) => n !== 1, 'XBORDER_WORKER_MAX_CACHED_WORKFLOWS must be 0 (no cache) or at least 2')
      .default(DEFAULT_MAX_CACHED_WORKFLOWS),
    XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: z.coerce.number().int().min(2).max(10_000).optional(),
    XBORDER_WORKER_WORKFLOW_HEAP_MB: z.coerce.number().int().min(128).max(65_536).optional(),
    XBORDER_CORS_ORIGINS: z
      .string()
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.url()))
      .optional(),
    XBORDER_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(600),
    XBORDER_WEBHOOK_INITIAL_INTERVAL_MS: z.coerce.number().int().min(1).max(86_400_000).default(10_000),
    XBORDER_WEBHOOK_MAX_INTERVAL_MS: z.coerce.number().int().min(1).max(86_400_000).default(3_600_000),
    XBORDER_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(8),
    XBORDER_WEBHOOK_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5_000),
    XBORDER_WEBHOOK_POLL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    TEMPORAL_CLI_PATH: optionalText,
    OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
    OTEL_SERVICE_NAME: optionalText,
    XBORDER_WORKFLOW_BUNDLE: optionalText,
  })
  .superRefine((env, ctx) => {
    if (
      env.XBORDER_JWKS_URL &&
      (!(env.XBORDER_JWT_ISSUER ?? env.XBORDER_OIDC_ISSUER) || !env.XBORDER_JWT_AUDIENCE)
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['XBORDER_JWKS_URL'],
        message:
          'XBORDER_JWKS_URL needs XBORDER_JWT_ISSUER (or XBORDER_OIDC_ISSUER) and XBORDER_JWT_AUDIENCE',
      });
    }
    if (
      env.XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS !== undefined &&
      env.XBORDER_WORKER_MAX_CACHED_WORKFLOWS > 0 &&
      env.XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS > env.XBORDER_WORKER_MAX_CACHED_WORKFLOWS
    ) {
      // a task in hand holds its workflow in the cache: the SDK would lower it with a warning
      ctx.addIssue({
        code: 'custom',
        path: ['XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS'],
        message: `XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS (${env.XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS}) cannot exceed XBORDER_WORKER_MAX_CACHED_WORKFLOWS (${env.XBORDER_WORKER_MAX_CACHED_WORKFLOWS})`,
      });
    }
    if (!env.XBORDER_OIDC_ISSUER !== !env.XBORDER_OIDC_CLIENT_ID) {
      ctx.addIssue({
        code: 'custom',
        path: ['XBORDER_OIDC_ISSUER'],
        message: 'XBORDER_OIDC_ISSUER and XBORDER_OIDC_CLIENT_ID go together',
      });
    }
    if (env.XBORDER_OIDC_ISSUER) {
      // the API verifies the provider's access tokens: its key set and the audience they are issued for
      if (!env.XBORDER_JWKS_URL || !env.XBORDER_JWT_AUDIENCE) {
        ctx.addIssue({
          code: 'custom',
          path: ['XBORDER_OIDC_ISSUER'],
          message:
            "XBORDER_OIDC_ISSUER needs XBORDER_JWKS_URL and XBORDER_JWT_AUDIENCE (the provider's key set and the API's audience)",
        });
      }
      const url = new URL(env.XBORDER_OIDC_ISSUER);
      if (url.protocol !== 'https:' && !isLoopback(url.hostname)) {
        ctx.addIssue({
          code: 'custom',
          path: ['XBORDER_OIDC_ISSUER'],
          message: 'XBORDER_OIDC_ISSUER must be https (plain http only on localhost / 127.0.0.1)',
        });
      }
    }
  });

const isLoopback = (host: string) => host === 'localhost' || host === '127.0.0.1' || host === '[::1]';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** PostgreSQL for the data layer (store/); unset: SQLite in the data dir */
  databaseUrl: string | undefined;
  auth: (
    | { mode: 'hs256'; secret: string | undefined }
    | { mode: 'jwks'; jwksUrl: string; issuer: string; audience: string; jwksRefreshMs: number }
  ) & { clockSkewSeconds: number };
  /** "Sign in with your organisation" in the console (Authorization Code + PKCE in the browser); unset: off */
  oidc: OidcConfig | undefined;
  temporal: {
    address: string | undefined;
    namespace: string;
    devPort: number;
    uiPort: number;
    cliPath: string | undefined;
  };
  taskQueue: string;
  updateTimeoutMs: number;
  /**
   * /readyz: a worker counts as present when it polled the task queue this recently. An idle worker's poll is
   * renewed when Temporal expires the long poll (matching.longPollExpirationInterval: 60 s by default, 5 s on the
   * embedded dev server), so the window must exceed that: 15 s embedded, 70 s against TEMPORAL_ADDRESS.
   */
  workerSeenMs: number;
  /**
   * The worker's memory bound (worker.ts `createWorker`): `maxCachedWorkflows` transfers stay in the sticky cache
   * (0: none, every task replays its history), `maxConcurrentWorkflowTasks` workflow tasks run at once (at most the
   * cache), the workflow thread's V8 heap is capped at `workflowHeapMb` when set. Defaults: 100, 40, unset
   * (XBORDER_WORKER_MAX_CACHED_WORKFLOWS, XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS, XBORDER_WORKER_WORKFLOW_HEAP_MB).
   */
  worker: WorkerLimits;
  corsOrigins: string[];
  rateLimit: { perIdentity: number; perIp: number };
  /** `id:base64,…` AES-256 keys, first active (unset: a dev key generated into the data dir) */
  encryptionKeys: string | undefined;
  logLevel: string;
  /**
   * Webhook delivery (worker role): each delivery's retry policy — the first retry after `initialIntervalMs`,
   * doubled per attempt up to `maximumIntervalMs`, `maximumAttempts` in all (then a dead letter), `timeoutMs` per
   * attempt — and how often the worker's loop hands new deliveries to Temporal (`pollMs`). Defaults: 10 s, 1 h, 8,
   * 5 s, 2 s (XBORDER_WEBHOOK_INITIAL_INTERVAL_MS, _MAX_INTERVAL_MS, _MAX_ATTEMPTS, _TIMEOUT_MS, _POLL_MS).
   */
  webhooks: {
    initialIntervalMs: number;
    maximumIntervalMs: number;
    maximumAttempts: number;
    timeoutMs: number;
    pollMs: number;
  };
  /**
   * the worker: a workflow bundle built ahead (`bundleWorkflowCode` from @temporalio/worker, with the workflow
   * interceptor module of tracing.ts) instead of bundling workflows/ at every start; unset: bundled at start
   */
  workflowBundlePath: string | undefined;
  /** OpenTelemetry (tracing.ts): on when `endpoint` is set; the service name defaults per process role */
  tracing: { endpoint: string | undefined; serviceName: string | undefined };
}

export interface WorkerLimits {
  maxCachedWorkflows: number;
  maxConcurrentWorkflowTasks: number;
  /** unset: V8's own limit (no flag is set) */
  workflowHeapMb: number | undefined;
}

/** What the console needs to sign in with the provider (public: served by GET /v1/console/config). */
export interface OidcConfig {
  issuer: string;
  clientId: string;
  scope: string;
  /** an RFC 8707 resource indicator sent with the authorization and token requests */
  resource?: string;
}

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  // An empty variable (FOO=) means unset.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.XBORDER_DATA_DIR),
    databaseUrl: e.XBORDER_DATABASE_URL,
    auth: e.XBORDER_JWKS_URL
      ? {
          mode: 'jwks' as const,
          jwksUrl: e.XBORDER_JWKS_URL,
          // with OIDC, the provider's tokens carry its issuer unless told otherwise
          issuer: (e.XBORDER_JWT_ISSUER ?? e.XBORDER_OIDC_ISSUER)!,
          audience: e.XBORDER_JWT_AUDIENCE!,
          jwksRefreshMs: e.XBORDER_JWKS_REFRESH_SECONDS * 1000,
          clockSkewSeconds: e.XBORDER_JWT_CLOCK_SKEW_SECONDS,
        }
      : {
          mode: 'hs256' as const,
          secret: e.XBORDER_JWT_SECRET,
          clockSkewSeconds: e.XBORDER_JWT_CLOCK_SKEW_SECONDS,
        },
    oidc:
      e.XBORDER_OIDC_ISSUER && e.XBORDER_OIDC_CLIENT_ID
        ? {
            issuer: e.XBORDER_OIDC_ISSUER,
            clientId: e.XBORDER_OIDC_CLIENT_ID,
            scope: e.XBORDER_OIDC_SCOPE,
            ...(e.XBORDER_OIDC_RESOURCE ? { resource: e.XBORDER_OIDC_RESOURCE } : {}),
          }
        : undefined,
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      devPort: e.XBORDER_TEMPORAL_PORT,
      uiPort: e.XBORDER_TEMPORAL_UI_PORT,
      cliPath: e.TEMPORAL_CLI_PATH,
    },
    taskQueue: e.XBORDER_TASK_QUEUE,
    updateTimeoutMs: e.XBORDER_UPDATE_TIMEOUT_MS,
    workerSeenMs: (e.XBORDER_WORKER_SEEN_SECONDS ?? (e.TEMPORAL_ADDRESS ? 70 : 15)) * 1000,
    worker: {
      maxCachedWorkflows: e.XBORDER_WORKER_MAX_CACHED_WORKFLOWS,
      maxConcurrentWorkflowTasks:
        e.XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS ??
        (e.XBORDER_WORKER_MAX_CACHED_WORKFLOWS === 0
          ? DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS
          : Math.min(DEFAULT_MAX_CONCURRENT_WORKFLOW_TASKS, e.XBORDER_WORKER_MAX_CACHED_WORKFLOWS)),
      workflowHeapMb: e.XBORDER_WORKER_WORKFLOW_HEAP_MB,
    },
    encryptionKeys: e.XBORDER_ENCRYPTION_KEYS,
    corsOrigins: e.XBORDER_CORS_ORIGINS ?? [],
    rateLimit: { perIdentity: e.XBORDER_RATE_LIMIT_PER_MINUTE, perIp: e.XBORDER_RATE_LIMIT_PER_MINUTE * 2 },
    logLevel: e.LOG_LEVEL,
    webhooks: {
      initialIntervalMs: e.XBORDER_WEBHOOK_INITIAL_INTERVAL_MS,
      maximumIntervalMs: Math.max(e.XBORDER_WEBHOOK_MAX_INTERVAL_MS, e.XBORDER_WEBHOOK_INITIAL_INTERVAL_MS),
      maximumAttempts: e.XBORDER_WEBHOOK_MAX_ATTEMPTS,
      timeoutMs: e.XBORDER_WEBHOOK_TIMEOUT_MS,
      pollMs: e.XBORDER_WEBHOOK_POLL_MS,
    },
    workflowBundlePath: e.XBORDER_WORKFLOW_BUNDLE ? resolve(e.XBORDER_WORKFLOW_BUNDLE) : undefined,
    tracing: { endpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT, serviceName: e.OTEL_SERVICE_NAME },
  });
}

/** A printable summary: which secrets are set, never their values. */
export function describeConfig(c: Config): Record<string, unknown> {
  return {
    port: c.port,
    dataDir: c.dataDir,
    database: c.databaseUrl
      ? `postgres (${c.databaseUrl.replace(/\/\/[^@/]*@/, '//…@')})`
      : 'sqlite (data dir)',
    auth:
      c.auth.mode === 'hs256'
        ? {
            mode: 'hs256',
            secret: c.auth.secret ? '(set)' : '(generated in data dir)',
            clockSkewSeconds: c.auth.clockSkewSeconds,
          }
        : { ...c.auth },
    oidc: c.oidc ?? 'off',
    temporal: c.temporal.address
      ? { address: c.temporal.address, namespace: c.temporal.namespace }
      : { embedded: true, port: c.temporal.devPort },
    taskQueue: c.taskQueue,
    webhooks: c.webhooks,
    worker: c.worker,
    encryptionKeys: c.encryptionKeys ? '(set)' : '(generated in data dir)',
    tracing: c.tracing.endpoint ? new URL(c.tracing.endpoint).origin : 'off',
  };
}
