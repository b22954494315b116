/**
 * The fleet (issue 11): the suite's Temporal dev server, one PostgreSQL database, TWO API processes
 * (`api/main.ts`, as `npm run api` runs it) and TWO worker processes (`worker.ts`, as `npm run worker`), each a
 * separate OS process configured only through the environment config.ts reads. 20 transfers are driven
 * concurrently to `active` through both APIs alternately (each request to the next API, as a round-robin load
 * balancer would), while a worker is SIGKILLed and started again at least 10 times and an API process at least 5
 * times; clients retry on 503 and on connection errors with the same Idempotency-Key.
 *
 * Afterwards: every transfer is `active`, each decision taken once; filing numbers are unique and gap-free;
 * `npm run verify -- --all` against that PostgreSQL exits 0; a local webhook receiver got every notification of
 * the applicant's org (distinct `webhook-id` values = that org's notifications; a repeated id only as a retry,
 * counted and printed); no role's inbox offers a transfer whose workflow is closed. Recovery times are printed,
 * not asserted (they depend on the machine).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { mintToken } from '../../api/auth';
import { dataConverterFor, loadKeyRing } from '../../activities/crypto';
import type { Actor } from '../../domain/authz';
import { openStore, type Store } from '../../store';
import { Driver, rita } from '../drive';
import { createTestDatabase, tempDir } from '../postgres';
import { applicant, recipient, runVerify, SECRET, TEST_ENCRYPTION_KEYS, type Stack } from '../helpers';
import { freePort } from '../../scripts/dev-server';
import { killProcess, spawnScript, type ScriptProcess } from '../support/processes';

jest.setTimeout(480_000);

const TRANSFERS = 20;
const WORKER_KILLS = 10;
const API_KILLS = 5;
/** the chaos stops at these even when driving is slower than expected */
const MAX_WORKER_KILLS = 14;
const MAX_API_KILLS = 7;
/** pauses between a replacement's start and the next kill of its role (one of each role is up at any time) */
const WORKER_KILL_EVERY_MS = 1_000;
const API_KILL_EVERY_MS = 3_000;
/** how long one logical request is retried */
const RETRY_FOR_MS = 180_000;

