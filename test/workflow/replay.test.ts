/**
 * Determinism: every recorded history of a released workflow version replays against the current code.
 * Record new fixtures with `npx tsx scripts/record-histories.ts <label>` when a version is released; a change
 * to the command sequence of an existing workflow must be guarded by `patched()` or this test fails.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from '@temporalio/worker';

const dir = join(__dirname, 'histories');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json'));

describe('replay of recorded histories', () => {
  test('there are fixtures to replay', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(3);
  });

  test.each(fixtures)('%s replays without nondeterminism', async (file) => {
    const history = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Parameters<
      typeof Worker.runReplayHistory
    >[1];
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: { codePath: process.env.XB_TEST_WORKFLOW_BUNDLE! } },
        history,
        file,
      ),
    ).resolves.toBeUndefined();
  });
});
