/**
 * One real Temporal dev server (from the pinned binary, in memory) and one workflow bundle for the whole run;
 * test files attach to the server and run their own workers on their own task queues.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../activities/crypto';
import { freePort, startDevServer } from '../scripts/dev-server';
import { ensureTool } from '../scripts/toolchain';
import { ensureConsoleBuilt } from '../scripts/console';
import { WORKFLOW_TRACING_MODULE } from '../tracing';
import { startTestPostgres } from './postgres';

/** The browser the console tests drive (Debian's chromium through playwright-core). */
export const CHROMIUM = '/usr/bin/chromium';

/** Installs Debian's chromium when it is missing (the console's browser tests need it). */
function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  console.error(
    `${CHROMIUM} is missing: installing Debian's chromium (apt-get update, apt-get install -y chromium)…`,
  );
  for (const args of [['update'], ['install', '-y', 'chromium']]) {
    const r = spawnSync('apt-get', args, {
      stdio: ['ignore', 'ignore', 'inherit'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (r.status !== 0)
      throw new Error(`apt-get ${args.join(' ')} failed (exit ${r.status}); install chromium by hand`);
  }
}

export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..');
  const tmp = join(root, '.test-tmp');
  mkdirSync(tmp, { recursive: true });
  // the console the stacks serve, built when missing or older than its sources, and the browser for its tests
  ensureConsoleBuilt((line) => console.error(line));
  ensureChromium();
  const cliPath = ensureTool('cli');
  const server = await startDevServer({ cliPath, port: await freePort(), headless: true });
  (globalThis as { __temporal?: typeof server }).__temporal = server;
  // one PostgreSQL for the run; test files and stacks create their own databases on it (test/postgres.ts)
  const postgres = await startTestPostgres(await freePort());
  (globalThis as { __postgres?: typeof postgres }).__postgres = postgres;
  process.env.XB_TEST_DATABASE_URL = postgres.url;
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    // as every worker bundles them (worker.ts, tracing.ts): runs started traced are traced, the others untouched
    workflowInterceptorModules: [WORKFLOW_TRACING_MODULE],
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const bundlePath = join(tmp, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  process.env.XB_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.XB_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.XB_TEST_CLI_PATH = cliPath;
}
