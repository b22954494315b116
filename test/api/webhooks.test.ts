/**
 * Webhook delivery of the outbox through Temporal: an admin registers a receiver per organisation or recipient;
 * the worker's loop starts one delivery workflow per (notification, target); a local receiver verifies the
 * Standard Webhooks signature with the `standardwebhooks` library as README documents it; a failing receiver gets
 * retries, then a dead letter whose lastError names the cause (HTTP 500, ECONNREFUSED, a timeout).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { Webhook } from 'standardwebhooks';
import { openStore } from '../../store';
import { startWebhookDeliveries, webhookSigner } from '../../activities/webhooks';
import { webhookWorkflowId } from '../../workflows/webhook-delivery';
import { Driver } from '../drive';
import { applicant, eventually, startStack, TEST_WEBHOOKS, type Stack } from '../helpers';

let stack: Stack;
let drive: Driver;
const admin = { sub: 'ada', role: 'admin' as const };
let receiver: Server;
let base: string;
/** what the receiver answers: 204, or 500, or nothing at all (a hanging receiver) */
let mode: 'ok' | 'fail' | 'hang' = 'ok';
const received: {
  verified: boolean;
  id: string;
  body: { transferId: string; kind: string };
}[] = [];
let secret = '';

beforeAll(async () => {
  stack = await startStack();
  drive = new Driver(stack);
  receiver = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      if (mode === 'hang') return; // never answers: the sender's timeout ends the attempt
      if (mode === 'fail') {
        res.statusCode = 500;
        res.end();
        return;
      }
      // what a receiver does (README, "Webhooks"): verify the raw body with the secret, then deduplicate on the id
      let verified = false;
      try {
        new Webhook(secret).verify(raw, req.headers as Record<string, string>);
        verified = true;
      } catch {
        verified = false;
      }
      received.push({
        verified,
        id: String(req.headers['webhook-id']),
        body: JSON.parse(raw) as { transferId: string; kind: string },
      });
      res.statusCode = verified ? 204 : 400;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
afterAll(async () => {
  receiver.closeAllConnections();
  await new Promise((r) => receiver.close(r));
  await stack.stop();
});

const register = async (url: string, body: Record<string, unknown> = {}) =>
  stack.call('PUT', '/v1/admin/webhooks/org/acme', {
    token: await drive.token(admin),
    body: { url, ...body },
  });

const deliveries = async (status: string, transferId: string) => {
  const res = await stack.call('GET', `/v1/admin/webhooks/deliveries?status=${status}`, {
    token: await drive.token(admin),
  });
  return (res.body.items as { transferId: string }[]).filter((d) => d.transferId === transferId);
};

/** An outbox row for acme's applicants (as a workflow's evidence step writes them), of a transfer of its own. */
const notify = async (transferId = `t-${randomUUID()}`) => {
  await stack.store.notifications.add({
    key: `${transferId}:test`,
    transferId,
    audience: 'applicant',
    applicantOrg: 'acme',
    recipientId: null,
    kind: 'decision',
    message: 'a test notification',
    createdAt: new Date().toISOString(),
  });
  return transferId;
};

/** The port of a server that was listening and is closed now: a connection to it is refused. */
const closedPort = async () => {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
};

test('only admins configure webhooks; bad URLs and secrets not in whsec_ form are refused', async () => {
  const put = async (actor: Parameters<Driver['token']>[0], body: unknown) =>
    stack.call('PUT', '/v1/admin/webhooks/org/acme', { token: await drive.token(actor), body });
  expect((await put(applicant, { url: `${base}/hook` })).status).toBe(403);
  expect((await put(admin, { url: 'ftp://example.org/x' })).status).toBe(400);
  for (const bad of [
    'short',
    'a'.repeat(40),
    'whsec_not base64!',
    `whsec_${randomBytes(8).toString('base64')}`,
  ]) {
    const res = await put(admin, { url: `${base}/hook`, secret: bad });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/secret' })]);
  }
  expect(
    (await stack.call('GET', '/v1/admin/webhooks', { token: await drive.token(admin) })).body.items,
  ).toEqual([]);
  const given = `whsec_${randomBytes(32).toString('base64')}`;
  const ok = await put(admin, { url: `${base}/hook`, secret: given });
  expect(ok.status).toBe(200);
  expect(ok.body.secret).toBe(given);
});

test('a decision goes out once per target, signed per Standard Webhooks, by one delivery workflow', async () => {
  const registered = await register(`${base}/hook`);
  expect(registered.status).toBe(200);
  secret = registered.body.secret as string;
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  expect(
    (await stack.call('GET', '/v1/admin/webhooks', { token: await drive.token(admin) })).body.items,
  ).toEqual([expect.objectContaining({ target: 'org:acme', url: `${base}/hook`, updatedBy: 'ada' })]);

  const id = await drive.reach('under_review'); // a task and a decision for acme's applicants
  // the outbox rows are written by the workflow's evidence step, just after the answer; the worker's loop hands
  // them to Temporal
  const here = await eventually(async () => {
    if (!received.some((r) => r.body.transferId === id && r.body.kind === 'decision')) return false;
    const done = await deliveries('delivered', id);
    return (await deliveries('pending', id)).length === 0 && done;
  });
  expect(here).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ target: 'org:acme', status: 'delivered', attempts: 1, lastError: null }),
    ]),
  );
  const mine = received.filter((r) => r.body.transferId === id);
  expect(mine.map((r) => r.body.kind)).toEqual(expect.arrayContaining(['decision']));
  expect(mine.every((r) => r.verified)).toBe(true);
  // one request per webhook-id, and each came from the one workflow of its (notification, target)
  expect(new Set(mine.map((r) => r.id)).size).toBe(mine.length);
  for (const r of mine) {
    const [notificationId] = r.id.split(':');
    expect(r.id).toBe(`${notificationId}:org:acme`);
    const handle = stack.client.workflow.getHandle(
      webhookWorkflowId(stack.taskQueue, { notificationId: Number(notificationId), target: 'org:acme' }),
    );
    expect(await handle.result()).toBe('delivered');
  }
});

