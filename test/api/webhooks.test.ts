/**
 * Webhook delivery of the outbox: an admin registers a receiver per organisation or recipient; a local receiver
 * verifies the signature as README documents it (HMAC-SHA256 over "<timestamp>.<raw body>"); a failing
 * receiver gets retries with backoff, then a dead letter.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { WebhookDispatcher } from '../../activities/webhooks';
import { Driver } from '../drive';
import { applicant, eventually, startStack, type Stack } from '../helpers';

let stack: Stack;
let drive: Driver;
const admin = { sub: 'ada', role: 'admin' as const };
let receiver: Server;
let base: string;
let failing = false;
const received: {
  verified: boolean;
  fresh: boolean;
  delivery: string;
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
      if (failing) {
        res.statusCode = 500;
        res.end();
        return;
      }
      // what a receiver does (README, "Webhooks")
      const ts = String(req.headers['x-xborder-timestamp']);
      const given = Buffer.from(String(req.headers['x-xborder-signature']));
      const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${ts}.${raw}`).digest('hex')}`);
      received.push({
        verified: given.length === expected.length && timingSafeEqual(given, expected),
        fresh: Math.abs(Date.now() / 1000 - Number(ts)) < 300,
        delivery: String(req.headers['x-xborder-delivery']),
        body: JSON.parse(raw) as { transferId: string; kind: string },
      });
      res.statusCode = 204;
      res.end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  base = `http://127.0.0.1:${(receiver.address() as { port: number }).port}`;
});
afterAll(async () => {
  await new Promise((r) => receiver.close(r));
  await stack.stop();
});

test('only admins configure webhooks; bad URLs are refused', async () => {
  const put = async (actor: Parameters<Driver['token']>[0], body: unknown) =>
    stack.call('PUT', '/v1/admin/webhooks/org/acme', { token: await drive.token(actor), body });
  expect((await put(applicant, { url: `${base}/hook` })).status).toBe(403);
  expect((await put(admin, { url: 'ftp://example.org/x' })).status).toBe(400);
  expect((await put(admin, { url: `${base}/hook`, secret: 'short' })).status).toBe(400);
});

test('deliveries are signed and verifiable; a failing receiver is retried, then dead-lettered', async () => {
  const registered = await stack.call('PUT', '/v1/admin/webhooks/org/acme', {
    token: await drive.token(admin),
    body: { url: `${base}/hook` },
  });
  expect(registered.status).toBe(200);
  secret = registered.body.secret as string;
  expect(
    (await stack.call('GET', '/v1/admin/webhooks', { token: await drive.token(admin) })).body.items,
  ).toEqual([expect.objectContaining({ target: 'org:acme', url: `${base}/hook`, updatedBy: 'ada' })]);

  const delivery = new WebhookDispatcher(stack.store.webhooks, {
    baseDelayMs: 1,
    maxAttempts: 3,
    timeoutMs: 2_000,
  });
  const id = await drive.reach('under_review'); // a task and a decision for acme's applicants
  // the outbox row is written by the workflow's evidence step, just after the answer: deliver until it went out
  const mine = await eventually(async () => {
    await delivery.tick();
    const got = received.filter((r) => r.body.transferId === id);
    return got.some((r) => r.body.kind === 'decision') && got;
  });
  expect(mine.every((r) => r.verified && r.fresh)).toBe(true);
  expect(mine.map((r) => r.body.kind)).toEqual(expect.arrayContaining(['decision']));
  const count = received.length;
  await delivery.tick(); // delivered once: nothing is sent again
  expect(received.length).toBe(count);

  failing = true;
  const other = await drive.reach('under_review'); // the completeness decision is notified to acme
  const deadHere = await eventually(async () => {
    await delivery.tick();
    const dead = await stack.call('GET', '/v1/admin/webhooks/deliveries?status=dead', {
      token: await drive.token(admin),
    });
    const here = dead.body.items.filter((d: { transferId: string }) => d.transferId === other);
    return here.length > 0 && here;
  });
  expect(deadHere[0]).toMatchObject({
    status: 'dead',
    attempts: 3,
    lastError: 'HTTP 500',
    target: 'org:acme',
  });
  failing = false;
});
