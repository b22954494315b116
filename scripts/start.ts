/**
 * npm start: the whole service on one machine. Without TEMPORAL_ADDRESS it starts the embedded Temporal dev
 * server (SQLite under the data dir, search attributes registered, Web UI), then the worker and the API.
 * Ctrl-C / SIGTERM stops everything; data persists across restarts.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, parseConfig } from '../config';
import { devSecret, startServices } from '../api/server';
import { PortInUseError, portFree, startDevServer, type DevServer } from './dev-server';
import { ensureTool, ToolchainError } from './toolchain';
import { ConsoleBuildError, ensureConsoleBuilt } from './console';

async function main(): Promise<void> {
  const config = parseConfig();
  mkdirSync(config.dataDir, { recursive: true });
  if (!(await portFree(config.port, config.host))) {
    throw new PortInUseError(
      `port ${config.port} (API) is already in use: stop whatever holds it, or set PORT.`,
    );
  }
  // the web console is served from console/dist: build it when missing or older than its sources
  ensureConsoleBuilt();
  let temporal: DevServer | undefined;
  if (!config.temporal.address) {
    const cliPath = ensureTool('cli');
    console.log(
      `starting Temporal dev server (${cliPath}) with SQLite at ${join(config.dataDir, 'temporal.sqlite')}…`,
    );
    temporal = await startDevServer({
      cliPath,
      port: config.temporal.devPort,
      uiPort: config.temporal.uiPort,
      dbFile: join(config.dataDir, 'temporal.sqlite'),
      namespace: config.temporal.namespace,
      // the Web UI decodes encrypted payloads through the API (reviewers' and admins' tokens only)
      codecEndpoint: `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}/codec`,
    });
  }
  let running: Awaited<ReturnType<typeof startServices>>;
  try {
    running = await startServices(config);
  } catch (err) {
    await temporal?.stop();
    throw err;
  }

  const secret = devSecret(config);
  const base = `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  const signIn = config.oidc
    ? `"Sign in with your organisation" at ${config.oidc.issuer}, or an access token`
    : secret?.path
      ? 'dev mode: "Sign in as" any role'
      : 'sign in with an access token';
  console.log(
    [
      '',
      `xborder is running`,
      `  Console      ${base}/   (${signIn})`,
      config.oidc ? `  OIDC         register the redirect URI ${base}/auth/callback with your provider` : '',
      `  API          ${base}   (OpenAPI ${base}/openapi.json, docs ${base}/docs)`,
      `  readiness    ${base}/readyz`,
      temporal
        ? `  Temporal UI  http://127.0.0.1:${config.temporal.uiPort}`
        : `  Temporal     ${config.temporal.address} (namespace ${config.temporal.namespace})`,
      secret?.path ? `  dev secret   ${secret.path}` : '',
      secret ? `  dev token    npm run token -- --role applicant --sub alice --org acme` : '',
      'Ctrl-C stops everything; data stays in ' + config.dataDir,
      '',
    ]
      .filter((l) => l !== '')
      .join('\n'),
  );

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping…`);
    void running
      .stop()
      .then(() => temporal?.stop())
      .then(() => process.exit(0))
      .catch((err: unknown) => {
        console.error(err);
        process.exit(1);
      });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  temporal?.child.once('exit', (code) => {
    if (!stopping) {
      console.error(`the Temporal dev server exited unexpectedly (${code}); stopping.`);
      shutdown('temporal exit');
    }
  });
}

main().catch((err: unknown) => {
  if (
    err instanceof ConfigError ||
    err instanceof PortInUseError ||
    err instanceof ToolchainError ||
    err instanceof ConsoleBuildError
  ) {
    console.error(`xborder: ${err.message}`);
  } else {
    console.error('xborder: failed to start:', err);
  }
  process.exit(1);
});