const ROOT = join(__dirname, '..', '..');
const admin: Actor = { sub: 'ada', role: 'admin' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const log = (line: string) =>
  process.stdout.write(`[fleet ${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

let dir: string;
let databaseUrl: string;
let env: NodeJS.ProcessEnv;
let store: Store;
let temporal: Connection;
let receiver: Server;

// ---------------------------------------------------------------------------------------------------------------
// The processes

interface Member {
  role: 'api' | 'worker';
  slot: number;
  child: ScriptProcess;
  /** resolves once it listens (API) or polls (worker) */
  ready: Promise<unknown>;
}
const apiPorts: number[] = [];
const workers: Member[] = [];
const apis: Member[] = [];

function start(role: 'api' | 'worker', slot: number): Member {
  const script = role === 'api' ? join(ROOT, 'api', 'main.ts') : join(ROOT, 'worker.ts');
  const child = spawnScript(script, [], {
    cwd: ROOT,
    env: role === 'api' ? { ...env, PORT: String(apiPorts[slot]) } : env,
  });
  const ready = child.line((l) =>
    role === 'api' ? l.startsWith('API listening on') : l.startsWith('worker polling task queue'),
  );
  ready.catch(() => undefined);
  return { role, slot, child, ready };
}

const recovery = { worker: [] as number[], api: [] as number[] };
/** set when the test ends (or fails): the chaos stops killing and starting */
let stopping = false;

/** SIGKILL the member in this slot and start another in its place; resolves once the new one is ready. */
async function restart(members: Member[], slot: number): Promise<void> {
  const old = members[slot]!;
  const killedAt = Date.now();
  await killProcess(old.child.proc);
  if (stopping) return;
  const fresh = start(old.role, slot);
  members[slot] = fresh;
  log(`${old.role} ${slot} killed (pid ${old.child.proc.pid}), pid ${fresh.child.proc.pid} starting`);
  await fresh.ready.catch((err: unknown) => {
    if (!stopping) throw err; // killed by the test's end otherwise
  });
  if (stopping) return;
  recovery[old.role].push(Date.now() - killedAt);
  log(`${old.role} ${slot} ready after ${seconds(Date.now() - killedAt)}`);
}

// ---------------------------------------------------------------------------------------------------------------
// The clients: round robin over the APIs, retries with the same Idempotency-Key

const retried = { calls: 0, attempts: 0, waits: [] as number[], statuses: new Map<string, number>() };

function retryable(err: unknown): string | undefined {
  const e = err as { name?: string; cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError') return 'timeout';
  if (e.name === 'TypeError' && e.cause) return e.cause.code ?? e.cause.message ?? 'fetch failed';
  return undefined;
}

let nextApi = 0;
/** what Driver needs of a stack: tokens, and calls that reach the fleet through its load balancer */
const fleetClient: Pick<Stack, 'token' | 'call'> = {
  token: (actor) => mintToken(SECRET, actor),
  async call(method, path, o = {}) {
    const headers: Record<string, string> = { ...(o.headers ?? {}) };
    if (o.token) headers.authorization = `Bearer ${o.token}`;
    // one key per logical request, the same on every retry
    if (method !== 'GET') headers['idempotency-key'] ??= randomUUID();
    let body: string | undefined;
    if (o.body !== undefined) {
      body = typeof o.body === 'string' ? o.body : JSON.stringify(o.body);
      headers['content-type'] ??= 'application/json';
    }
    const startedAt = Date.now();
    let failedAt: number | undefined;
    // round robin over the APIs, and a retry always goes to the next one (a shared counter alone could send
    // clients retrying in step to the same dead API again and again)
    let turn = nextApi++;
    for (; ; turn++) {
      const port = apiPorts[turn % apiPorts.length]!;
      let why: string | undefined;
      try {
        const res = await fetch(`http://127.0.0.1:${port}${path}`, {
          method,
          headers,
          body,
          signal: AbortSignal.timeout(30_000),
        });
        const text = await res.text();
        if (res.status !== 503) {
          if (failedAt !== undefined) {
            retried.calls++;
            retried.waits.push(Date.now() - failedAt);
          }
          let parsed: unknown = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON
          }
          return { status: res.status, body: parsed, headers: res.headers };
        }
        why = `503 ${text.slice(0, 300)}`;
      } catch (err) {
        why = retryable(err);
        if (!why) throw err;
      }
      retried.attempts++;
      const cause = why.startsWith('503') ? '503' : why;
      retried.statuses.set(cause, (retried.statuses.get(cause) ?? 0) + 1);
      failedAt ??= Date.now();
      if (stopping) throw new Error(`${method} ${path}: the test ended`);
      if (Date.now() - startedAt > RETRY_FOR_MS)
        throw new Error(
          `${method} ${path}: still ${why} after ${seconds(Date.now() - startedAt)}${await workflowOf(path)}`,
        );
      await sleep(250);
    }
  },
};

/** A client that reads the fleet's workflows (their payloads are encrypted with the test key ring). */
const temporalClient = () =>
  new Client({
    connection: temporal,
    namespace: 'default',
    dataConverter: dataConverterFor(loadKeyRing(dir, TEST_ENCRYPTION_KEYS)),
  });

