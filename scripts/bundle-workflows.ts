/**
 * `npm run bundle -- <file>`: the workflow bundle a worker reads from XBORDER_WORKFLOW_BUNDLE instead of bundling
 * workflows/ at every start (build it once per release, e.g. in the image build). The same options as the
 * worker's own bundling and the tests' (test/global-setup.ts): the failure converter, the tracing module.
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../activities/crypto';
import { WORKFLOW_TRACING_MODULE } from '../tracing';

async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) {
    console.error('usage: npm run bundle -- <output file>   (then XBORDER_WORKFLOW_BUNDLE=<output file>)');
    process.exit(2);
  }
  const { code } = await bundleWorkflowCode({
    workflowsPath: require.resolve('../workflows'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    workflowInterceptorModules: [WORKFLOW_TRACING_MODULE],
  });
  writeFileSync(resolve(out), code);
  console.log(`workflow bundle written to ${resolve(out)} (${code.length} bytes)`);
}

main().catch((err: unknown) => {
  console.error('bundle failed:', err);
  process.exit(1);
});
