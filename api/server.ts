/**
 * The API role: Temporal client, evidence store, the app on a port — HTTP only, no worker (this file must not load
 * @temporalio/worker: `npm run api` starts quickly and bundles nothing). Returns a `stop` that drains it.
 * `npm run api` is api/main.ts; `npm start` (scripts/start.ts) runs that beside a worker process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { Client } from '@temporalio/client';
import { connectDraining, temporalConnectOptions } from './temporal-connection';
import pino from 'pino';
import { openStore } from '../store';
import { createApp } from './app';
import { AesGcmPayloadCodec, dataConverterFor, loadKeyRing } from '../activities/crypto';
import { createVerifier, mintToken, type AuthConfig } from './auth';
import type { Config } from '../config';
import { TransferGateway } from './temporal';
import { startTracing, traceLogFields } from '../tracing';

/** A secret kept in the data dir: generated once (mode 0600) and reused across restarts. */
function secretFile(config: Config, name: string): { secret: string; path: string } {
  const path = join(config.dataDir, name);
  if (!existsSync(path)) {
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(path, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return { secret: readFileSync(path, 'utf8').trim(), path };
}

/** The HS256 secret: from config, or generated once into the data dir and reused. */
export function devSecret(config: Config): { secret: string; path?: string } | undefined {
  if (config.auth.mode !== 'hs256') return undefined;
  if (config.auth.secret) return { secret: config.auth.secret };
  return secretFile(config, 'jwt-secret');
}

/** The built web console (`npm start` builds it when missing or older than its sources). */
export const CONSOLE_DIST = join(__dirname, '..', 'console', 'dist');

export interface Running {
  server: Server;
  stop(): Promise<void>;
}

export async function startApi(config: Config): Promise<Running> {
  const tracing = startTracing({
    serviceName: config.tracing.serviceName ?? 'xborder',
    endpoint: config.tracing.endpoint,
  });
  const logger = pino({
    level: config.logLevel,
    redact: ['req.headers.authorization'],
    ...(tracing.enabled ? { mixin: traceLogFields } : {}),
  });
  const secret = devSecret(config);
  const auth: AuthConfig =
    config.auth.mode === 'jwks'
      ? config.auth
      : { mode: 'hs256', secret: secret!.secret, clockSkewSeconds: config.auth.clockSkewSeconds };
  const keyRing = loadKeyRing(config.dataDir, config.encryptionKeys);
  const store = await openStore({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, keyRing });
  const { connectionOptions, namespace } = temporalConnectOptions(config);
  const temporal = await connectDraining(connectionOptions);
  const { connection } = temporal;
  const client = new Client({
    connection,
    namespace,
    dataConverter: dataConverterFor(keyRing),
    interceptors: tracing.clientInterceptors,
  });

  const gateway = new TransferGateway(
    client,
    config.taskQueue,
    config.updateTimeoutMs,
    (e) => store.recordStep(e),
    (s) => store.repairEvidence(s),
    config.workerSeenMs,
  );
  const app = createApp({
    gateway,
    store,
    verify: createVerifier(auth),
    codec: new AesGcmPayloadCodec(keyRing),
    codecOrigins: [
      `http://localhost:${config.temporal.uiPort}`,
      `http://127.0.0.1:${config.temporal.uiPort}`,
    ],
    logger,
    corsOrigins: config.corsOrigins,
    rateLimit: config.rateLimit,
    // one budget across the fleet: the API processes on one PostgreSQL count in it (SQLite: one machine, memory)
    ...(store.backend === 'postgres' ? { rateLimitCounters: store.rateLimits } : {}),
    consoleDir: CONSOLE_DIST,
    ...(config.oidc ? { oidc: config.oidc } : {}),
    // dev mode: the server signs with the secret it generated, so the console may offer "Sign in as"
    ...(secret?.path ? { devTokens: (actor, ttl) => mintToken(secret.secret, actor, ttl) } : {}),
  });
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(config.port, config.host, () => resolve(s));
    s.once('error', reject);
  });
  server.requestTimeout = 30_000;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      // requests still being answered finish their Temporal calls before the connection closes
      await temporal.close();
      await store.close();
      await tracing.shutdown();
    })());
  return { server, stop };
}
