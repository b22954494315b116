/**
 * End to end: the whole `npm start` stack (embedded Temporal dev server with SQLite, worker and API processes) on
 * free ports, driven over HTTP through completeness (its decisions reach a registered webhook, sent by the worker
 * process and verified with `standardwebhooks`), stopped with SIGTERM to the npm start process alone (every
 * process of the stack gone, every port free), started again: everything is still there. Then a crash: SIGKILL of
 * the whole process group leaves the detached dev server running on its ports; the next start stops it by itself
 * and finds the transfers again.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { Webhook } from 'standardwebhooks';
import { mintToken } from '../../api/auth';
import { REMINDER_SCHEDULE_ID } from '../../worker';
import { eventually } from '../helpers';
import { freePort, portFree } from '../../scripts/dev-server';
import { applicant, reviewer, sampleApplication, standardContractKinds } from '../fixtures';

// four starts of the whole stack (each bundles the workflows in its worker process) on a shared 2-core machine
jest.setTimeout(360_000);

const root = join(__dirname, '..', '..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function start(env: Record<string, string>): Run {
  const child = spawn(tsx, ['scripts/start.ts'], {
    cwd: root,
    env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true, // its own process group, as a terminal gives it: the crash test kills the whole group
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, output: () => out, exited };
}

async function waitReady(base: string, run: Run, timeoutMs = 120_000): Promise<number> {
  const t0 = Date.now();
  while (Date.now() - t0 < timeoutMs) {
    if (run.child.exitCode !== null) throw new Error(`npm start exited early:\n${run.output()}`);
    try {
      if ((await fetch(`${base}/readyz`)).status === 200) return Date.now() - t0;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`not ready in ${timeoutMs} ms:\n${run.output()}`);
}

async function stop(run: Run): Promise<number | null> {
  run.child.kill('SIGTERM');
  return run.exited;
}

/** Every process on this machine that belongs to a stack on `dataDir` (its environment or command line names it). */
function processesOf(dataDir: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0');
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      if (environ.includes(`XBORDER_DATA_DIR=${dataDir}`) || cmdline.some((a) => a.startsWith(dataDir)))
        found.push(`${pid} ${cmdline.join(' ').slice(0, 120)}`);
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

async function allFree(ports: number[]): Promise<boolean> {
  return (await Promise.all(ports.map((p) => portFree(p)))).every(Boolean);
}

describe('npm start, end to end', () => {
  let dataDir: string;
  let env: Record<string, string>;
  let base: string;
  const runs: Run[] = [];
  const ports = () =>
    [env.PORT, env.XBORDER_TEMPORAL_PORT, env.XBORDER_TEMPORAL_UI_PORT].map((p) => Number(p));

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'xborder-e2e-'));
    const port = await freePort();
    env = {
      PORT: String(port),
      XBORDER_TEMPORAL_PORT: String(await freePort()),
      XBORDER_TEMPORAL_UI_PORT: String(await freePort()),
      XBORDER_DATA_DIR: dataDir,
    };
    delete process.env.XBORDER_JWT_SECRET;
    base = `http://127.0.0.1:${port}`;
  });
  afterAll(async () => {
    for (const r of runs) if (r.child.exitCode === null) await stop(r);
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('drive a transfer through completeness, restart, and find it and its documents again', async () => {
    const first = start(env);
    runs.push(first);
    process.stdout.write(`[e2e] first start ready in ${await waitReady(base, first)} ms\n`);
    expect(first.output()).toContain('xborder is running');
    expect(existsSync(join(dataDir, 'temporal.sqlite'))).toBe(true);

    // the dev secret was generated into the data dir; tokens are signed with it
    const secret = readFileSync(join(dataDir, 'jwt-secret'), 'utf8').trim();
    const A = await mintToken(secret, applicant);
    const R = await mintToken(secret, reviewer);
    const json = (method: string, path: string, token: string, body?: unknown) =>
      fetch(`${base}${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

    // a webhook for acme: the worker process delivers its notifications (the API process never does)
    const hooks: { transferId: string; kind: string }[] = [];
    let hookSecret = '';
    const receiver = createServer((req, res) => {
      let raw = '';
      req.on('data', (c: Buffer) => (raw += c.toString()));
      req.on('end', () => {
        try {
          hooks.push(new Webhook(hookSecret).verify(raw, req.headers as Record<string, string>) as never);
          res.statusCode = 204;
        } catch {
          res.statusCode = 400;
        }
        res.end();
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
    const ADMIN = await mintToken(secret, { sub: 'ada', role: 'admin' });
    const hook = await json('PUT', '/v1/admin/webhooks/org/acme', ADMIN, {
      url: `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`,
    });
    expect(hook.status).toBe(200);
    hookSecret = hook.body.secret as string;

    const materials = [];
    for (const kind of standardContractKinds) {
      const up = await fetch(`${base}/v1/documents`, {
        method: 'POST',
        headers: { authorization: `Bearer ${A}`, 'content-type': 'text/plain' },
        body: `${kind} of acme`,
      });
      expect(up.status).toBe(201);
      materials.push({ kind, documentId: ((await up.json()) as { id: string }).id });
    }
    const created = await json(
      'POST',
      '/v1/transfers',
      A,
      sampleApplication({ materials: materials as never }),
    );
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const asked = await json('POST', `/v1/transfers/${id}/completeness`, R, {
      decision: 'request_supplement',
      items: [{ field: 'purpose', request: 'name the carriers' }],
    });
    expect(asked.body.status).toBe('awaiting_supplement');
    const answered = await json('POST', `/v1/transfers/${id}/supplement`, A, {
      responses: [{ itemId: 'r1-1', text: 'DHL and UPS' }],
    });
    expect(answered.body.status).toBe('completeness_check');
    const accepted = await json('POST', `/v1/transfers/${id}/completeness`, R, { decision: 'accept' });
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('under_review');
    await eventually(() => Promise.resolve(hooks.some((h) => h.transferId === id && h.kind === 'decision')));
    receiver.closeAllConnections();
    await new Promise((r) => receiver.close(r));

    // a second stack on the same ports explains itself in one line
    const second = start(env);
    runs.push(second);
    expect(await second.exited).toBe(1);
    expect(second.output()).toMatch(/^xborder: port \d+ \(API\) is already in use/m);
    expect(second.output()).not.toMatch(/\n\s+at /);

    // SIGTERM to the npm start process alone (not its group): it stops the API, the worker and the dev server
    expect(await stop(first)).toBe(0);
    await expect(fetch(`${base}/healthz`)).rejects.toThrow();
    expect(processesOf(dataDir)).toEqual([]);
    expect(await allFree(ports())).toBe(true);

    const again = start(env);
    runs.push(again);
    await waitReady(base, again);
    const found = await json('GET', `/v1/transfers/${id}`, A);
    expect(found.status).toBe(200);
    expect(found.body).toMatchObject({ id, status: 'under_review' });
    expect(found.body.decisions.map((d: { action: string }) => d.action)).toEqual([
      'submit',
      'completeness.request_supplement',
      'supplement',
      'completeness.accept',
    ]);
    const doc = await fetch(`${base}/v1/documents/${materials[0]!.documentId}`, {
      headers: { authorization: `Bearer ${R}` },
    });
    expect(doc.status).toBe(200);
    expect(await doc.text()).toBe('pipia_report of acme');
    const listed = await json('GET', '/v1/transfers', A);
    expect(listed.body.items.map((i: { id: string }) => i.id)).toContain(id);
    // the hourly reminder sweep is scheduled; triggered now, it runs to completion
    const connection = await Connection.connect({ address: `127.0.0.1:${env.XBORDER_TEMPORAL_PORT}` });
    try {
      const client = new Client({ connection });
      const schedule = await client.schedule.getHandle(REMINDER_SCHEDULE_ID).describe();
      expect(schedule.action).toMatchObject({ type: 'startWorkflow', workflowType: 'reminderSweepWorkflow' });
      await client.schedule.getHandle(REMINDER_SCHEDULE_ID).trigger();
      const swept = await eventually(async () => {
        for await (const wf of client.workflow.list({
          query: `WorkflowType = 'reminderSweepWorkflow' AND ExecutionStatus = 'Completed'`,
        }))
          return wf;
        return undefined;
      }, 30_000);
      expect(swept.status.name).toBe('COMPLETED');
    } finally {
      await connection.close();
    }

    // a crash: SIGKILL of the whole group (npm start, worker, API); the dev server, detached, lives on
    const record = JSON.parse(readFileSync(join(dataDir, 'temporal-dev.json'), 'utf8')) as {
      server: { pid: number };
    };
    process.kill(-again.child.pid!, 'SIGKILL');
    await again.exited;
    await eventually(() => Promise.resolve(processesOf(dataDir).length === 1), 10_000);
    expect(processesOf(dataDir)).toEqual([
      expect.stringMatching(new RegExp(`^${record.server.pid} .*start-dev`)),
    ]);
    expect(await portFree(Number(env.XBORDER_TEMPORAL_PORT))).toBe(false);

    // the next start recognises the server of this data folder, stops it, and comes up on the same ports
    const recovered = start(env);
    runs.push(recovered);
    process.stdout.write(`[e2e] start after the crash ready in ${await waitReady(base, recovered)} ms\n`);
    expect(recovered.output()).toContain(
      `a Temporal dev server of this data folder was left running by an earlier run (pid ${record.server.pid}): stopping it`,
    );
    const afterCrash = await json('GET', `/v1/transfers/${id}`, A);
    expect(afterCrash.status).toBe(200);
    expect(afterCrash.body).toMatchObject({ id, status: 'under_review' });
    expect(await stop(recovered)).toBe(0);
    expect(processesOf(dataDir)).toEqual([]);
    expect(await allFree(ports())).toBe(true);
  });

  test('with TEMPORAL_ADDRESS it uses that cluster and starts no server of its own', async () => {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'xborder-e2e-ext-'));
    const external = start({
      PORT: String(port),
      XBORDER_DATA_DIR: dir,
      TEMPORAL_ADDRESS: process.env.XB_TEST_TEMPORAL_ADDRESS!,
      TEMPORAL_NAMESPACE: 'default',
      XBORDER_TASK_QUEUE: `e2e-external-${port}`,
      XBORDER_JWT_SECRET: 'an-explicit-secret-of-at-least-32-characters',
    });
    runs.push(external);
    try {
      const url = `http://127.0.0.1:${port}`;
      await waitReady(url, external);
      expect(external.output()).not.toContain('starting Temporal dev server');
      expect(external.output()).toContain(`Temporal     ${process.env.XB_TEST_TEMPORAL_ADDRESS}`);
      expect(existsSync(join(dir, 'temporal.sqlite'))).toBe(false);
      expect(existsSync(join(dir, 'jwt-secret'))).toBe(false);
      const token = await mintToken('an-explicit-secret-of-at-least-32-characters', applicant);
      const res = await fetch(`${url}/v1/transfers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(
          sampleApplication({
            volume: { individualsYtd: 5, sensitiveIndividualsYtd: 0, importantData: false },
          }),
        ),
      });
      expect(res.status).toBe(201);
      expect(((await res.json()) as { status: string }).status).toBe('exempt');
      expect(await stop(external)).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
