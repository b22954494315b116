/**
 * `npm run bench`: xborder against bare Temporal, in one run, on free ports (BENCHMARKS.md, issue 12).
 *
 *   npm run bench                                    # 2 rounds per side at 10 and at 50 clients, scale 200,1000
 *   npm run bench -- --n 100 --rounds 3 --scale 1000,10000
 *   npm run bench -- --smoke                         # tiny: what test/bench/bench.test.ts runs
 *   npm run bench -- --cache 100000 --scale 500      # the app's sticky cache (XBORDER_WORKER_MAX_CACHED_WORKFLOWS)
 *   npm run bench -- --replay                        # the cost of an eviction (bench/replay.ts), cache 2
 *
 * Processes: a Temporal dev server (SQLite file, as `npm start` embeds it), the xborder app (worker + API,
 * bench/app.ts, as `npm start` wires them), the baseline's worker (bench/baseline-worker.ts); this process is
 * the clients of both sides. CPU and memory are read per process from /proc.
 *
 * 1. One transfer is driven to `active` over HTTP (test/drive.ts `Driver`); its history gives the shape of the
 *    Temporal work (bench/shape.ts) that the baseline workflow replays, and the sequence of updates both sides send.
 * 2. Throughput: at each concurrency, rounds alternate the sides (xborder first in odd rounds, the baseline first
 *    in even ones). A transfer: xborder POST /v1/transfers then one POST per decision; the baseline
 *    executeUpdateWithStart then executeUpdate per decision. Documents are uploaded once beforehand (ids are
 *    content hashes): uploads are not timed.
 * 3. Scale probe: open transfers (submitted, waiting at completeness with their timers) created up to each K.
 *
 * `--replay` runs only the dev server and the app, with a tiny cache, and times decisions on evicted transfers
 * against cached ones (bench/replay.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { temporal as proto } from '@temporalio/proto';
import { freePort, startDevServer, type DevServer } from '../scripts/dev-server';
import { ensureTool } from '../scripts/toolchain';
import type { Actor } from '../domain/authz';
import { Driver, rita, segmentOf } from '../test/drive';
import {
  applicant,
  recipient,
  sampleApplication,
  standardContractKinds,
  uploadMaterials,
} from '../test/helpers';
import { BENCH_SEARCH_ATTRIBUTE } from './baseline-workflow';
import type { AppMemory } from './app';
import {
  ask,
  cpuSeconds,
  httpStack,
  newCallLog,
  percentiles,
  pool,
  ROOT,
  round,
  rssMb,
  startChild,
  type CallLog,
  type Child,
  type Percentiles,
} from './lib';
import { describeShape, historyChain, shapeOf, totals, type Shape, type ShapeTotals } from './shape';
import { replayProbe } from './replay';
import { DEFAULT_MAX_CACHED_WORKFLOWS } from '../config';

/** the test suite's HS256 secret (test/helpers.ts SECRET), given to the app as XBORDER_JWT_SECRET */
const SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

interface Options {
  smoke: boolean;
  rounds: number;
  /** transfers per round per side (at least twice the concurrency, so that every client sends more than one) */
  n: number;
  concurrency: number[];
  scale: number[];
  scaleConcurrency: number;
  /** list and inbox calls per K */
  reads: number;
  out: string | undefined;
  /** the eviction probe only (bench/replay.ts) */
  replay: boolean;
  /** the app's sticky cache (XBORDER_WORKER_MAX_CACHED_WORKFLOWS); unset: the configuration's default (2 with --replay) */
  cache: number | undefined;
}

