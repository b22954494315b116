/** Auth, errors, documents, health and OpenAPI: the platform around the transfer endpoints. */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import pino from 'pino';
import { createApp } from '../../api/app';
import { createVerifier } from '../../api/auth';
import { TransferGateway } from '../../api/temporal';
import {
  applicant,
  eventually,
  otherApplicant,
  otherRecipient,
  recipient,
  reviewer,
  sampleApplication,
  SECRET,
  standardContractKinds,
  startStack,
  uploadMaterials,
  type Stack,
} from '../helpers';

let stack: Stack;
let tokens: {
  applicant: string;
  otherApplicant: string;
  reviewer: string;
  recipient: string;
  otherRecipient: string;
};

beforeAll(async () => {
  stack = await startStack();
  tokens = {
    applicant: await stack.token(applicant),
    otherApplicant: await stack.token(otherApplicant),
    reviewer: await stack.token(reviewer),
    recipient: await stack.token(recipient),
    otherRecipient: await stack.token(otherRecipient),
  };
});
afterAll(async () => {
  await stack.stop();
});

const key = new TextEncoder().encode(SECRET);
const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
const exp = () => Math.floor(Date.now() / 1000) + 600;

function expectProblem(res: { status: number; body: any; headers: Headers }, status: number, kind: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(res.body).toMatchObject({
    type: `urn:xborder:problem:${kind}`,
    status,
    title: expect.any(String),
    detail: expect.any(String),
    instance: expect.any(String),
  });
  expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+|node_modules/);
}