/** For a failure message: what Temporal says of the transfer a path names (pending tasks and activities). */
async function workflowOf(path: string): Promise<string> {
  const id = /^\/v1\/transfers\/([0-9a-f-]{36})/.exec(path)?.[1];
  if (!id) return '';
  try {
    const { raw, status } = await temporalClient().workflow.getHandle(`transfer-${id}`).describe();
    return `\n  workflow ${status.name}, history ${String(raw.workflowExecutionInfo?.historyLength)} events, pending workflow task ${JSON.stringify(raw.pendingWorkflowTask ?? null)}, pending activities ${JSON.stringify((raw.pendingActivities ?? []).map((a) => ({ type: a.activityType?.name, attempt: a.attempt, state: a.state, lastFailure: a.lastFailure?.message })))}`;
  } catch (err) {
    return `\n  (describe failed: ${String(err)})`;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The webhook receiver

interface Received {
  id: string;
  /** the notification id when the sender names it (X-Xborder-Delivery, before Standard Webhooks) */
  notification: string | undefined;
}
const received: Received[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    req.on('data', (c: Buffer) => (data += c.toString()));
    req.on('end', () => resolve(data));
    req.on('error', reject);
  });
}

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  dir = tempDir('xborder-fleet-');
  databaseUrl = await createTestDatabase('fleet');
  const taskQueue = `fleet-${randomUUID()}`;
  apiPorts.push(await freePort(), await freePort());
  // every variable of config.ts a fleet member reads; nothing else of the test's environment leaks in
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    HOST: '127.0.0.1',
    XBORDER_DATA_DIR: dir,
    XBORDER_DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: process.env.XB_TEST_TEMPORAL_ADDRESS,
    TEMPORAL_NAMESPACE: 'default',
    XBORDER_TASK_QUEUE: taskQueue,
    // the run's bundle (test/global-setup.ts), built ahead as a deployment would: a worker polls in seconds
    XBORDER_WORKFLOW_BUNDLE: process.env.XB_TEST_WORKFLOW_BUNDLE,
    // shared by the fleet: tokens any API accepts, page tokens any API reads, payloads any worker decrypts
    XBORDER_JWT_SECRET: SECRET,
    XBORDER_PAGE_TOKEN_SECRET: 'fleet-page-token-secret-0123456789abcdef',
    XBORDER_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
    // 20 clients retrying every 250 ms through one address share one budget now (api/rate-limit-store.ts)
    XBORDER_RATE_LIMIT_PER_MINUTE: '1000000',
    // the default 10 s; a loaded 2-core machine replaying histories on freshly started workers may need longer
    XBORDER_UPDATE_TIMEOUT_MS: '20000',
    LOG_LEVEL: 'error',
  };
  if (process.env.TEMPORAL_CLI_PATH) env.TEMPORAL_CLI_PATH = process.env.TEMPORAL_CLI_PATH;
  store = await openStore({ dataDir: dir, databaseUrl, keyRing: loadKeyRing(dir, TEST_ENCRYPTION_KEYS) });
  temporal = await Connection.connect({ address: process.env.XB_TEST_TEMPORAL_ADDRESS! });
  receiver = createServer((req, res) => {
    void readBody(req).then(() => {
      const id = req.headers['webhook-id'] ?? req.headers['x-xborder-delivery'];
      const delivery = req.headers['x-xborder-delivery'];
      if (typeof id === 'string')
        received.push({ id, notification: typeof delivery === 'string' ? delivery : undefined });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, () => r())); // dual stack: `localhost` is either family
  // first the workers (the first one creates the schema as the APIs would), then the APIs
  for (let slot = 0; slot < 2; slot++) workers.push(start('worker', slot));
  for (let slot = 0; slot < 2; slot++) apis.push(start('api', slot));
  await Promise.all([...workers, ...apis].map((m) => m.ready));
  log(
    `2 APIs on ports ${apiPorts.join(', ')}, 2 workers on ${taskQueue}, database ${new URL(databaseUrl).pathname}`,
  );
});

afterAll(async () => {
  stopping = true;
  await Promise.all([...apis, ...workers].map((m) => killProcess(m.child.proc)));
  await new Promise((r) => receiver?.close(r));
  await temporal?.close();
  await store?.close();
});