test('a receiver answering 500 is retried, then dead-lettered with lastError HTTP 500', async () => {
  mode = 'fail';
  try {
    const id = await notify();
    const dead = await eventually(async () => {
      const d = await deliveries('dead', id);
      return d.length > 0 && d;
    }, 30_000);
    expect(dead).toEqual([
      expect.objectContaining({
        status: 'dead',
        attempts: TEST_WEBHOOKS.maximumAttempts,
        lastError: 'HTTP 500',
        target: 'org:acme',
      }),
    ]);
  } finally {
    mode = 'ok';
  }
});

test('a refused connection and a receiver that never answers name their cause in lastError', async () => {
  await register(`http://127.0.0.1:${await closedPort()}/hook`, { secret });
  const refused = await notify();
  expect(
    await eventually(async () => {
      const d = await deliveries('dead', refused);
      return d.length > 0 && d;
    }, 30_000),
  ).toEqual([
    expect.objectContaining({
      attempts: TEST_WEBHOOKS.maximumAttempts,
      lastError: 'ECONNREFUSED',
    }),
  ]);

  await register(`${base}/hook`, { secret });
  mode = 'hang';
  try {
    const slow = await notify();
    expect(
      await eventually(async () => {
        const d = await deliveries('dead', slow);
        return d.length > 0 && d;
      }, 60_000),
    ).toEqual([
      expect.objectContaining({
        attempts: TEST_WEBHOOKS.maximumAttempts,
        lastError: `timeout after ${TEST_WEBHOOKS.timeoutMs} ms`,
      }),
    ]);
  } finally {
    mode = 'ok';
    receiver.closeAllConnections();
  }
});

test('two racing starters start each delivery workflow once; a stopped worker delivers after its restart', async () => {
  await stack.stopWorker(); // and its loop: the two starters below are the only ones
  const other = await openStore({
    dataDir: stack.dir,
    databaseUrl: stack.databaseUrl,
    keyRing: stack.keyRing,
  });
  const ids = [await notify(), await notify(), await notify()];
  try {
    const starter = { client: stack.client, taskQueue: stack.taskQueue, policy: TEST_WEBHOOKS };
    const [a, b] = await Promise.all([
      startWebhookDeliveries({ ...starter, store: stack.store }),
      startWebhookDeliveries({ ...starter, store: other }),
    ]);
    expect(a + b).toBe(ids.length);
    // handed: another round starts nothing; no worker polls, so nothing went out yet
    expect(await startWebhookDeliveries({ ...starter, store: other })).toBe(0);
    for (const id of ids) expect(await deliveries('pending', id)).toHaveLength(1);
  } finally {
    await other.close();
  }
  await stack.startWorker();
  for (const id of ids)
    expect(
      await eventually(async () => {
        const d = await deliveries('delivered', id);
        return d.length > 0 && d;
      }),
    ).toEqual([expect.objectContaining({ target: 'org:acme', attempts: 1 })]);
  const late = received.filter((r) => ids.includes(r.body.transferId));
  expect(late.map((r) => r.body.transferId).sort()).toEqual([...ids].sort());
  expect(late.every((r) => r.verified)).toBe(true);
});

test('a delivery whose target was removed before its attempt is a dead letter at once', async () => {
  await stack.stopWorker();
  const put = await stack.call('PUT', '/v1/admin/webhooks/recipient/eu-fulfil', {
    token: await drive.token(admin),
    body: { url: `${base}/recipient` },
  });
  expect(put.status).toBe(200);
  const transferId = `t-${randomUUID()}`;
  await stack.store.notifications.add({
    key: `${transferId}:recipient`,
    transferId,
    audience: 'recipient',
    applicantOrg: 'acme',
    recipientId: 'eu-fulfil',
    kind: 'task',
    message: 'sign the agreement',
    createdAt: new Date().toISOString(),
  });
  await stack.store.webhooks.fanOut(Date.now());
  expect(await deliveries('pending', transferId)).toEqual([
    expect.objectContaining({ target: 'recipient:eu-fulfil' }),
  ]);
  const removed = await stack.call('DELETE', '/v1/admin/webhooks/recipient/eu-fulfil', {
    token: await drive.token(admin),
  });
  expect(removed.status).toBe(204);
  await stack.startWorker();
  expect(
    await eventually(async () => {
      const d = await deliveries('dead', transferId);
      return d.length > 0 && d;
    }),
  ).toEqual([
    expect.objectContaining({
      target: 'recipient:eu-fulfil',
      attempts: 0,
      lastError: 'webhook target removed',
    }),
  ]);
  expect(received.some((r) => r.body.transferId === transferId)).toBe(false);
});

test('a secret registered before the whsec_ form keeps working as raw key bytes', () => {
  const old = randomBytes(32).toString('base64url');
  const at = new Date();
  const signature = webhookSigner(old).sign('1:org:acme', at, '{"a":1}');
  const headers = {
    'webhook-id': '1:org:acme',
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
  expect(new Webhook(Buffer.from(old, 'utf8'), { format: 'raw' }).verify('{"a":1}', headers)).toEqual({
    a: 1,
  });
  expect(() =>
    new Webhook(`whsec_${randomBytes(32).toString('base64')}`).verify('{"a":1}', headers),
  ).toThrow();
});
