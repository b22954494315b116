/**
 * Encryption in Temporal and at rest: the raw history of a transfer carries none of its application's personal
 * data in plaintext; the codec endpoint decodes it for a reviewer and refuses an applicant; payloads and
 * documents written under key 1 read back after key 2 becomes active.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApplicationFailure, defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, parseKeyRing } from '../../activities/crypto';
import { failureConverter } from '../../activities/failure-converter';
import { openStore } from '../../store';
import { Driver, rita } from '../drive';
import { applicant, startStack, type Stack } from '../helpers';

let stack: Stack;
let drive: Driver;
beforeAll(async () => {
  stack = await startStack();
  drive = new Driver(stack);
});
afterAll(async () => {
  await stack.stop();
});

const personal = [
  'Acme Commerce',
  'dpo@eufulfil.example',
  'Fulfilment of cross-border orders',
  'EU Fulfil GmbH',
  'Order data to EU fulfilment',
  'Erika Muster',
];

test('the raw history has no personal data in plaintext; the codec endpoint decodes it for reviewers only', async () => {
  const id = await drive.reach('awaiting_countersignature');
  const raw = execFileSync(
    process.env.XB_TEST_CLI_PATH!,
    [
      'workflow',
      'show',
      '--address',
      process.env.XB_TEST_TEMPORAL_ADDRESS!,
      '--workflow-id',
      `transfer-${id}`,
      '--output',
      'json',
    ],
    { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
  );
  const decodedBase64 = [...raw.matchAll(/"data":\s*"([A-Za-z0-9+/=]+)"/g)].map((m) =>
    Buffer.from(m[1]!, 'base64').toString('latin1'),
  );
  for (const text of personal) {
    expect({ text, inJson: raw.includes(text) }).toEqual({ text, inJson: false });
    expect({ text, inPayloads: decodedBase64.some((d) => d.includes(text)) }).toEqual({
      text,
      inPayloads: false,
    });
  }
  expect(raw).toContain(Buffer.from('binary/encrypted').toString('base64'));

  // the workflow's input payload, as the Web UI would send it
  const history = JSON.parse(raw) as {
    events: { workflowExecutionStartedEventAttributes?: { input: { payloads: unknown[] } } }[];
  };
  const input = history.events[0]!.workflowExecutionStartedEventAttributes!.input.payloads;
  const decode = async (actor?: Parameters<Driver['token']>[0]) =>
    stack.call('POST', '/codec/decode', {
      ...(actor ? { token: await drive.token(actor) } : {}),
      body: { payloads: input },
      headers: { 'x-namespace': 'default' },
    });
  const asReviewer = await decode(rita);
  expect(asReviewer.status).toBe(200);
  const plain = Buffer.from(asReviewer.body.payloads[0].data, 'base64').toString('utf8');
  expect(plain).toContain('Acme Commerce');
  expect((await decode(applicant)).status).toBe(403);
  expect((await decode()).status).toBe(401);
});

test('the Web UI path: a codec session cookie for reviewers and admins, CORS preflight for the UI origin', async () => {
  const start = (token: string) =>
    fetch(`${stack.base}/codec/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token }).toString(),
    });
  expect((await start(await drive.token(applicant))).status).toBe(403);
  expect((await start('not-a-token')).status).toBe(401);
  const started = await start(await drive.token({ sub: 'ops', role: 'admin' }));
  expect(started.status).toBe(200);
  const cookie = started.headers.get('set-cookie')!;
  expect(cookie).toMatch(/^xborder_codec=[^;]+;.*HttpOnly/);
  expect(cookie).toMatch(/SameSite=Strict/);
  const decoded = await fetch(`${stack.base}/codec/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: cookie.split(';')[0]! },
    body: JSON.stringify({ payloads: [] }),
  });
  expect(decoded.status).toBe(200);
  const preflight = await fetch(`${stack.base}/codec/decode`, {
    method: 'OPTIONS',
    headers: {
      origin: 'http://localhost:8233',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-namespace',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8233');
  expect(preflight.headers.get('access-control-allow-credentials')).toBe('true');
});

test('documents are encrypted at rest; the id stays the digest of the plaintext', async () => {
  const body = `agreement text ${Date.now()} for Erika Muster`;
  const up = await stack.call('POST', '/v1/documents', {
    token: await drive.token(applicant),
    body,
    headers: { 'content-type': 'text/plain' },
  });
  const hex = (up.body.id as string).slice('sha256:'.length);
  const onDisk = readFileSync(join(stack.dir, 'documents', hex.slice(0, 2), hex));
  expect(onDisk.subarray(0, 4).toString()).toBe('XBE1');
  expect(onDisk.toString('latin1')).not.toContain('Erika Muster');
  const back = await stack.call('GET', `/v1/documents/${up.body.id}`, {
    token: await drive.token(applicant),
  });
  expect(back.body).toBe(body);
});

test('rotation: what key 1 wrote reads back after key 2 becomes active; new writes use key 2', async () => {
  const k = (n: number) => Buffer.alloc(32, n).toString('base64');
  const ring1 = parseKeyRing(`k1:${k(1)}`);
  const ring2 = parseKeyRing(`k2:${k(2)},k1:${k(1)}`);
  const payload = {
    metadata: { encoding: Buffer.from('json/plain') },
    data: Buffer.from('{"name":"Erika Muster"}'),
  };
  const [old] = await new AesGcmPayloadCodec(ring1).encode([payload]);
  expect(Buffer.from(old!.metadata!['encryption-key-id']!).toString()).toBe('k1');
  const [decoded] = await new AesGcmPayloadCodec(ring2).decode([old!]);
  expect(Buffer.from(decoded!.data!).toString()).toBe('{"name":"Erika Muster"}');
  const [fresh] = await new AesGcmPayloadCodec(ring2).encode([payload]);
  expect(Buffer.from(fresh!.metadata!['encryption-key-id']!).toString()).toBe('k2');
  await expect(new AesGcmPayloadCodec(ring1).decode([fresh!])).rejects.toThrow(/unknown encryption key k2/);

  const dir = mkdtempSync(join(tmpdir(), 'xborder-rotation-'));
  try {
    const before = await openStore({ dataDir: dir, keyRing: ring1 });
    const doc = await before.documents.put(
      Buffer.from('written under k1'),
      'text/plain',
      applicant,
      '2026-01-01T00:00:00Z',
    );
    await before.close();
    const after = await openStore({ dataDir: dir, keyRing: ring2 });
    expect((await after.documents.read(doc.id)).toString()).toBe('written under k1');
    const doc2 = await after.documents.put(
      Buffer.from('written under k2'),
      'text/plain',
      applicant,
      '2026-01-01T00:00:00Z',
    );
    const hex = doc2.id.slice('sha256:'.length);
    expect(
      readFileSync(join(dir, 'documents', hex.slice(0, 2), hex))
        .subarray(5, 7)
        .toString(),
    ).toBe('k2');
    await after.close();
    const older = await openStore({ dataDir: dir, keyRing: ring1 });
    await expect(older.documents.read(doc2.id)).rejects.toThrow();
    await older.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the key ring refuses malformed keys', () => {
  expect(() => parseKeyRing('k1:short')).toThrow(/32/);
  expect(() => parseKeyRing('no-colon')).toThrow(/id:base64/);
  expect(() =>
    parseKeyRing(`a:${Buffer.alloc(32).toString('base64')},a:${Buffer.alloc(32).toString('base64')}`),
  ).toThrow(/twice/);
});

test('failure messages and stack traces are moved into an encoded attribute (which the codec then encrypts)', () => {
  const failure = failureConverter.errorToFailure(
    ApplicationFailure.nonRetryable('Erika Muster may not sign for EU Fulfil GmbH', 'rule-violation'),
    defaultPayloadConverter,
  );
  expect(failure.message).toBe('Encoded failure');
  expect(failure.stackTrace).toBe('');
  expect(failure.encodedAttributes).toBeDefined();
  expect(JSON.stringify(failure)).not.toContain('Erika Muster');
});