function parseArgs(argv: string[]): Options {
  const smoke = argv.includes('--smoke');
  const replay = argv.includes('--replay');
  const o: Options = smoke
    ? {
        smoke,
        rounds: 1,
        n: replay ? 2 : 3,
        concurrency: [2],
        scale: [20],
        scaleConcurrency: 4,
        reads: 3,
        out: undefined,
        replay,
        cache: undefined,
      }
    : {
        smoke,
        rounds: 2,
        n: replay ? 10 : 60,
        concurrency: [10, 50],
        scale: [200, 1000],
        scaleConcurrency: 20,
        reads: 20,
        out: undefined,
        replay,
        cache: undefined,
      };
  const list = (v: string, flag: string) => {
    const xs = v.split(',').map((x) => Number(x.trim()));
    if (xs.length === 0 || xs.some((x) => !Number.isInteger(x) || x < 1))
      throw new UsageError(`${flag} takes positive whole numbers separated by commas (got "${v}")`);
    return xs;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    if (flag === '--smoke' || flag === '--replay') continue;
    const value = argv[++i];
    if (value === undefined) throw new UsageError(`${flag} needs a value`);
    switch (flag) {
      case '--rounds':
        o.rounds = list(value, flag)[0]!;
        break;
      case '--n':
        o.n = list(value, flag)[0]!;
        break;
      case '--concurrency':
        o.concurrency = list(value, flag);
        break;
      case '--scale':
        o.scale = list(value, flag).sort((a, b) => a - b);
        break;
      case '--scale-concurrency':
        o.scaleConcurrency = list(value, flag)[0]!;
        break;
      case '--reads':
        o.reads = list(value, flag)[0]!;
        break;
      case '--out':
        o.out = value;
        break;
      case '--cache':
        o.cache = list(value, flag)[0]!;
        if (o.cache < 2) throw new UsageError(`--cache takes a size of at least 2 (got "${value}")`);
        break;
      default:
        throw new UsageError(`unknown flag ${flag}`);
    }
  }
  // the replay probe pushes old transfers out by creating as many fresh ones as the cache holds
  if (o.replay && o.cache !== undefined && o.cache > 50)
    throw new UsageError(`--replay needs a small --cache (2 to 50; got ${o.cache})`);
  return o;
}

class UsageError extends Error {}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (line: string) => process.stdout.write(`${line}\n`);

interface Procs {
  temporal: number;
  app: number;
  baseline: number;
}

/** CPU seconds per process, and this process's own (the clients of both sides). */
function cpuNow(p: Procs) {
  const self = process.cpuUsage();
  return {
    temporal: cpuSeconds(p.temporal),
    app: cpuSeconds(p.app),
    baseline: cpuSeconds(p.baseline),
    driver: (self.user + self.system) / 1e6,
  };
}
type Cpu = ReturnType<typeof cpuNow>;
const cpuDelta = (a: Cpu, b: Cpu): Cpu => ({
  temporal: b.temporal - a.temporal,
  app: b.app - a.app,
  baseline: b.baseline - a.baseline,
  driver: b.driver - a.driver,
});

/** Wait until Temporal and both workers are quiet (after a round, the workflows' own steps finish). */
async function quiet(p: Procs, maxMs = 15_000): Promise<void> {
  const until = Date.now() + maxMs;
  let last = cpuNow(p);
  while (Date.now() < until) {
    await sleep(500);
    const now = cpuNow(p);
    const d = cpuDelta(last, now);
    last = now;
    if (d.temporal + d.app + d.baseline < 0.06) return;
  }
}

interface RoundResult {
  side: 'xborder' | 'baseline';
  concurrency: number;
  round: number;
  transfers: number;
  seconds: number;
  perSecond: number;
  /** CPU seconds per transfer: the side's app (xborder: API + worker; baseline: its worker), Temporal, clients */
  cpuPerTransfer: { app: number; temporal: number; driver: number };
  failures: number;
}

