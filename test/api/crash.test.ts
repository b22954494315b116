/**
 * Crashes while decisions are applied: the only worker runs in a child process (test/support/crash-worker.ts) and
 * is SIGKILLed at random moments — just after a request of a chosen kind was sent, just after an activity of the
 * worker began or ended (an evidence write committed, not yet reported), or anywhere — and started again, many
 * times, while several transfers walk the path to `active` (submit, a supplementation round, completeness, review,
 * risk decision, signature, conditions, countersignature, filing, filing decision) or are withdrawn on the way.
 * Half the clients retry a failed request with the same Idempotency-Key until it succeeds; the others give up
 * after the first error and carry on from what the transfer then shows (another reviewer may take the decision,
 * or another decision). The API stays in this process.
 *
 * Afterwards every transfer's audit chain holds exactly what its workflow kept (compareChain: nothing phantom,
 * nothing missing), every chain and the global head verify, `npm run verify -- --all` agrees, each decision was
 * applied once, and every decision answered 200 is kept. The kills are random but reproducible: XB_CRASH_SEED=<n>
 * repeats a run's choices (the seed is printed); how they meet the workflow's progress depends on the machine.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Actor } from '../../domain/authz';
import { compareChain } from '../../domain/evidence-check';
import type { TransferState } from '../../domain/transfer';
import { Driver, rita, rosa, today } from '../drive';
import {
  applicant,
  recipient,
  runVerify,
  sampleApplication,
  settled,
  standardContractKinds,
  startStack,
  dataEnv,
  TEST_ENCRYPTION_KEYS,
  uploadMaterials,
  type Stack,
} from '../helpers';
import { killProcess, spawnScript } from '../support/processes';

jest.setTimeout(420_000); // on a loaded machine the kills stall transfers (5 s workflow-task and activity timeouts, each kill)

/** how long the worker is killed again and again, and at most how often */
const KILL_PHASE_MS = 120_000;
const MAX_KILLS = 40;
/** how long a kill waits for the moment it was chosen for (a request of a kind, an activity marker) */
const TRIGGER_WAIT_MS = 4_000;
/** transfers walked at once (even slots retry, odd ones give up after the first error) */
const SLOTS = 6;
/** then: how long the clients have to finish with a worker left alive */
const FINISH_MS = 90_000;

const SEED = Number(process.env.XB_CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));