describe('authentication', () => {
  const probe = (token?: string) => stack.call('GET', '/v1/transfers', token === undefined ? {} : { token });

  test('no token → 401', async () => expectProblem(await probe(), 401, 'unauthenticated'));
  test('garbage → 401', async () => expectProblem(await probe('not.a.jwt'), 401, 'unauthenticated'));
  test('alg none → 401', async () => {
    expectProblem(
      await probe(
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', role: 'applicant', org: 'acme', exp: exp() })}.`,
      ),
      401,
      'unauthenticated',
    );
  });
  test('signed with another secret → 401', async () => {
    const t = await new SignJWT({ role: 'applicant', org: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime(exp())
      .sign(new TextEncoder().encode('another-secret-another-secret-another-secret'));
    expectProblem(await probe(t), 401, 'unauthenticated');
  });
  test('another algorithm (HS512) with the right secret → 401', async () => {
    const t = await new SignJWT({ role: 'applicant', org: 'acme' })
      .setProtectedHeader({ alg: 'HS512' })
      .setSubject('alice')
      .setExpirationTime(exp())
      .sign(key);
    expectProblem(await probe(t), 401, 'unauthenticated');
  });
  test('without exp → 401', async () => {
    const t = await new SignJWT({ role: 'applicant', org: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .sign(key);
    expectProblem(await probe(t), 401, 'unauthenticated');
  });
  test('expired → 401', async () => {
    const t = await new SignJWT({ role: 'applicant', org: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('alice')
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(key);
    expectProblem(await probe(t), 401, 'unauthenticated');
  });
  test('unknown role, or a missing org / recipient claim → 401', async () => {
    for (const claims of [
      { role: 'superuser', org: 'acme' },
      { role: 'applicant' },
      { role: 'reviewer' },
      { role: 'recipient' },
    ]) {
      const t = await new SignJWT(claims)
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('x')
        .setExpirationTime(exp())
        .sign(key);
      expectProblem(await probe(t), 401, 'unauthenticated');
    }
  });
  test('a valid token → 200', async () => {
    expect((await probe(tokens.applicant)).status).toBe(200);
  });
});

describe('errors are problem+json', () => {
  test('malformed JSON → 400', async () => {
    expectProblem(
      await stack.call('POST', '/v1/route-check', { token: tokens.applicant, body: '{"title": ' }),
      400,
      'validation',
    );
  });
  test('a body that is not JSON → 415', async () => {
    expectProblem(
      await stack.call('POST', '/v1/route-check', {
        token: tokens.applicant,
        body: 'title=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
      415,
      'unsupported-media-type',
    );
  });
  test('a JSON body over the limit → 413', async () => {
    expectProblem(
      await stack.call('POST', '/v1/route-check', {
        token: tokens.applicant,
        body: { purpose: 'x'.repeat(300_000) },
      }),
      413,
      'payload-too-large',
    );
  });
  test('an unknown path → 404', async () => {
    expectProblem(await stack.call('GET', '/v1/nothing-here', { token: tokens.applicant }), 404, 'not-found');
    expectProblem(await stack.call('GET', '/nothing'), 404, 'not-found');
  });
  test('a malformed transfer id → 400; an unknown one → 404', async () => {
    expectProblem(
      await stack.call('GET', '/v1/transfers/..%2F..%2Fetc', { token: tokens.applicant }),
      400,
      'validation',
    );
    expectProblem(
      await stack.call('GET', '/v1/transfers/00000000-0000-4000-8000-000000000000', {
        token: tokens.applicant,
      }),
      404,
      'not-found',
    );
  });
  test('hostile query strings and paths → 400, never 500', async () => {
    expectProblem(
      await stack.call('GET', '/v1/transfers?pageToken=Zm9vYmFy.AAAAAAAAAAAAAAAAAAAAAA', {
        token: tokens.applicant,
      }),
      400,
      'validation',
    );
    expectProblem(
      await stack.call('GET', '/v1/transfers?status=draft&status=active', { token: tokens.applicant }),
      400,
      'validation',
    );
    expectProblem(
      await stack.call('GET', '/v1/transfers?unknown=1', { token: tokens.applicant }),
      400,
      'validation',
    );
    expectProblem(
      await stack.call('GET', '/v1/transfers/%E0%A4%A', { token: tokens.applicant }),
      400,
      'validation',
    );
    expectProblem(
      await stack.call('POST', '/v1/route-check', { token: tokens.applicant, body: '[1,2]' }),
      400,
      'validation',
    );
    expectProblem(
      await stack.call('POST', '/v1/transfers', {
        token: tokens.applicant,
        body: sampleApplication(),
        headers: { 'Idempotency-Key': 'spaces are not allowed' },
      }),
      400,
      'validation',
    );
  });

  test('__proto__ and constructor keys are refused as unknown keys, and pollute nothing', async () => {
    const res = await stack.call('POST', '/v1/route-check', {
      token: tokens.applicant,
      body: '{"__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}',
    });
    expectProblem(res, 400, 'validation');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('documents', () => {
  test('upload is content-addressed; the same bytes give the same id', async () => {
    const bytes = `contract ${randomBytes(8).toString('hex')}`;
    const a = await stack.call('POST', '/v1/documents', {
      token: tokens.applicant,
      body: bytes,
      headers: { 'content-type': 'text/plain' },
    });
    expect(a.status).toBe(201);
    expect(a.body).toEqual({
      id: `sha256:${createHash('sha256').update(bytes).digest('hex')}`,
      size: bytes.length,
      mediaType: 'text/plain',
    });
    const b = await stack.call('POST', '/v1/documents', {
      token: tokens.applicant,
      body: bytes,
      headers: { 'content-type': 'text/plain; charset=utf-8' },
    });
    expect(b.body.id).toBe(a.body.id);
    const read = await fetch(`${stack.base}/v1/documents/${a.body.id}`, {
      headers: { authorization: `Bearer ${tokens.applicant}` },
    });
    expect(read.status).toBe(200);
    expect(await read.text()).toBe(bytes);
  });

  test('other media types → 415; over 20 MiB → 413', async () => {
    expectProblem(
      await stack.call('POST', '/v1/documents', {
        token: tokens.applicant,
        body: 'GIF89a',
        headers: { 'content-type': 'image/gif' },
      }),
      415,
      'unsupported-media-type',
    );
    expectProblem(
      await stack.call('POST', '/v1/documents', {
        token: tokens.applicant,
        body: '<x/>',
        headers: { 'content-type': 'application/xml' },
      }),
      415,
      'unsupported-media-type',
    );
    const big = Buffer.alloc(20 * 1024 * 1024 + 1, 1);
    const res = await fetch(`${stack.base}/v1/documents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tokens.applicant}`, 'content-type': 'application/pdf' },
      body: big,
    });
    expect(res.status).toBe(413);
  });

  test('read by the uploader’s organisation and the parties of a transfer that references it; 404 for everyone else', async () => {
    const materials = await uploadMaterials(stack, tokens.applicant, standardContractKinds);
    const doc = materials[0]!.documentId;
    const get = (token: string) =>
      fetch(`${stack.base}/v1/documents/${doc}`, { headers: { authorization: `Bearer ${token}` } }).then(
        (r) => r.status,
      );
    expect(await get(tokens.otherApplicant)).toBe(404);
    expect(await get(tokens.reviewer)).toBe(404);
    expect(await get(tokens.recipient)).toBe(404);
    expect(await get(await stack.token({ sub: 'carol', role: 'applicant', org: 'acme' }))).toBe(200);

    const created = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: sampleApplication({ materials: materials as never }),
    });
    expect(created.status).toBe(201);
    await eventually(async () => (await get(tokens.reviewer)) === 200);
    expect(await get(tokens.recipient)).toBe(404); // the exporter's materials stay with exporter and reviewers
    expect(await get(tokens.otherRecipient)).toBe(404);
    expect(await get(tokens.otherApplicant)).toBe(404);
  });

  test('a stored document altered on disk fails its digest check on read', async () => {
    const up = await stack.call('POST', '/v1/documents', {
      token: tokens.applicant,
      body: `tamper me ${Date.now()}`,
      headers: { 'content-type': 'text/plain' },
    });
    const hex = (up.body.id as string).slice(7);
    // SQLite keeps document bytes as files under the data dir (store/README.md); PostgreSQL keeps them in a table
    expect(stack.database).toBe('sqlite');
    const dir = join(stack.dir, 'documents');
    expect(readdirSync(join(dir, hex.slice(0, 2)))).toContain(hex);
    writeFileSync(join(dir, hex.slice(0, 2), hex), 'altered');
    const res = await stack.call('GET', `/v1/documents/${up.body.id}`, { token: tokens.applicant });
    expect(res.status).toBe(500);
    expect(res.body.detail).toMatch(/integrity/);
  });
});

describe('health, readiness, OpenAPI, metrics', () => {
  test('/healthz and /readyz answer 200 with a worker polling', async () => {
    expect((await stack.call('GET', '/healthz')).status).toBe(200);
    const ready = await eventually(async () => {
      const r = await stack.call('GET', '/readyz');
      return r.status === 200 && r;
    });
    expect(ready.body).toEqual({ status: 'ready', temporal: true, worker: true });
  });

  test('/readyz answers 503 with Retry-After when no worker polls the task queue; an action answers 503 quickly', async () => {
    const gateway = new TransferGateway(stack.client, `nobody-polls-${Date.now()}`, 1_500);
    const app = createApp({
      gateway,
      store: stack.store,
      verify: createVerifier({ mode: 'hs256', secret: SECRET }),
      logger: pino({ level: 'silent' }),
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    try {
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(503);
      expect(ready.headers.get('retry-after')).toBe('5');
      const started = Date.now();
      const res = await fetch(`${base}/v1/transfers`, {
        method: 'POST',
        headers: { authorization: `Bearer ${tokens.applicant}`, 'content-type': 'application/json' },
        body: JSON.stringify(sampleApplication()),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(((await res.json()) as { type: string }).type).toBe('urn:xborder:problem:unavailable');
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  test('/openapi.json documents every path; /docs renders it', async () => {
    const doc = (await stack.call('GET', '/openapi.json')).body;
    expect(doc.openapi).toBe('3.1.0');
    for (const p of [
      '/v1/route-check',
      '/v1/transfers',
      '/v1/transfers/{id}',
      '/v1/transfers/{id}/completeness',
      '/v1/transfers/{id}/supplement',
      '/v1/documents',
      '/v1/inbox',
      '/readyz',
    ]) {
      expect(Object.keys(doc.paths)).toContain(p);
    }
    expect(doc.components.schemas).toHaveProperty('Transfer');
    expect(doc.components.schemas).toHaveProperty('TransferApplication');
    const docs = await fetch(`${stack.base}/docs`);
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain('swagger-ui');
    expect((await fetch(`${stack.base}/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });

  test('/metrics is Prometheus text', async () => {
    const res = await fetch(`${stack.base}/metrics`);
    expect(await res.text()).toMatch(/xborder_http_requests_total/);
  });

  test('/v1/policy and /v1/calendar expose the pack and the working-day function', async () => {
    const policy = await stack.call('GET', '/v1/policy', { token: tokens.reviewer });
    expect(policy.body).toMatchObject({
      id: 'cn-2024',
      thresholds: { securityAssessmentIndividuals: 1_000_000 },
    });
    const due = await stack.call('GET', '/v1/calendar/due?from=2026-09-29T02:00:00Z&workingDays=4', {
      token: tokens.reviewer,
    });
    expect(due.body).toMatchObject({
      dueDate: '2026-10-10',
      dueAt: '2026-10-10T16:00:00.000Z',
      approximate: false,
    });
    const year = await stack.call('GET', '/v1/calendar/2026', { token: tokens.reviewer });
    expect(year.body.workingWeekends).toContain('2026-10-10');
    expectProblem(
      await stack.call('GET', '/v1/calendar/due?from=yesterday&workingDays=4', { token: tokens.reviewer }),
      400,
      'validation',
    );
  });
});

describe('rate limits and CORS', () => {
  async function withApp(
    extra: Partial<Parameters<typeof createApp>[0]>,
    fn: (base: string) => Promise<void>,
  ) {
    const app = createApp({
      gateway: stack.gateway,
      store: stack.store,
      verify: createVerifier({ mode: 'hs256', secret: SECRET }),
      logger: pino({ level: 'silent' }),
      ...extra,
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      await fn(`http://127.0.0.1:${(server.address() as { port: number }).port}`);
    } finally {
      server.close();
      server.closeAllConnections();
    }
  }

  test('past the per-identity limit → 429 problem+json with Retry-After; another identity is unaffected', async () => {
    await withApp({ rateLimit: { perIdentity: 3, perIp: 100 } }, async (base) => {
      const get = (token: string) =>
        fetch(`${base}/v1/policy`, { headers: { authorization: `Bearer ${token}` } });
      for (let i = 0; i < 3; i++) expect((await get(tokens.applicant)).status).toBe(200);
      const limited = await get(tokens.applicant);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
      expect(((await limited.json()) as { type: string }).type).toBe('urn:xborder:problem:rate-limited');
      expect((await get(tokens.reviewer)).status).toBe(200);
    });
  });

  test('past the per-address limit → 429, even without a token', async () => {
    await withApp({ rateLimit: { perIdentity: 100, perIp: 2 } }, async (base) => {
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      expect((await fetch(`${base}/healthz`)).status).toBe(429);
    });
  });

  test('CORS is off by default and answers only the configured origins', async () => {
    const off = await fetch(`${stack.base}/v1/policy`, {
      headers: { origin: 'https://console.example', authorization: `Bearer ${tokens.reviewer}` },
    });
    expect(off.headers.get('access-control-allow-origin')).toBeNull();
    await withApp({ corsOrigins: ['https://console.example'] }, async (base) => {
      const preflight = await fetch(`${base}/v1/transfers`, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://console.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization,content-type',
        },
      });
      expect(preflight.headers.get('access-control-allow-origin')).toBe('https://console.example');
      const other = await fetch(`${base}/v1/policy`, {
        headers: { origin: 'https://evil.example', authorization: `Bearer ${tokens.reviewer}` },
      });
      expect(other.headers.get('access-control-allow-origin')).toBeNull();
    });
  });
});