async function main(): Promise<void> {
  const opts = parseArgs(process.argv.slice(2));
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'xborder-bench-'));
  const children: Child[] = [];
  let dev: DevServer | undefined;
  try {
    // --- processes ---------------------------------------------------------------------------------------
    const temporalPort = await freePort();
    dev = await startDevServer({
      cliPath: ensureTool('cli'),
      port: temporalPort,
      headless: true,
      dbFile: join(dir, 'temporal.sqlite'),
    });
    const connection = await Connection.connect({ address: dev.address });
    // the baseline's own search attribute (the transfer's are left to transfers: the API lists by them)
    await connection.operatorService.addSearchAttributes({
      namespace: 'default',
      searchAttributes: {
        [BENCH_SEARCH_ATTRIBUTE]: proto.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      },
    });
    const client = new Client({ connection, namespace: 'default' });
    const apiPort = await freePort();
    const baselineQueue = `bench-baseline-${randomUUID()}`;
    // the app's sticky cache, always set explicitly so that the figure reported is the one used
    const cache =
      opts.cache ??
      (opts.replay
        ? 2
        : Number(process.env.XBORDER_WORKER_MAX_CACHED_WORKFLOWS || DEFAULT_MAX_CACHED_WORKFLOWS));
    const [app, baselineWorker] = await Promise.all([
      startChild('app.ts', {
        PORT: String(apiPort),
        HOST: '127.0.0.1',
        XBORDER_DATA_DIR: join(dir, 'app'),
        XBORDER_TEMPORAL_PORT: String(temporalPort),
        TEMPORAL_ADDRESS: '',
        XBORDER_JWT_SECRET: SECRET,
        XBORDER_TASK_QUEUE: `bench-xborder-${randomUUID()}`,
        XBORDER_RATE_LIMIT_PER_MINUTE: '1000000',
        XBORDER_WORKER_MAX_CACHED_WORKFLOWS: String(cache),
        XBORDER_WORKER_MAX_CONCURRENT_WORKFLOW_TASKS: '',
      }),
      opts.replay
        ? undefined
        : startChild('baseline-worker.ts', {
            BENCH_TEMPORAL_ADDRESS: dev.address,
            BENCH_TASK_QUEUE: baselineQueue,
          }),
    ]);
    children.push(app);
    if (baselineWorker) children.push(baselineWorker);
    log(
      `bench: Temporal dev server pid ${dev.child.pid!} (${dev.address}), xborder app pid ${app.pid} ` +
        `(http://127.0.0.1:${apiPort}, sticky cache ${cache} workflows)` +
        (baselineWorker ? `, baseline worker pid ${baselineWorker.pid}` : ''),
    );

    let calls: CallLog = newCallLog();
    const stack = httpStack(`http://127.0.0.1:${apiPort}`, SECRET, () => calls);
    const driver = new Driver(stack);

    // --- --replay: the cost of an eviction, and nothing else ---------------------------------------------
    if (opts.replay) {
      const replay = await replayProbe({ driver, client, n: opts.n, cache, log });
      const result = {
        date: new Date().toISOString(),
        command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
        options: opts,
        machine: { cpus: cpus().length, loadAverage: loadavg(), node: process.version },
        replay,
        rssMb: { app: round(rssMb(app.pid), 0), temporal: round(rssMb(dev.child.pid!), 0) },
        seconds: round((Date.now() - started) / 1000, 1),
      };
      const out = writeResult(result, opts, 'replay');
      log(`results: ${out} (${result.seconds} s)`);
      log(
        [
          `bench: replay cache=${cache}`,
          ...replay.stages.map((st) => `${st.action}@${st.evicted.historyEvents}ev=${st.ratioP50}x`),
        ].join(' '),
      );
      return;
    }
    const procs: Procs = { temporal: dev.child.pid!, app: app.pid, baseline: baselineWorker!.pid };

    // --- the shape of one transfer -----------------------------------------------------------------------
    const probeId = await driver.reach('active');
    const { shape, shapeTotals } = await settledShape(client, `transfer-${probeId}`);
    log(describeShape(shape, shapeTotals));
    if (shapeTotals.updates < 1) throw new Error('the transfer reached `active` without any update?');
    if (shape.steps[0]!.name !== 'submit')
      throw new Error(
        `the first update of a transfer is "${shape.steps[0]!.name}", the bench sends "submit" first`,
      );

    // documents, uploaded once (content-addressed ids): the materials and a signed agreement
    const materials = await uploadMaterials(stack, await stack.token(applicant), standardContractKinds);
    const signedCopy = await driver.signedCopy(probeId);
    const application = sampleApplication({ materials: materials as never });

    /** one xborder transfer to `active`: the same updates, in the same order, as the probe's history */
    const xborderTransfer = async (): Promise<void> => {
      const created = (await driver.post('/v1/transfers', applicant, application)) as { id: string };
      const id = created.id;
      for (const step of shape.steps.slice(1)) {
        // the signed agreement is uploaded once (driver.bodyFor would upload one per transfer)
        const body = step.name === 'sign' ? signBody(signedCopy) : await driver.bodyFor(step.name, id, {});
        await driver.post(`/v1/transfers/${id}/${segmentOf(step.name)}`, actorFor(step.name), body);
      }
    };

    // the baseline at the same concurrency: executeUpdateWithStart, then executeUpdate per decision
    let baselineUpdates: number[] = [];
    let baselineFailures: string[] = [];
    const baselineTransfer = async (): Promise<void> => {
      const workflowId = `bench-${randomUUID()}`;
      try {
        await client.workflow.executeUpdateWithStart('step', {
          args: [0],
          startWorkflowOperation: new WithStartWorkflowOperation('baselineWorkflow', {
            workflowId,
            taskQueue: baselineQueue,
            args: [shape],
            workflowIdConflictPolicy: 'FAIL',
          }),
        });
        const handle = client.workflow.getHandle(workflowId);
        for (let i = 1; i < shape.steps.length; i++) {
          const t0 = performance.now();
          await handle.executeUpdate('step', { args: [i] });
          baselineUpdates.push(performance.now() - t0);
        }
      } catch (err) {
        baselineFailures.push(String(err));
        throw err;
      }
    };

    // the baseline's own history must have the transfer's shape (it is derived from the same counts)
    await baselineTransfer();
    const baselineProbe = `bench-check-${randomUUID()}`;
    await client.workflow.executeUpdateWithStart('step', {
      args: [0],
      startWorkflowOperation: new WithStartWorkflowOperation('baselineWorkflow', {
        workflowId: baselineProbe,
        taskQueue: baselineQueue,
        args: [shape],
        workflowIdConflictPolicy: 'FAIL',
      }),
    });
    for (let i = 1; i < shape.steps.length; i++)
      await client.workflow.getHandle(baselineProbe).executeUpdate('step', { args: [i] });
    const baselineShape = await settledShape(client, baselineProbe);
    log(
      `baseline history: ${baselineShape.shapeTotals.updates} updates, ${baselineShape.shapeTotals.activities} activities, ` +
        `${baselineShape.shapeTotals.localActivities} local activities, ${baselineShape.shapeTotals.timersStarted} timers ` +
        `(${baselineShape.shapeTotals.timersCancelled} cancelled), ${baselineShape.shapeTotals.upserts} upserts, ` +
        `${baselineShape.shapeTotals.continuedAsNew} continue-as-new; ${baselineShape.shapeTotals.events} events`,
    );
    for (const k of [
      'updates',
      'activities',
      'localActivities',
      'timersStarted',
      'timersCancelled',
      'upserts',
    ] as const)
      if (baselineShape.shapeTotals[k] !== shapeTotals[k])
        throw new Error(
          `the baseline's history differs from the transfer's in ${k}: ${baselineShape.shapeTotals[k]} vs ${shapeTotals[k]}`,
        );
    // warm the xborder path the same way (one transfer each, untimed)
    await xborderTransfer();
    if (calls.failures.length) throw new Error(`warm-up calls failed:\n${calls.failures.join('\n')}`);
    await quiet(procs);

    // --- throughput and latency, alternating rounds ------------------------------------------------------
    const rounds: RoundResult[] = [];
    const latency: Record<number, { xborder: number[]; baseline: number[]; creations: number[] }> = {};
    for (const c of opts.concurrency) {
      const n = Math.max(opts.n, opts.smoke ? c : 2 * c);
      latency[c] = { xborder: [], baseline: [], creations: [] };
      for (let r = 1; r <= opts.rounds; r++) {
        const order: ('xborder' | 'baseline')[] =
          r % 2 === 1 ? ['xborder', 'baseline'] : ['baseline', 'xborder'];
        for (const side of order) {
          calls = newCallLog();
          baselineUpdates = [];
          baselineFailures = [];
          const cpu0 = cpuNow(procs);
          const t0 = performance.now();
          let failed = 0;
          await pool(n, c, async () => {
            try {
              await (side === 'xborder' ? xborderTransfer() : baselineTransfer());
            } catch {
              failed++;
            }
          });
          const seconds = (performance.now() - t0) / 1000;
          await quiet(procs);
          const cpu = cpuDelta(cpu0, cpuNow(procs));
          const done = n - failed;
          const result: RoundResult = {
            side,
            concurrency: c,
            round: r,
            transfers: done,
            seconds: round(seconds, 2),
            perSecond: round(done / seconds, 2),
            cpuPerTransfer: {
              app: round((side === 'xborder' ? cpu.app : cpu.baseline) / Math.max(1, done), 4),
              temporal: round(cpu.temporal / Math.max(1, done), 4),
              driver: round(cpu.driver / Math.max(1, done), 4),
            },
            failures: side === 'xborder' ? calls.failures.length : baselineFailures.length,
          };
          rounds.push(result);
          if (side === 'xborder') {
            latency[c].xborder.push(...calls.decisions);
            latency[c].creations.push(...calls.creations);
          } else latency[c].baseline.push(...baselineUpdates);
          log(
            `round ${r} at ${c} clients, ${side.padEnd(8)}: ${done}/${n} transfers in ${result.seconds} s = ` +
              `${result.perSecond}/s; CPU s per transfer app ${result.cpuPerTransfer.app}, Temporal ` +
              `${result.cpuPerTransfer.temporal}, clients ${result.cpuPerTransfer.driver}` +
              (result.failures ? `; ${result.failures} failed calls` : ''),
          );
          const fails = side === 'xborder' ? calls.failures : baselineFailures;
          for (const f of [...new Set(fails)].slice(0, 3)) log(`  failed: ${f}`);
        }
      }
    }

    const byConcurrency = opts.concurrency.map((c) => {
      const side = (s: 'xborder' | 'baseline') => rounds.filter((r) => r.concurrency === c && r.side === s);
      const rate = (rs: RoundResult[]) =>
        rs.reduce((n, r) => n + r.transfers, 0) / rs.reduce((n, r) => n + r.seconds, 0);
      const xb = side('xborder');
      const base = side('baseline');
      const xbLat = percentiles(latency[c]!.xborder);
      const baseLat = percentiles(latency[c]!.baseline);
      return {
        concurrency: c,
        transfersPerSecond: { xborder: round(rate(xb)), baseline: round(rate(base)) },
        ratio: round(rate(xb) / rate(base)),
        roundRatios: xb.map((r, i) => round(r.perSecond / base[i]!.perSecond)),
        decisionMs: { xborder: xbLat, baseline: baseLat },
        creationMs: percentiles(latency[c]!.creations),
        overheadP50Ms: round(xbLat.p50 - baseLat.p50, 1),
        p99Ratio: round(xbLat.p99 / baseLat.p99),
        failures: {
          xborder: xb.reduce((n, r) => n + r.failures, 0),
          baseline: base.reduce((n, r) => n + r.failures, 0),
        },
      };
    });
    const cpuSide = (s: 'xborder' | 'baseline') => {
      const rs = rounds.filter((r) => r.side === s);
      const total = rs.reduce((n, r) => n + r.transfers, 0);
      const sum = (k: 'app' | 'temporal' | 'driver') =>
        round(rs.reduce((n, r) => n + r.cpuPerTransfer[k] * r.transfers, 0) / total, 4);
      const app = sum('app');
      const temporal = sum('temporal');
      return { app, temporal, total: round(app + temporal, 4), clients: sum('driver') };
    };
    const cpu = { xborder: cpuSide('xborder'), baseline: cpuSide('baseline') };
    const cpuRatio = round(cpu.xborder.total / cpu.baseline.total);
    for (const b of byConcurrency) {
      log(
        `at ${b.concurrency} clients: transfers/s xborder ${b.transfersPerSecond.xborder}, baseline ` +
          `${b.transfersPerSecond.baseline}, ratio ${b.ratio} (rounds ${b.roundRatios.join(', ')}); decision ms ` +
          `p50/p95/p99 xborder ${b.decisionMs.xborder.p50}/${b.decisionMs.xborder.p95}/${b.decisionMs.xborder.p99}, ` +
          `executeUpdate ${b.decisionMs.baseline.p50}/${b.decisionMs.baseline.p95}/${b.decisionMs.baseline.p99}; ` +
          `overhead p50 ${b.overheadP50Ms} ms, p99 ratio ${b.p99Ratio}`,
      );
    }
    log(
      `CPU s per transfer: xborder app ${cpu.xborder.app} + Temporal ${cpu.xborder.temporal} = ${cpu.xborder.total}; ` +
        `baseline worker ${cpu.baseline.app} + Temporal ${cpu.baseline.temporal} = ${cpu.baseline.total}; ratio ${cpuRatio} ` +
        `(clients, this process: xborder ${cpu.xborder.clients}, baseline ${cpu.baseline.clients})`,
    );

    // --- scale probe -------------------------------------------------------------------------------------
    const activeOpen = rounds.filter((r) => r.side === 'xborder').reduce((n, r) => n + r.transfers, 0) + 2;
    const scale: {
      k: number;
      openTransfers: number;
      created: number;
      createdPerSecond: number;
      failures: number;
      rssMb: { app: number; temporal: number; baselineWorker: number };
      /** the app's own view: its main thread's V8 heap, and the workflows in its sticky cache */
      appMemory: AppMemory['memory'] | undefined;
      inboxMs: Percentiles;
      inboxItems: number;
      inboxFailures: number;
      listMs: Percentiles;
      listItems: number;
      listFailures: number;
    }[] = [];
    let created = 0;
    await quiet(procs);
    const rssBefore = {
      app: round(rssMb(procs.app), 0),
      temporal: round(rssMb(procs.temporal), 0),
      baselineWorker: round(rssMb(procs.baseline), 0),
    };
    log(
      `before the scale probe (open ${activeOpen} active transfers and as many baseline workflows): RSS app ` +
        `${rssBefore.app} MB, Temporal ${rssBefore.temporal} MB, baseline worker ${rssBefore.baselineWorker} MB`,
    );
    for (const k of opts.scale) {
      calls = newCallLog();
      const want = k - created;
      let failed = 0;
      const t0 = performance.now();
      await pool(want, opts.scaleConcurrency, async () => {
        try {
          await driver.post('/v1/transfers', applicant, application);
        } catch {
          failed++;
        }
      });
      const seconds = (performance.now() - t0) / 1000;
      created += want - failed;
      await quiet(procs, 60_000);
      const reviewerToken = await stack.token(rita);
      const timed = async (path: string) => {
        const ms: number[] = [];
        let items = 0;
        const failures: string[] = [];
        for (let i = 0; i < opts.reads; i++) {
          const t = performance.now();
          const res = await stack.call('GET', path, { token: reviewerToken });
          ms.push(performance.now() - t);
          if (res.status === 200) items = (res.body as { items: unknown[] }).items.length;
          else failures.push(`GET ${path}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
        }
        for (const f of [...new Set(failures)])
          log(`  failed ${failures.filter((x) => x === f).length}×: ${f}`);
        return { ms: percentiles(ms), items, failures: failures.length };
      };
      const inbox = await timed('/v1/inbox');
      const list = await timed('/v1/transfers?pageSize=100');
      const row = {
        k,
        openTransfers: created + activeOpen,
        created: want - failed,
        createdPerSecond: round((want - failed) / seconds, 1),
        failures: failed,
        rssMb: {
          app: round(rssMb(procs.app), 0),
          temporal: round(rssMb(procs.temporal), 0),
          baselineWorker: round(rssMb(procs.baseline), 0),
        },
        appMemory: (await ask<AppMemory>(app, 'memory', 'memory'))?.memory,
        inboxMs: inbox.ms,
        inboxItems: inbox.items,
        inboxFailures: inbox.failures,
        listMs: list.ms,
        listItems: list.items,
        listFailures: list.failures,
      };
      scale.push(row);
      log(
        `scale K=${k} (open ${row.openTransfers}): created ${row.created} at ${row.createdPerSecond}/s` +
          `${failed ? ` (${failed} failed: ${calls.failures[0] ?? ''})` : ''}; RSS app ${row.rssMb.app} MB, Temporal ` +
          `${row.rssMb.temporal} MB (baseline worker ${row.rssMb.baselineWorker} MB); app main-thread heap ` +
          `${row.appMemory?.heapUsedMb ?? '?'}/${row.appMemory?.heapTotalMb ?? '?'} MB, ` +
          `${row.appMemory?.cachedWorkflows ?? '?'} workflows cached (of ${cache}; workflow heap limit ` +
          `${row.appMemory?.limits.workflowHeapMb ?? '?'} MB); GET /v1/inbox p50 ` +
          `${row.inboxMs.p50} ms (${row.inboxItems} items), GET /v1/transfers?pageSize=100 p50 ${row.listMs.p50} ms`,
      );
    }

    // --- results -----------------------------------------------------------------------------------------
    const result = {
      date: new Date().toISOString(),
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      options: opts,
      machine: { cpus: cpus().length, loadAverage: loadavg(), node: process.version },
      /** the app's sticky cache (XBORDER_WORKER_MAX_CACHED_WORKFLOWS) */
      cache,
      shape: { ...shapeTotals, steps: shape.steps.map((s) => s.name) },
      baselineShape: baselineShape.shapeTotals,
      throughput: byConcurrency,
      rounds,
      cpuPerTransfer: { ...cpu, ratio: cpuRatio },
      scale,
      rssBeforeScaleMb: rssBefore,
      /** app RSS growth per open transfer over the probe (first K to last K; from before the probe when one K) */
      appMbPerOpenTransfer: scaleSlope({ open: activeOpen, app: rssBefore.app }, scale),
      seconds: round((Date.now() - started) / 1000, 1),
    };
    const out = writeResult(result, opts);
    log(`app RSS per open transfer: ${result.appMbPerOpenTransfer} MB`);
    log(`results: ${out} (${result.seconds} s)`);
    const last = scale.at(-1);
    log(
      [
        'bench:',
        ...byConcurrency.map((b) => `ratio${b.concurrency}=${b.ratio}`),
        `overheadP50=${byConcurrency[0]!.overheadP50Ms}ms`,
        ...byConcurrency.map((b) => `p99ratio${b.concurrency}=${b.p99Ratio}`),
        `cpuRatio=${cpuRatio}`,
        last ? `rss@${last.k}=${last.rssMb.app}MB temporalRss@${last.k}=${last.rssMb.temporal}MB` : '',
        `cache=${cache}`,
        `shape=${shapeTotals.updates}u/${shapeTotals.activities}a/${shapeTotals.localActivities}la/${shapeTotals.timersStarted}t`,
      ]
        .filter(Boolean)
        .join(' '),
    );
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await dev?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The result file: --out, or bench/results/<date>[-replay][-smoke].json (smoke results are not committed). */
function writeResult(result: { date: string }, opts: Options, kind?: string): string {
  const out =
    opts.out ??
    join(
      ROOT,
      'bench',
      'results',
      `${result.date.replace(/[:.]/g, '-')}${kind ? `-${kind}` : ''}${opts.smoke ? '-smoke' : ''}.json`,
    );
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
  return out;
}

function scaleSlope(
  before: { open: number; app: number },
  rows: { openTransfers: number; rssMb: { app: number } }[],
): number | null {
  const last = rows.at(-1);
  if (!last) return null;
  const first = rows.length > 1 ? rows[0]! : { openTransfers: before.open, rssMb: { app: before.app } };
  return round((last.rssMb.app - first.rssMb.app) / (last.openTransfers - first.openTransfers), 3);
}

/** the actor who sends each decision of the path to `active` (test/drive.ts `reach`) */
function actorFor(step: string): Actor {
  if (step === 'sign') return recipient;
  if (step === 'countersign' || step === 'file') return applicant;
  return rita;
}

function signBody(documentId: string) {
  return { documentId, signerName: 'Erika Muster', signerTitle: 'Managing Director', signedAt: today() };
}
const today = (): string => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const ET = proto.api.enums.v1.EventType;
const busy = new Set<number>([
  ET.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
  ET.EVENT_TYPE_WORKFLOW_TASK_STARTED,
  ET.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED,
  ET.EVENT_TYPE_ACTIVITY_TASK_STARTED,
  // the next run's first task is yet to come
  ET.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW,
  ET.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED,
]);

/** The shape of a workflow's histories once they stop growing (its own steps after the last update are done). */
async function settledShape(
  client: Client,
  workflowId: string,
): Promise<{ shape: Shape; shapeTotals: ShapeTotals }> {
  let last = '';
  for (let i = 0; i < 60; i++) {
    const runs = await historyChain(client, workflowId);
    const events = runs.reduce((n, r) => n + r.length, 0);
    const lastEvent = runs.at(-1)?.at(-1)?.eventType ?? undefined;
    const key = `${runs.length}:${events}`;
    const inFlight = lastEvent !== undefined && busy.has(lastEvent);
    // settled: the same length on two reads 500 ms apart, and nothing in flight at its end
    if (key === last && !inFlight) {
      const shape = shapeOf(runs);
      return { shape, shapeTotals: totals(shape, events) };
    }
    last = key;
    await sleep(500);
  }
  throw new Error(`${workflowId} did not settle`);
}

main().catch((err: unknown) => {
  console.error(err instanceof UsageError ? `bench: ${err.message}` : err);
  process.exit(1);
});