/** mulberry32: a small seeded generator (one per purpose, so each stream is the same for the same seed) */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = <T>(random: () => number, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const clock = () => `${((Date.now() - t0) / 1000).toFixed(1).padStart(6)}s`;
const log = (line: string) => process.stdout.write(`[crash ${clock()}] ${line}\n`);
const short = (id: string) => id.slice(0, 8);

let stack: Stack;
let drive: Driver;

// ---------------------------------------------------------------------------------------------------------------
// The worker in a child process

/** a worker process: loaded (connected, bundle read) once `loaded` resolves, polling once told to */
interface WorkerProcess {
  proc: ChildProcess;
  generation: number;
  loaded: Promise<void>;
  polling: Promise<void>;
}
let child: WorkerProcess | undefined;
let standby: WorkerProcess | undefined;
let generation = 0;
/** lines the polling child printed (activity markers), for kills triggered by them */
let markerListeners: ((line: string) => void)[] = [];

function spawnWorker(): WorkerProcess {
  generation++;
  const spawned = spawnScript(
    join(__dirname, '..', 'support', 'crash-worker.ts'),
    [
      process.env.XB_TEST_TEMPORAL_ADDRESS!,
      stack.taskQueue,
      stack.dir,
      process.env.XB_TEST_WORKFLOW_BUNDLE!,
      TEST_ENCRYPTION_KEYS,
      String((SEED + generation * 7919) >>> 0),
    ],
    {
      env: dataEnv(stack),
      stdin: 'pipe',
      onLine: (line) => {
        if (line !== 'loaded' && line !== 'polling' && child?.proc === spawned.proc)
          markerListeners.forEach((l) => l(line));
      },
    },
  );
  const loaded = spawned.line((l) => l === 'loaded').then(() => undefined);
  const polling = spawned.line((l) => l === 'polling').then(() => undefined);
  loaded.catch(() => undefined);
  polling.catch(() => undefined);
  return { proc: spawned.proc, generation, loaded, polling };
}

/** The standby starts polling (a new standby is spawned behind it). */
async function startChild(): Promise<void> {
  const next = standby ?? spawnWorker();
  standby = spawnWorker();
  await next.loaded;
  child = next;
  next.proc.stdin!.write('go\n');
  await next.polling;
}

const killChild = () => killProcess(child?.proc);

// ---------------------------------------------------------------------------------------------------------------
// Requests, what is in flight, what was answered

type Kind =
  | 'submit'
  | 'completeness.request_supplement'
  | 'supplement'
  | 'completeness.accept'
  | 'review'
  | 'risk-decision'
  | 'sign'
  | 'acknowledge-conditions'
  | 'countersign'
  | 'file'
  | 'filing-decision'
  | 'withdraw';
const KINDS: Kind[] = [
  'submit',
  'completeness.request_supplement',
  'supplement',
  'completeness.accept',
  'review',
  'risk-decision',
  'sign',
  'acknowledge-conditions',
  'countersign',
  'file',
  'filing-decision',
  'withdraw',
];

interface Attempt {
  kind: Kind;
  transfer: string;
  key: string;
  by: string;
  sentAt: number;
  status?: number;
  /** workers killed while it was in flight */
  kills: number[];
}

/** one per transfer: what its client sent and how it was answered */
interface Walk {
  id: string;
  retries: boolean;
  attempts: Attempt[];
  /** the decisions answered 200, in order (action as the workflow records it, by whom) */
  acknowledged: { action: string; by: string }[];
  /** answers a retrying client should never get */
  unexpected: string[];
  finished: boolean;
}

const inFlight = new Set<Attempt>();
const walks = new Map<string, Walk>();
const unknownCreations: string[] = [];
/** the attempts to create a transfer (they have no transfer yet) */
const creations: Attempt[] = [];
/** a client that could not go on (a read not answered in time, an unexpected refusal of a creation) */
const clientErrors: string[] = [];
let requestListeners: ((a: Attempt) => void)[] = [];

async function send(
  walk: Walk | undefined,
  kind: Kind,
  method: string,
  path: string,
  actor: Actor,
  body: unknown,
  key: string,
): Promise<{ status: number; body: any }> {
  const attempt: Attempt = {
    kind,
    transfer: walk?.id ?? '(new)',
    key,
    by: actor.sub,
    sentAt: Date.now(),
    kills: [],
  };
  (walk?.attempts ?? creations).push(attempt);
  inFlight.add(attempt);
  requestListeners.forEach((l) => l(attempt));
  try {
    const res = await stack.call(method, path, {
      token: await drive.token(actor),
      body,
      headers: { 'idempotency-key': key },
    });
    attempt.status = res.status;
    return res;
  } finally {
    inFlight.delete(attempt);
  }
}

/** The transfer as the applicant sees it; a read is repeated until answered (503 while no worker answers). */
async function view(id: string, deadline: () => number): Promise<any> {
  for (;;) {
    const res = await stack.call('GET', `/v1/transfers/${id}`, { token: await drive.token(applicant) });
    if (res.status === 200) return res.body;
    if (res.status !== 503 || Date.now() > deadline())
      throw new Error(`GET ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    await sleep(200);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// One client walking one transfer

interface Plan {
  retries: boolean;
  supplement: boolean;
  conditions: boolean;
  /** withdraw instead of the n-th decision after submit (none: walk to active) */
  withdrawAt: number | undefined;
}

/** The next decision the transfer awaits, as this client takes it; undefined while the system is at work. */
async function nextDecision(
  walk: Walk,
  v: any,
  plan: Plan,
  reviewer: Actor,
  random: () => number,
): Promise<{ kind: Kind; actor: Actor; segment: string; body: unknown; records: string } | undefined> {
  const id = walk.id;
  const awaiting = (v.awaiting as { role: string; action: string }[]).map((a) => a.action);
  if (awaiting.length === 0) return undefined;
  const step = walk.acknowledged.length + walk.attempts.filter((a) => a.status !== 200).length;
  if (plan.withdrawAt !== undefined && step >= plan.withdrawAt && !awaiting.includes('filing-decision'))
    return {
      kind: 'withdraw',
      actor: applicant,
      segment: 'withdraw',
      body: { reason: 'the project is cancelled' },
      records: 'withdraw',
    };
  const action = pick(random, awaiting);
  switch (action) {
    case 'completeness':
      return plan.supplement && (v.supplementRequests as unknown[]).length === 0
        ? {
            kind: 'completeness.request_supplement',
            actor: reviewer,
            segment: 'completeness',
            body: {
              decision: 'request_supplement',
              items: [{ field: 'purpose', request: 'name the carriers' }],
            },
            records: 'completeness.request_supplement',
          }
        : {
            kind: 'completeness.accept',
            actor: reviewer,
            segment: 'completeness',
            body: { decision: 'accept' },
            records: 'completeness.accept',
          };
    case 'supplement': {
      const open = (v.supplementRequests as { status: string; items: { itemId: string }[] }[]).find(
        (r) => r.status === 'open',
      )!;
      return {
        kind: 'supplement',
        actor: applicant,
        segment: 'supplement',
        body: { responses: open.items.map((i) => ({ itemId: i.itemId, text: 'DHL and UPS' })) },
        records: 'supplement',
      };
    }
    case 'review':
      return {
        kind: 'review',
        actor: reviewer,
        segment: 'review',
        body: {
          checklist: [
            'purpose',
            'destination_environment',
            'recipient_capability',
            'scale_and_sensitivity',
            'security_measures',
            'legal_documents',
            'compliance_record',
          ].map((item) => ({ item, result: 'pass' })),
          decision: 'complete',
        },
        records: 'review.complete',
      };
    case 'risk-decision':
      return plan.conditions
        ? {
            kind: 'risk-decision',
            actor: reviewer,
            segment: 'risk-decision',
            body: { decision: 'approve_with_conditions', conditions: ['an annual audit of the recipient'] },
            records: 'risk_decision.approve_with_conditions',
          }
        : {
            kind: 'risk-decision',
            actor: reviewer,
            segment: 'risk-decision',
            body: { decision: 'approve' },
            records: 'risk_decision.approve',
          };
    case 'sign':
      return {
        kind: 'sign',
        actor: recipient,
        segment: 'sign',
        body: {
          documentId: await drive.signedCopy(id),
          signerName: 'Erika Muster',
          signerTitle: 'Managing Director',
          signedAt: today(),
        },
        records: 'sign',
      };
    case 'acknowledge-conditions':
      return {
        kind: 'acknowledge-conditions',
        actor: recipient,
        segment: 'acknowledge-conditions',
        body: {},
        records: 'acknowledge_conditions',
      };
    case 'countersign':
      return {
        kind: 'countersign',
        actor: applicant,
        segment: 'countersign',
        body: {},
        records: 'countersign',
      };
    case 'file':
      return {
        kind: 'file',
        actor: applicant,
        segment: 'file',
        body: { effectiveDate: today() },
        records: 'file',
      };
    case 'filing-decision':
      return {
        kind: 'filing-decision',
        actor: reviewer,
        segment: 'filing-decision',
        body: { decision: 'accept' },
        records: 'filing_decision.accept',
      };
    default:
      throw new Error(`the walk does not take ${action}`);
  }
}

/** a retried request answered the same way again is noted once (the transfer's story lists every attempt) */
const once = (list: string[], line: string) => {
  if (!list.includes(line)) list.push(line);
};

const OVER = new Set(['active', 'withdrawn', 'refused', 'cancelled']);

/** Create, submit and walk one transfer to its end (or until `deadline`). */
async function walkOne(slot: number, random: () => number, deadline: () => number): Promise<void> {
  const plan: Plan = {
    retries: slot % 2 === 0,
    supplement: random() < 0.5,
    conditions: random() < 0.5,
    withdrawAt: random() < 0.3 ? 1 + Math.floor(random() * 8) : undefined,
  };
  const materials = await uploadMaterials(stack, await drive.token(applicant), standardContractKinds);
  const body = sampleApplication({ materials: materials as never });
  const createKey = `crash-create-${randomUUID()}`;
  let id: string | undefined;
  const serverErrors: string[] = [];
  for (;;) {
    const res = await send(undefined, 'submit', 'POST', '/v1/transfers', applicant, body, createKey);
    if (res.status === 201) {
      id = res.body.id as string;
      break;
    }
    if (res.status < 500) throw new Error(`create: ${res.status} ${JSON.stringify(res.body)}`);
    if (res.status !== 503)
      once(serverErrors, `create (key ${createKey}): ${res.status} ${JSON.stringify(res.body)}`);
    if (!plan.retries || Date.now() > deadline()) break;
    await sleep(200);
  }
  if (!id) {
    // gave up: the transfer may exist all the same (the start and the submit went through, the answer did not)
    const row = (await stack.store.idempotency.creation(applicant.sub, createKey))!;
    unknownCreations.push(row.transferId);
    clientErrors.push(...serverErrors);
    log(`slot ${slot}: create not answered, gave up (transfer ${short(row.transferId)} may exist)`);
    return;
  }
  const walk: Walk = {
    id,
    retries: plan.retries,
    attempts: [],
    acknowledged: [{ action: 'submit', by: applicant.sub }],
    unexpected: serverErrors,
    finished: false,
  };
  walks.set(id, walk);
  log(
    `slot ${slot}: transfer ${short(id)} (${plan.retries ? 'retrying' : 'giving up'} client, supplement ${plan.supplement}, conditions ${plan.conditions}, withdraw ${plan.withdrawAt ?? 'no'})`,
  );
  for (let rounds = 0; rounds < 80 && Date.now() < deadline(); rounds++) {
    const v = await view(id, deadline);
    if (OVER.has(v.status as string)) {
      walk.finished = true;
      return;
    }
    const reviewer = plan.retries ? rita : pick(random, [rita, rosa]);
    const next = await nextDecision(walk, v, plan, reviewer, random);
    if (!next) {
      await sleep(250); // the system's step (risk score, agreement, filing number)
      continue;
    }
    const key = `crash-${next.kind}-${randomUUID()}`;
    for (;;) {
      const res = await send(
        walk,
        next.kind,
        'POST',
        `/v1/transfers/${id}/${next.segment}`,
        next.actor,
        next.body,
        key,
      );
      if (res.status === 200) {
        walk.acknowledged.push({ action: next.records, by: next.actor.sub });
        break;
      }
      // a retrying client is never refused (its first attempt, if it was applied, answers the retry); nobody
      // gets a server error other than 503 (a retrying client repeats after any server error, until it succeeds)
      const refused = res.status < 500;
      if ((plan.retries && refused) || (res.status >= 500 && res.status !== 503))
        once(walk.unexpected, `${next.kind} (key ${key}): ${res.status} ${JSON.stringify(res.body)}`);
      if (!plan.retries || refused || Date.now() > deadline()) break;
      await sleep(200);
    }
    if (walk.retries && walk.unexpected.some((u) => / 4\d\d /.test(u))) return;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The killer

interface Kill {
  n: number;
  mode: string;
  at: number;
  inFlight: string[];
}
const kills: Kill[] = [];

/** Wait for a moment chosen at random, then SIGKILL the worker; resolves with how the moment was chosen. */
async function killAtRandomMoment(random: () => number, target: Kind): Promise<string> {
  const mode = random();
  if (mode < 0.5) {
    // just after a request of the target kind was sent (while the worker applies it)
    const delay = Math.floor(random() * 300);
    const seen = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), TRIGGER_WAIT_MS);
      const listener = (a: Attempt) => {
        if (a.kind !== target) return;
        clearTimeout(timer);
        resolve(true);
      };
      requestListeners.push(listener);
      const already = [...inFlight].some((a) => a.kind === target);
      if (already) {
        clearTimeout(timer);
        resolve(true);
      }
    }).finally(() => (requestListeners = []));
    await sleep(delay);
    return seen
      ? `${delay} ms after a ${target} request`
      : `a ${target} request did not come: ${delay} ms after ${TRIGGER_WAIT_MS} ms`;
  }
  if (mode < 0.8) {
    // on an activity marker of the worker: an evidence write committed (not yet reported), or a system step begun
    const wanted = pick(random, [
      'end recordEvidence',
      'end recordEvidence',
      'begin recordEvidence',
      'begin renderAgreement',
      'end issueFilingNumber',
      'end scoreRisk',
    ]);
    const delay = Math.floor(random() * 30);
    const seen = await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve(undefined), TRIGGER_WAIT_MS);
      markerListeners.push((line) => {
        if (!line.startsWith(wanted)) return;
        clearTimeout(timer);
        resolve(line);
      });
    }).finally(() => (markerListeners = []));
    await sleep(delay);
    return seen ? `${delay} ms after "${seen.slice(0, 36)}"` : `no "${wanted}" in ${TRIGGER_WAIT_MS} ms`;
  }
  const delay = 100 + Math.floor(random() * 2_400);
  await sleep(delay);
  return `at random, ${delay} ms after the worker came up`;
}

async function killer(random: () => number, until: number): Promise<void> {
  let targets: Kind[] = [];
  while (Date.now() < until && kills.length < MAX_KILLS) {
    if (targets.length === 0) targets = [...KINDS].sort(() => random() - 0.5);
    const target = targets.shift()!;
    const how = await killAtRandomMoment(random, target);
    const busy = [...inFlight];
    const kill: Kill = {
      n: kills.length + 1,
      mode: how,
      at: Date.now(),
      inFlight: busy.map((a) => `${a.kind}@${short(a.transfer)}`),
    };
    await killChild();
    kills.push(kill);
    busy.forEach((a) => a.kills.push(kill.n));
    log(`kill ${kill.n}: ${how}; in flight: ${kill.inFlight.join(', ') || 'nothing'}`);
    await startChild();
  }
}

// ---------------------------------------------------------------------------------------------------------------

beforeAll(async () => {
  // no rate limit to speak of: six clients retrying every 200 ms exceed 600 requests a minute once workers
  // recover in seconds (this test is about what the chains keep, platform.test.ts covers the limiter)
  stack = await startStack({
    updateTimeoutMs: 5_000,
    externalWorker: true,
    rateLimit: { perIdentity: 1_000_000, perIp: 1_000_000 },
  });
  drive = new Driver(stack);
  log(`seed ${SEED} (repeat with XB_CRASH_SEED=${SEED})`);
  await startChild();
});
afterAll(async () => {
  await killChild();
  await killProcess(standby?.proc);
  await stack.stop();
});

/** Details of one transfer for a failure message: its requests and kills, its chain, its decisions. */
async function story(id: string, state: TransferState | undefined): Promise<string> {
  const walk = walks.get(id);
  const { key } = (await stack.store.idempotency.creationsBy(applicant.sub)).find(
    (c) => c.transferId === id,
  )!;
  const attempts = [...creations.filter((a) => a.key === key), ...(walk?.attempts ?? [])];
  const lines = [
    `transfer ${id} (${walk ? (walk.retries ? 'retrying client' : 'giving-up client') : 'creation not answered'})`,
  ];
  for (const a of attempts)
    lines.push(
      `  request ${a.kind} by ${a.by} at +${((a.sentAt - t0) / 1000).toFixed(1)}s key ${a.key}: ${a.status ?? 'no answer'}${a.kills.length ? `, worker killed meanwhile (kill ${a.kills.join(', ')})` : ''}`,
    );
  lines.push('  chain:');
  for (const e of await stack.store.audit.chain(id))
    lines.push(
      `    ${e.seq} ${e.key} ${e.action} by ${e.actor} at ${e.at}${e.reason ? ` "${e.reason}"` : ''}`,
    );
  lines.push('  decisions:');
  for (const d of state?.decisions ?? []) lines.push(`    ${d.action} by ${d.by} at ${d.at}`);
  for (const e of state?.escalations ?? []) lines.push(`    escalation.${e.step} at ${e.at}`);
  return lines.join('\n');
}

test('SIGKILLed workers while decisions are applied: every chain says exactly what its workflow kept', async () => {
  const killUntil = Date.now() + KILL_PHASE_MS;
  let stopAt = Number.POSITIVE_INFINITY;
  const deadline = () => stopAt;
  let stopping = false;
  const slots = Array.from({ length: SLOTS }, async (_, slot) => {
    const random = generator((SEED + 1 + slot * 104_729) >>> 0);
    while (!stopping)
      await walkOne(slot, random, deadline).catch((err: unknown) => {
        clientErrors.push(`slot ${slot}: ${(err as Error).message}`);
        log(`slot ${slot}: ${(err as Error).message}`);
      });
  });
  await killer(generator(SEED), killUntil);
  log(`${kills.length} kills; the worker now stays up, the clients finish their transfers`);
  stopping = true;
  stopAt = Date.now() + FINISH_MS;
  await Promise.all(slots);

  // every transfer a creation was asked for (each with its Idempotency-Key), answered or not
  const created = (await stack.store.idempotency.creationsBy(applicant.sub)).map((r) => r.transferId);
  const ids = [...new Set([...walks.keys(), ...unknownCreations, ...created])];
  const unanswered = ids.filter((id) => !walks.has(id));
  const failures: string[] = [...clientErrors];
  const states = new Map<string, TransferState | undefined>();
  await Promise.all(
    ids.map(async (id) => {
      try {
        await settled(stack, id);
        states.set(id, await stack.gateway.get(id));
      } catch (err) {
        // a creation that never reached Temporal has no workflow; anything else must answer
        if (unanswered.includes(id) && /not found|no such/i.test(String(err))) states.set(id, undefined);
        else failures.push(`transfer ${id}: not settled or not readable: ${(err as Error).message}`);
      }
    }),
  );
  // the workflow writes an action's evidence at its next step: give the last ones a moment to land
  const deadlineChecks = Date.now() + 30_000;
  for (const id of ids) {
    if (!states.has(id)) continue;
    const state = states.get(id);
    let check = compareChain(await stack.store.audit.chain(id), state ?? { decisions: [], escalations: [] });
    while (!check.ok && check.phantom.length === 0 && Date.now() < deadlineChecks) {
      await sleep(500);
      check = compareChain(await stack.store.audit.chain(id), state ?? { decisions: [], escalations: [] });
    }
    if (!check.ok)
      failures.push(`the chain differs from the workflow: ${check.message}\n${await story(id, state)}`);
    const chainCheck = await stack.store.audit.verify(id);
    if (!chainCheck.ok)
      failures.push(`chain of ${id} broken: ${chainCheck.broken}\n${await story(id, state)}`);
    const human = (state?.decisions ?? []).filter((d) => d.role !== 'system');
    const actions = human.map((d) => d.action);
    const twice = actions.filter((a, i) => actions.indexOf(a) !== i);
    if (twice.length > 0)
      failures.push(`decisions applied twice: ${twice.join(', ')}\n${await story(id, state)}`);
    const walk = walks.get(id);
    if (!walk) continue;
    for (const u of walk.unexpected)
      failures.push(`transfer ${id}: a retried request answered ${u}\n${await story(id, state)}`);
    for (const a of walk.acknowledged)
      if (!human.some((d) => d.action === a.action && d.by === a.by))
        failures.push(
          `transfer ${id}: ${a.action} by ${a.by} was answered 200 but is not kept\n${await story(id, state)}`,
        );
    if (walk.retries && walk.unexpected.length === 0) {
      const kept = human.map((d) => `${d.action} by ${d.by}`);
      const answered = walk.acknowledged.map((a) => `${a.action} by ${a.by}`);
      if (kept.join('; ') !== answered.join('; '))
        failures.push(
          `transfer ${id}: kept [${kept.join('; ')}] but the retrying client was answered [${answered.join('; ')}]\n${await story(id, state)}`,
        );
    }
  }
  // the histories of the transfers that failed a check, for replay (Worker.runReplayHistory) and reading
  const failed = ids.filter((id) => failures.some((f) => f.includes(id)));
  if (failed.length > 0) {
    const dir = join(__dirname, '..', '..', '.test-tmp', 'crash');
    mkdirSync(dir, { recursive: true });
    for (const id of failed) {
      const file = join(dir, `${SEED}-${id}.json`);
      try {
        const history = await stack.client.workflow.getHandle(`transfer-${id}`).fetchHistory();
        writeFileSync(file, historyToJSON(history));
        writeFileSync(
          file.replace(/\.json$/, '.chain.json'),
          JSON.stringify(await stack.store.audit.chain(id), null, 1),
        );
        failures.push(`transfer ${id}: its history is in ${file}`);
      } catch (err) {
        failures.push(`transfer ${id}: no history (${(err as Error).message})`);
      }
    }
  }
  const global = await stack.store.audit.verify();
  if (!global.ok) failures.push(`the global head: ${global.broken}`);
  const cli = await runVerify(stack, ['--all']);
  if (cli.code !== 0) failures.push(`npm run verify -- --all exited ${cli.code}:\n${cli.out}`);

  // what was covered (reported, not asserted: the meeting of kills and progress depends on the machine)
  const hit = new Map<Kind, number>(KINDS.map((k) => [k, 0]));
  for (const k of kills)
    for (const kind of new Set(k.inFlight.map((f) => f.split('@')[0] as Kind)))
      hit.set(kind, hit.get(kind)! + 1);
  const ends = [...states.values()].map((s) => s?.status ?? 'no workflow');
  const count = (xs: string[]) =>
    [...new Set(xs)].map((x) => `${x} ${xs.filter((y) => y === x).length}`).join(', ');
  log(
    [
      `seed ${SEED}: ${kills.length} kills, ${ids.length} transfers (${count(ends)})`,
      `kills with a request of the kind in flight: ${[...hit].map(([k, n]) => `${k} ${n}`).join(', ')}`,
      `answers: ${count([...walks.values()].flatMap((w) => w.attempts.map((a) => String(a.status ?? '-'))))}`,
      `verify: ${cli.out.split('\n')[0]}`,
      failures.length ? `${failures.length} failure(s)` : 'every chain equals its workflow',
    ].join('\n  '),
  );
  expect(failures).toEqual([]);
  expect(global.ok).toBe(true);
});
