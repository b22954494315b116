/**
 * Rate limits across processes (issue 11, item 7): two app instances, each with its own data layer on one
 * PostgreSQL database (as two `npm run api` processes behind a load balancer), count against one budget per
 * identity and one per client address. Each case gets a fresh database, so no earlier hit counts.
 */
import type { Server } from 'node:http';
import pino from 'pino';
import { createApp } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { openStore, type Store } from '../../store';
import { createTestDatabase } from '../postgres';
import { applicant, reviewer, SECRET, startStack, type Stack } from '../helpers';

let stack: Stack;
const open: { server: Server; store: Store }[] = [];

beforeAll(async () => {
  stack = await startStack(); // the gateway the apps need; the counters live in the databases below
});
afterAll(async () => {
  for (const { server, store } of open) {
    await new Promise((r) => server.close(r));
    server.closeAllConnections();
    await store.close();
  }
  await stack.stop();
});

/** Two API instances sharing one fresh PostgreSQL database: their base URLs. */
async function twoApis(rateLimit: { perIdentity: number; perIp: number }): Promise<[string, string]> {
  const databaseUrl = await createTestDatabase('ratelimit');
  const bases: string[] = [];
  for (let i = 0; i < 2; i++) {
    const store = await openStore({ dataDir: stack.dir, databaseUrl, keyRing: stack.keyRing });
    const app = createApp({
      gateway: stack.gateway,
      store,
      verify: createVerifier({ mode: 'hs256', secret: SECRET }),
      logger: pino({ level: 'silent' }),
      rateLimit,
      rateLimitCounters: store.rateLimits,
    });
    const server = await new Promise<Server>((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    open.push({ server, store });
    bases.push(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
  }
  return bases as [string, string];
}

test('per identity: hits on either instance count against one budget; another identity is unaffected', async () => {
  const [a, b] = await twoApis({ perIdentity: 4, perIp: 1000 });
  const alice = await stack.token(applicant);
  const rita = await stack.token(reviewer);
  const get = (base: string, token: string) =>
    fetch(`${base}/v1/policy`, { headers: { authorization: `Bearer ${token}` } });
  const answered: number[] = [];
  for (const base of [a, b, a, b]) answered.push((await get(base, alice)).status);
  expect(answered).toEqual([200, 200, 200, 200]);
  // the fifth hit, on either instance, is past the shared budget (each alone has seen only two)
  const limited = await get(a, alice);
  expect(limited.status).toBe(429);
  expect(((await limited.json()) as { type: string }).type).toBe('urn:xborder:problem:rate-limited');
  expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
  expect((await get(b, alice)).status).toBe(429);
  expect((await get(b, rita)).status).toBe(200);
});

test('per client address: the budget is shared too, without a token', async () => {
  const [a, b] = await twoApis({ perIdentity: 1000, perIp: 3 });
  const answered: number[] = [];
  for (const base of [a, b, a, b]) answered.push((await fetch(`${base}/healthz`)).status);
  expect(answered).toEqual([200, 200, 200, 429]);
});
