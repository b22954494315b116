/**
 * One real Temporal dev server (from the pinned binary, in memory) and one workflow bundle for the whole run;
 * test files attach to the server and run their own workers on their own task queues.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../activities/crypto';
import { freePort, startDevServer } from '../scripts/dev-server';
import { ensureTool } from '../scripts/toolchain';

export default async function globalSetup(): Promise<void> {
  const root = join(__dirname, '..');
  const tmp = join(root, '.test-tmp');
  mkdirSync(tmp, { recursive: true });
  const cliPath = ensureTool('cli');
  const server = await startDevServer({ cliPath, port: await freePort(), headless: true });
  (globalThis as { __temporal?: typeof server }).__temporal = server;
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} },
  });
  const bundlePath = join(tmp, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  process.env.XB_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.XB_TEST_WORKFLOW_BUNDLE = bundlePath;
  process.env.XB_TEST_CLI_PATH = cliPath;
}