test('two APIs and two workers, killed again and again, carry 20 transfers to active exactly once', async () => {
  const drive = new Driver(fleetClient);
  const port = (receiver.address() as { port: number }).port;
  const registered = await fleetClient.call('PUT', '/v1/admin/webhooks/org/acme', {
    token: await drive.token(admin),
    body: { url: `http://localhost:${port}/hook` },
  });
  expect(registered.status).toBe(200);

  // the transfers, concurrently, through both APIs; beside them one left waiting for a reviewer (an inbox task)
  // and one withdrawn (its workflow closed)
  let driving = true;
  const drivenAt = Date.now();
  const driven = Promise.all(
    Array.from({ length: TRANSFERS }, async (_, i) => {
      await sleep(i * 150); // not all in the same millisecond
      return drive.reach('active');
    }),
  ).finally(() => (driving = false));
  const parked = Promise.all([drive.reach('completeness_check'), drive.reach('withdrawn')]);

  // the chaos, beside it, rolling: a worker is killed and replaced while the other one polls, then the other
  // one; the same for the APIs (as a load balancer sees a crashing instance)
  const kills = { worker: 0, api: 0 };
  const whileDriving = { worker: 0, api: 0 };
  const chaos = (members: Member[], pauseMs: number, least: number, most: number) =>
    (async () => {
      const role = members[0]!.role;
      for (let slot = 0; ; slot = 1 - slot) {
        if (!((driving || kills[role] < least) && kills[role] < most) || stopping) return;
        await sleep(pauseMs);
        await members[1 - slot]!.ready; // the other one serves meanwhile
        if (stopping) return;
        kills[role]++;
        if (driving) whileDriving[role]++;
        await restart(members, slot);
      }
    })();
  const chaotic = Promise.all([
    chaos(workers, WORKER_KILL_EVERY_MS, WORKER_KILLS, MAX_WORKER_KILLS),
    chaos(apis, API_KILL_EVERY_MS, API_KILLS, MAX_API_KILLS),
  ]);
  // should driving fail, these end with the test (afterAll) and must not be reported as unhandled
  parked.catch(() => undefined);
  chaotic.catch(() => undefined);
  const ids = await driven;
  const drivenMs = Date.now() - drivenAt;
  const [waiting, withdrawn] = await parked;
  await chaotic;
  const workerKills = kills.worker;
  const apiKills = kills.api;
  log(
    `${ids.length} transfers active after ${seconds(drivenMs)}; ${workerKills} worker kills (${whileDriving.worker} while driving), ${apiKills} API kills (${whileDriving.api} while driving)`,
  );
  expect(workerKills).toBeGreaterThanOrEqual(WORKER_KILLS);
  expect(apiKills).toBeGreaterThanOrEqual(API_KILLS);

  // every transfer active, each decision on its way taken once
  const filingNumbers: string[] = [];
  for (const id of ids) {
    const view = (await fleetClient.call('GET', `/v1/transfers/${id}`, { token: await drive.token(rita) }))
      .body as { status: string; filingNumber: string; decisions: { action: string }[] };
    expect(view.status).toBe('active');
    const actions = view.decisions.map((d) => d.action);
    expect(actions.filter((a, i) => actions.indexOf(a) !== i)).toEqual([]);
    filingNumbers.push(view.filingNumber);
  }
  expect(new Set(ids).size).toBe(TRANSFERS);

  // filing numbers: one per transfer, unique, gap-free per year (this database saw only these transfers)
  expect(new Set(filingNumbers).size).toBe(TRANSFERS);
  const years = [...new Set(filingNumbers.map((n) => Number(n.split('-')[1])))];
  for (const year of years) {
    const issued = await store.filingNumbers.ofYear(year);
    expect(issued.map((f) => f.seq).sort((a, b) => a - b)).toEqual(issued.map((_, i) => i + 1));
    expect(issued.every((f) => filingNumbers.includes(f.number))).toBe(true);
  }

  // every audit chain and the global head verify
  const verify = await runVerify({ dir, databaseUrl }, ['--all']);
  if (verify.code !== 0) process.stdout.write(verify.out);
  expect(verify.code).toBe(0);

  // the applicant org's webhook receiver got each of its notifications (a repeated id only as a retry)
  const notifications = await store.notifications.forActor(applicant, { limit: 100_000 });
  const listed = (await fleetClient.call('GET', '/v1/notifications', { token: await drive.token(applicant) }))
    .body as { items: { id: number }[] };
  // the route answers from the same rows (newest first, one page)
  const known = new Set(notifications.map((n) => n.id));
  expect(listed.items.length).toBeGreaterThan(0);
  expect(listed.items.filter((n) => !known.has(n.id))).toEqual([]);
  expect(notifications.length).toBeGreaterThanOrEqual(TRANSFERS);
  const deliveredAt = Date.now();
  for (;;) {
    const distinct = new Set(received.map((r) => r.id)).size;
    if (distinct >= notifications.length) break;
    if (Date.now() - deliveredAt > 120_000)
      throw new Error(`${distinct} of ${notifications.length} notifications delivered`);
    await sleep(500);
  }
  const distinct = new Set(received.map((r) => r.id));
  expect(distinct.size).toBe(notifications.length);
  // where the sender names the notification (X-Xborder-Delivery), each named one is one of the org's
  const named = received.filter((r) => r.notification !== undefined).map((r) => Number(r.notification));
  expect(named.filter((n) => !known.has(n))).toEqual([]);
  const repeated = received.length - distinct.size;

  // no inbox offers a transfer whose workflow is closed: the withdrawn one's is, the waiting one's runs
  const client = temporalClient();
  const closedFrom = Date.now();
  // a withdrawn transfer's run ends after its last step (the evidence write)
  while ((await client.workflow.getHandle(`transfer-${withdrawn}`).describe()).status.name === 'RUNNING') {
    if (Date.now() - closedFrom > 60_000) throw new Error(`the withdrawn ${withdrawn} still runs`);
    await sleep(500);
  }
  const inbox = async (actor: Actor): Promise<string[]> => {
    const ids: string[] = [];
    let pageToken: string | null | undefined;
    do {
      const q = pageToken ? `?pageToken=${encodeURIComponent(pageToken)}` : '';
      const res = await fleetClient.call('GET', `/v1/inbox${q}`, { token: await drive.token(actor) });
      expect(res.status).toBe(200);
      const page = res.body as { items: { id: string }[]; nextPageToken?: string | null };
      ids.push(...page.items.map((i) => i.id));
      pageToken = page.nextPageToken;
    } while (pageToken);
    return ids;
  };
  // lists are eventually consistent: the waiting transfer shows up in the reviewer's inbox in a while
  const inboxWaitFrom = Date.now();
  while (!(await inbox(rita)).includes(waiting)) {
    if (Date.now() - inboxWaitFrom > 60_000) throw new Error(`${waiting} never reached the reviewer's inbox`);
    await sleep(500);
  }
  let offered = 0;
  for (const actor of [applicant, rita, recipient, admin]) {
    for (const id of await inbox(actor)) {
      offered++;
      const { status } = await client.workflow.getHandle(`transfer-${id}`).describe();
      expect(`${id} ${status.name}`).toBe(`${id} RUNNING`);
    }
  }

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const summary = (xs: number[]) =>
    xs.length === 0
      ? 'none'
      : `median ${seconds(sorted(xs)[Math.floor(xs.length / 2)]!)}, max ${seconds(sorted(xs)[xs.length - 1]!)} (${xs.length})`;
  log(
    [
      `recovery after SIGKILL (printed, not asserted):`,
      `  worker, kill → replacement polling: ${summary(recovery.worker)}`,
      `  API, kill → replacement listening: ${summary(recovery.api)}`,
      `  client requests that needed retries: ${retried.calls}, first failure → answer: ${summary(retried.waits)}`,
      `  failed attempts by cause: ${[...retried.statuses].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}`,
      `  webhooks: ${notifications.length} notifications, ${distinct.size} distinct webhook-ids received, ${repeated} repeated deliveries (retries)`,
      `  inboxes: ${offered} open task(s) offered, none of a closed workflow`,
    ].join('\n'),
  );
});
