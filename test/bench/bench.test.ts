/**
 * The benchmark never rots: `npm run bench -- --smoke` (3 transfers a side, 2 clients, 20 open transfers) runs as
 * a child process — its own dev server, app and baseline worker on free ports — and must print its summary line
 * and write a result file of the documented shape; `--replay --smoke` (2 decisions a side at two points, the app's
 * cache at 2) likewise. No timing is asserted: only that every figure is there.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');

function runBench(args: string[]): Promise<{ code: number; out: string }> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'bench/run.ts', ...args], {
    cwd: root,
    env: process.env,
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

const positive = expect.any(Number);

describe('npm run bench -- --smoke', () => {
  const dir = mkdtempSync(join(tmpdir(), 'xborder-bench-test-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('drives both sides, prints the summary line and writes the result file', async () => {
    const out = join(dir, 'result.json');
    const run = await runBench(['--smoke', '--out', out]);
    if (run.code !== 0) throw new Error(`bench exited ${run.code}:\n${run.out}`);

    const summary = run.out.split('\n').find((l) => l.startsWith('bench: ratio'));
    expect(summary).toMatch(
      /^bench: ratio2=\d+(\.\d+)? overheadP50=-?\d+(\.\d+)?ms p99ratio2=\d+(\.\d+)? cpuRatio=\d+(\.\d+)? rss@20=\d+MB temporalRss@20=\d+MB cache=100 shape=\d+u\/\d+a\/\d+la\/\d+t$/,
    );
    expect(run.out).toMatch(/^derived shape: \d+ updates/m);

    const result = JSON.parse(readFileSync(out, 'utf8'));
    // the shape comes from a real transfer's history; the baseline's own history matches it
    expect(result.shape.updates).toBeGreaterThan(0);
    expect(result.shape.localActivities).toBeGreaterThan(0);
    expect(result.shape.timersStarted).toBeGreaterThan(0);
    expect(result.shape.steps[0]).toBe('submit');
    for (const k of [
      'updates',
      'activities',
      'localActivities',
      'timersStarted',
      'timersCancelled',
      'upserts',
    ])
      expect(result.baselineShape[k]).toBe(result.shape[k]);

    // one round per side at 2 clients, every transfer through, ratios and percentiles present
    expect(result.rounds.map((r: { side: string }) => r.side).sort()).toEqual(['baseline', 'xborder']);
    for (const r of result.rounds) expect(r).toMatchObject({ transfers: 3, failures: 0 });
    expect(result.throughput).toHaveLength(1);
    const [t] = result.throughput;
    expect(t.concurrency).toBe(2);
    expect(t.ratio).toBeGreaterThan(0);
    for (const side of ['xborder', 'baseline']) {
      expect(t.transfersPerSecond[side]).toBeGreaterThan(0);
      // (updates - 1) decisions per transfer: the first update is the submission
      expect(t.decisionMs[side]).toEqual({
        n: 3 * (result.shape.updates - 1),
        p50: positive,
        p95: positive,
        p99: positive,
      });
      expect(result.cpuPerTransfer[side].app).toBeGreaterThan(0);
      expect(result.cpuPerTransfer[side].temporal).toBeGreaterThan(0);
    }
    expect(result.cpuPerTransfer.ratio).toBeGreaterThan(0);

    // the scale probe: 20 open transfers, memory of each process, inbox and list answered
    expect(result.scale).toHaveLength(1);
    expect(result.scale[0]).toMatchObject({
      k: 20,
      created: 20,
      failures: 0,
      inboxFailures: 0,
      listFailures: 0,
    });
    expect(result.cache).toBe(100);
    expect(result.scale[0].rssMb.app).toBeGreaterThan(0);
    expect(result.scale[0].rssMb.temporal).toBeGreaterThan(0);
    expect(result.scale[0].inboxMs.p50).toBeGreaterThan(0);
    expect(result.scale[0].listMs.p50).toBeGreaterThan(0);
    expect(result.scale[0].inboxItems).toBeGreaterThan(0);
    expect(result.scale[0].listItems).toBeGreaterThan(0);
  }, 600_000);

  it('--replay: decisions on evicted transfers (cache 2) against cached ones, at two points', async () => {
    const out = join(dir, 'replay.json');
    const run = await runBench(['--replay', '--smoke', '--out', out]);
    if (run.code !== 0) throw new Error(`bench exited ${run.code}:\n${run.out}`);

    expect(run.out).toMatch(
      /^bench: replay cache=2 completeness@\d+ev=\d+(\.\d+)?x filing_decision@\d+ev=\d+(\.\d+)?x$/m,
    );
    const result = JSON.parse(readFileSync(out, 'utf8'));
    expect(result.replay.cache).toBe(2);
    expect(result.replay.stages.map((s: { action: string }) => s.action)).toEqual([
      'completeness',
      'filing_decision',
    ]);
    for (const stage of result.replay.stages) {
      expect(stage.samples).toBe(2);
      for (const side of ['evicted', 'cached']) {
        expect(stage[side].ms).toEqual({ n: 2, p50: positive, p95: positive, p99: positive });
        expect(stage[side].historyEvents).toBeGreaterThan(0);
      }
      // the same point of the same workflow: the same history before the decision on both sides
      expect(stage.evicted.historyEvents).toBe(stage.cached.historyEvents);
      expect(stage.ratioP50).toBeGreaterThan(0);
    }
    // the later point has the longer history to replay
    expect(result.replay.stages[1].evicted.historyEvents).toBeGreaterThan(
      result.replay.stages[0].evicted.historyEvents,
    );
    expect(result.rssMb.app).toBeGreaterThan(0);
    expect(result.rssMb.temporal).toBeGreaterThan(0);
  }, 600_000);

  it('refuses a malformed flag before it starts anything', async () => {
    const run = await runBench(['--scale', '1000,lots']);
    expect(run.code).toBe(1);
    expect(run.out).toContain(
      'bench: --scale takes positive whole numbers separated by commas (got "1000,lots")',
    );
    expect(run.out).not.toContain('Temporal dev server pid');
    const big = await runBench(['--replay', '--cache', '500']);
    expect(big.code).toBe(1);
    expect(big.out).toContain('bench: --replay needs a small --cache (2 to 50; got 500)');
  });
});
