/**
 * Hostile input, generated: at least 1,200 requests a run (fast-check; XB_FC_SEED replays a run) across every
 * endpoint — arbitrary and deeply nested JSON, valid bodies with one field broken, prototype-pollution keys,
 * malformed JSON, wrong media types, oversized bodies, hostile ids, query strings, Idempotency-Keys and
 * tokens. Properties: never a 5xx; every error is problem+json of the documented shape (and every response
 * matches /openapi.json, checked by the stack); nothing refused changes any transfer or creates one — checked on
 * the workflows the API asked Temporal to start (describe(), not the eventually consistent visibility count).
 */
import fc from 'fast-check';
import { SignJWT } from 'jose';
import { actionTable, createTransferBody } from '../../api/schemas';
import { Driver, type Point } from '../drive';
import {
  acmeReviewer,
  applicant,
  otherApplicant,
  recipient,
  reviewer,
  sampleApplication,
  meaningfulHistory,
  SECRET,
  startStack,
  existingWorkflows,
  watchWorkflowStarts,
  type Stack,
} from '../helpers';
import { workflowIdFor } from '../../workflows/messages';

jest.setTimeout(300_000);

const RUNS = 1_200;
let stack: Stack;
let drive: Driver;
const targets: Partial<Record<Point, string>> = {};
const snapshots = new Map<string, unknown>();

/** Points where no body the fuzz can produce is a valid action (empty-body actions are all out of phase). */
const fuzzed: Point[] = ['completeness_check', 'active', 'withdrawn'];

async function snapshot(id: string): Promise<unknown> {
  const events = await meaningfulHistory(stack, id);
  const view = await drive.view(id);
  return {
    status: view.status,
    decisions: view.decisions,
    updatedAt: view.updatedAt,
    application: view.application,
    events,
  };
}

let starts: ReturnType<typeof watchWorkflowStarts>;
/** the workflow starts the setup asked for (the fuzzed transfers); the fuzz's own come after */
let setupStarts = 0;

beforeAll(async () => {
  stack = await startStack({ rateLimit: { perIdentity: 1_000_000, perIp: 1_000_000 } });
  starts = watchWorkflowStarts(stack);
  drive = new Driver(stack);
  for (const p of fuzzed) targets[p] = await drive.reach(p);
  for (const id of Object.values(targets)) snapshots.set(id, await snapshot(id));
  setupStarts = starts.ids().length;
}, 120_000);
afterAll(async () => {
  starts.stop();
  await stack.stop(); // fails the file if any response contradicted /openapi.json
});

// ---- generators ----------------------------------------------------------------------------------------

const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '../../etc/passwd',
    "' OR 1=1 --",
    "x' OR ApplicantOrg != 'y",
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    '__proto__',
    'constructor',
    '%00',
    '😀'.repeat(50),
    'a'.repeat(5_000),
    'NaN',
    '-1',
    '1e309',
  ),
);

const idArb = fc.oneof(
  fc.constantFrom(...fuzzed).map((p) => () => targets[p]!),
  fc.constant(() => '00000000-0000-4000-8000-000000000000'),
  hostileString.map((s) => () => s),
);

interface Caller {
  name: string;
  token: () => Promise<string | undefined>;
}
const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const callers: Caller[] = [
  ...[
    applicant,
    otherApplicant,
    reviewer,
    acmeReviewer,
    recipient,
    { sub: 'ada', role: 'admin' as const },
  ].map((actor) => ({ name: actor.sub, token: () => drive.token(actor) })),
  { name: 'none', token: () => Promise.resolve(undefined) },
  { name: 'garbage', token: () => Promise.resolve('not.a.jwt') },
  {
    name: 'alg none',
    token: () =>
      Promise.resolve(
        `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ sub: 'alice', role: 'applicant', org: 'acme', exp: 9e9, iat: 1 })}.`,
      ),
  },
  {
    name: 'expired',
    token: () =>
      new SignJWT({ role: 'reviewer', org: 'regulator' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('rita')
        .setIssuedAt(1_600_000_000)
        .setExpirationTime(1_600_000_600)
        .sign(new TextEncoder().encode(SECRET)),
  },
  {
    name: 'role escalation',
    token: () =>
      new SignJWT({ role: 'superuser', org: 'acme' })
        .setProtectedHeader({ alg: 'HS256' })
        .setSubject('mallory')
        .setIssuedAt()
        .setExpirationTime('1h')
        .sign(new TextEncoder().encode(SECRET)),
  },
];
// mostly callers who get past authentication, so the hostile bodies reach the routes
const callerArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...callers.slice(0, 6)) },
  { weight: 1, arbitrary: fc.constantFrom(...callers.slice(6)) },
);

/** Valid bodies, to be broken one field at a time. */
const validBodies: Record<string, unknown> = {
  'route-check': sampleApplication(),
  transfers: sampleApplication(),
  edit: { title: 'x' },
  completeness: { decision: 'request_supplement', items: [{ field: 'purpose', request: 'more' }] },
  supplement: { responses: [{ itemId: 'r1-1', text: 'DHL' }] },
  withdraw: { reason: 'changed plans' },
  review: { checklist: [{ item: 'purpose', result: 'pass' }], decision: 'complete' },
  'extend-review': { workingDays: 5, reason: 'x' },
  'risk-decision': { decision: 'approve_with_conditions', conditions: ['audit'] },
  sign: {
    documentId: `sha256:${'a'.repeat(64)}`,
    signerName: 'E',
    signerTitle: 'MD',
    signedAt: '2026-01-01',
  },
  file: { effectiveDate: '2026-01-01' },
  report: {
    periodEnd: '2026-12-31',
    individualsTransferred: 1,
    sensitiveIndividualsTransferred: 0,
    incidents: [],
  },
  supervise: { kind: 'fine', reason: 'late', amount: { amount: 1, currency: 'CNY' } },
  'report-incident': { severity: 'low', occurredAt: '2026-01-01T00:00:00Z', description: 'x' },
  'report-change': { changes: [{ kind: 'retention', description: 'x' }], application: { purpose: 'y' } },
  'request-extension': { expectedIndividuals: 10 },
  webhook: { url: 'https://hooks.example/x', secret: `whsec_${'A'.repeat(43)}=` },
  codec: { payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' }, data: 'AAAA' }] },
};

const leafPaths = (v: unknown, prefix: string[] = []): string[][] =>
  v !== null && typeof v === 'object'
    ? Object.entries(v).flatMap(([k, c]) => [[...prefix, k], ...leafPaths(c, [...prefix, k])])
    : [];

/** A valid body with exactly one thing broken: a field replaced, or an unknown key added somewhere. */
function broken(valid: unknown): fc.Arbitrary<unknown> {
  const paths = leafPaths(valid);
  const replacement = fc.oneof(
    fc.jsonValue({ maxDepth: 2 }),
    hostileString,
    fc.constantFrom(-1, 1e308, 0.5, 'ZZ', 'not-an-email', '2026-13-45', '9999-99-99T99:99:99Z', [], {}),
  );
  return fc
    .tuple(fc.nat(), replacement, fc.boolean(), fc.constantFrom('__proto__', 'constructor', 'extra'))
    .map(([i, value, addKey, key]) => {
      const copy = JSON.parse(JSON.stringify(valid)) as Record<string, unknown>;
      const path = paths[i % Math.max(1, paths.length)] ?? [];
      let node: Record<string, unknown> = copy;
      for (const p of path.slice(0, -1)) node = node[p] as Record<string, unknown>;
      const last = path[path.length - 1];
      if (addKey || last === undefined) {
        // an unknown key (serialised by hand: "__proto__" as an own property, not a prototype change)
        return JSON.stringify(copy).replace(/^\{/, `{"${key}":${JSON.stringify(value) ?? 'null'},`);
      }
      node[last] = value;
      return copy;
    });
}

const tryJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);
/** `{reason: <any string>}`: still a valid withdrawal (its reason is free text), so never generated for it */
const freeTextOnly = (segment: string, body: unknown): boolean => {
  const parsed = typeof body === 'string' ? tryJson(body) : body;
  return (
    segment === 'withdraw' &&
    typeof parsed === 'object' &&
    parsed !== null &&
    !Array.isArray(parsed) &&
    Object.keys(parsed).every((k) => k === 'reason') &&
    typeof (parsed as { reason?: unknown }).reason !== 'object'
  );
};

const rawBody = (segment: string) =>
  fc.oneof(
    {
      weight: 4,
      arbitrary: broken(validBodies[segment] ?? { reason: 'x' }).filter((b) => !freeTextOnly(segment, b)),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"a":',
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
        nested(100_000),
        `{"a":${nested(5_000)}}`,
        'null',
        '"just a string"',
        '[]',
        `{"title":"${'x'.repeat(300_000)}"}`,
        '\u0000\u0001\u0002',
      ),
    },
  );

/**
 * API.md "TransferApplication": the fields it lists without `?`, with their JSON types (paths into the sample
 * application; `dataCategories.0.x` stands for a field every category has). This list, not the zod schema,
 * says which generated application bodies are invalid.
 */
const required: Record<string, 'string' | 'number' | 'boolean' | 'object' | 'array'> = {
  title: 'string',
  exporter: 'object',
  'exporter.org': 'string',
  'exporter.name': 'string',
  'exporter.creditCode': 'string',
  'exporter.isCIIO': 'boolean',
  recipient: 'object',
  'recipient.id': 'string',
  'recipient.name': 'string',
  'recipient.country': 'string',
  'recipient.contactEmail': 'string',
  'recipient.certifications': 'array',
  purpose: 'string',
  dataCategories: 'array',
  'dataCategories.0.category': 'string',
  'dataCategories.0.sensitive': 'boolean',
  'dataCategories.0.fields': 'array',
  volume: 'object',
  'volume.individualsYtd': 'number',
  'volume.sensitiveIndividualsYtd': 'number',
  'volume.importantData': 'boolean',
  transfer: 'object',
  'transfer.method': 'string',
  'transfer.frequency': 'string',
  'transfer.storageLocation': 'string',
  'transfer.retentionDays': 'number',
  'transfer.onwardTransfers': 'array',
  safeguards: 'object',
  'safeguards.encryptionInTransit': 'boolean',
  'safeguards.encryptionAtRest': 'boolean',
  'safeguards.keysHeldBy': 'string',
  'safeguards.pseudonymised': 'boolean',
  materials: 'array',
};
const otherTypes: Record<(typeof required)[string], unknown[]> = {
  string: [1, true, null, [], {}],
  number: ['1', true, null, [], {}],
  boolean: ['true', 0, null, [], {}],
  object: ['x', 1, true, null, []],
  array: ['x', 1, true, null, {}],
};
const sample = validBodies.transfers as Record<string, unknown>;
const samplePaths = leafPaths(sample).map((p) => p.join('.'));
/** optional fields and list elements of the sample: whether a replacement is valid only the schema can say */
const optionalPaths = samplePaths.filter((p) => !(p in required));

const withPath = (path: string, change: (parent: Record<string, unknown>, key: string) => void) => {
  const copy = JSON.parse(JSON.stringify(sample)) as Record<string, unknown>;
  const keys = path.split('.');
  let node = copy;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  change(node, keys.at(-1)!);
  return copy;
};
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Application bodies that must not create a transfer, each with the reason. */
const hostileApplication: fc.Arbitrary<{ body: unknown; why: string }> = fc.oneof(
  // a required field left out (a list left out is an empty list: API.md gives lists no `?` but no default either,
  // and the schema reads a missing list as empty — so lists are only given the wrong type below)
  fc
    .constantFrom(...Object.keys(required).filter((p) => required[p] !== 'array'))
    .map((path) => ({ body: withPath(path, (o, k) => delete o[k]), why: `required ${path} missing` })),
  // a required field of the wrong JSON type
  fc
    .constantFrom(...Object.keys(required))
    .chain((path) => fc.constantFrom(...otherTypes[required[path]!]).map((value) => ({ path, value })))
    .map(({ path, value }) => ({
      body: withPath(path, (o, k) => (o[k] = value)),
      why: `required ${path} (${required[path]}) is ${JSON.stringify(value)}`,
    })),
  // an unknown key, at the top (serialised by hand: "__proto__" as an own property) or inside an object
  fc
    .tuple(fc.constantFrom('__proto__', 'constructor', 'extra'), fc.jsonValue({ maxDepth: 1 }))
    .map(([key, value]) => ({
      body: JSON.stringify(sample).replace(/^\{/, `{"${key}":${JSON.stringify(value) ?? 'null'},`),
      why: `unknown key ${key}`,
    })),
  fc
    .tuple(
      fc.constantFrom(...Object.keys(required).filter((p) => required[p] === 'object')),
      fc.constantFrom('constructor', 'extra'),
    )
    .map(([path, key]) => ({
      body: withPath(path, (o, k) => ((o[k] as Record<string, unknown>)[key] = 1)),
      why: `unknown key ${path}.${key}`,
    })),
  // an optional field or a list element replaced: hostile only when the value is not a valid one, which is
  // the schema's call (the one place it decides; e.g. "certification" is a valid routePreference)
  fc
    .tuple(
      fc.constantFrom(...optionalPaths),
      fc.oneof(
        fc.jsonValue({ maxDepth: 2 }),
        hostileString,
        fc.constantFrom(-1, 1e308, 0.5, 'ZZ', 'not-an-email', '2026-13-45', [], {}),
      ),
    )
    .map(([path, value]) => ({
      body: withPath(path, (o, k) => (o[k] = value)),
      why: `optional ${path} is ${JSON.stringify(value)?.slice(0, 80)}`,
    }))
    .filter(({ body }) => !createTransferBody.safeParse(body).success),
  // not an application at all: garbage, or JSON that is not an object with every required top-level field
  fc
    .oneof(
      fc.jsonValue({ maxDepth: 4 }),
      fc.constantFrom(
        '{"a":',
        '{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
        nested(100_000),
        `{"a":${nested(5_000)}}`,
        'null',
        '"just a string"',
        '[]',
        `{"title":"${'x'.repeat(300_000)}"}`,
        '\u0000\u0001\u0002',
      ),
    )
    .filter((b) => {
      const parsed = typeof b === 'string' ? tryJson(b) : b;
      if (!isObject(parsed)) return true;
      return parsed.draft !== true && Object.keys(required).some((p) => !p.includes('.') && !(p in parsed));
    })
    .map((body) => ({ body, why: 'not an application' })),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json',
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
);
// header values are bytes: a non-Latin-1 key goes out as its UTF-8 bytes
const idemKey = fc.option(
  fc.oneof(fc.uuid(), hostileString).map((s) =>
    Buffer.from(s, 'utf8')
      .toString('latin1')
      .replace(/[\r\n\0]/g, ''),
  ),
  { nil: undefined, freq: 2 },
);

interface Req {
  method: string;
  path: string;
  body?: unknown;
  contentType?: string;
  mutatesTransfer: boolean;
  /** for a generated application: why it is not a valid one */
  why?: string;
}
const segments = [
  'submit',
  'completeness',
  'supplement',
  'withdraw',
  'sign',
  ...actionTable.map((a) => a.segment),
];
const q = (s: string) => encodeURIComponent(s);
const queryArb = fc
  .array(
    fc.tuple(
      fc.constantFrom(
        'status',
        'phase',
        'route',
        'country',
        'risk',
        'overdue',
        'awaitingMe',
        'pageSize',
        'pageToken',
        'x',
        '__proto__',
      ),
      hostileString,
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${k}=${q(v)}`).join('&'));

const requestArb: fc.Arbitrary<(id: () => string) => Req> = fc.oneof(
  fc.tuple(fc.constantFrom(...segments), contentType).chain(([segment, ct]) =>
    rawBody(segment).map((body) => (id: () => string) => ({
      method: 'POST',
      path: `/v1/transfers/${q(id())}/${segment}`,
      body,
      contentType: ct,
      mutatesTransfer: true,
    })),
  ),
  fc.tuple(rawBody('edit'), contentType).map(([body, ct]) => (id: () => string) => ({
    method: 'PATCH',
    path: `/v1/transfers/${q(id())}`,
    body,
    contentType: ct,
    mutatesTransfer: true,
  })),
  fc.tuple(hostileApplication, contentType).map(([{ body, why }, ct]) => () => ({
    method: 'POST',
    path: '/v1/transfers',
    body,
    contentType: ct,
    mutatesTransfer: true,
    why,
  })),
  fc.tuple(rawBody('route-check'), contentType).map(([body, ct]) => () => ({
    method: 'POST',
    path: '/v1/route-check',
    body,
    contentType: ct,
    mutatesTransfer: false,
  })),
  fc.constantFrom('', '/history', '/evidence').map((suffix) => (id: () => string) => ({
    method: 'GET',
    path: `/v1/transfers/${q(id())}${suffix}`,
    mutatesTransfer: false,
  })),
  fc
    .tuple(
      fc.constantFrom('/v1/transfers', '/v1/inbox', '/v1/notifications', '/v1/policy', '/v1/calendar/due'),
      queryArb,
    )
    .map(([path, query]) => () => ({ method: 'GET', path: `${path}?${query}`, mutatesTransfer: false })),
  hostileString.map((s) => () => ({ method: 'GET', path: `/v1/calendar/${q(s)}`, mutatesTransfer: false })),
  hostileString.map((s) => () => ({ method: 'GET', path: `/v1/documents/${q(s)}`, mutatesTransfer: false })),
  fc.tuple(fc.string({ maxLength: 200 }), contentType).map(([body, ct]) => () => ({
    method: 'POST',
    path: '/v1/documents',
    body,
    contentType: ct,
    mutatesTransfer: false,
  })),
  fc
    .tuple(
      fc.constantFrom('PUT', 'DELETE', 'GET'),
      fc.constantFrom('org', 'recipient', 'x'),
      hostileString,
      rawBody('webhook'),
      contentType,
    )
    .map(([method, kind, id, body, ct]) => () => ({
      method,
      path: `/v1/admin/webhooks/${kind}/${q(id)}`,
      ...(method === 'PUT' ? { body, contentType: ct } : {}),
      mutatesTransfer: false,
    })),
  fc
    .tuple(fc.constantFrom('decode', 'encode'), rawBody('codec'), contentType)
    .map(([op, body, ct]) => () => ({
      method: 'POST',
      path: `/codec/${op}`,
      body,
      contentType: ct,
      mutatesTransfer: false,
    })),
  fc
    .tuple(fc.constantFrom('PUT', 'DELETE', 'OPTIONS'), fc.constantFrom('/v1/transfers', '/v1/policy'))
    .map(([method, path]) => () => ({ method, path, mutatesTransfer: false })),
);

// ---- the property ---------------------------------------------------------------------------------------

/** What is wrong with one answer: a 5xx, or an error that is not problem+json of API.md's shape. */
function badAnswer(res: { status: number; body: any; headers: Headers }): string[] {
  const wrong: string[] = [];
  if (res.status >= 500) wrong.push('server error');
  if (res.status < 400) return wrong;
  if (!/^application\/problem\+json/.test(res.headers.get('content-type') ?? ''))
    wrong.push(`content-type ${res.headers.get('content-type')}`);
  const b = res.body ?? {};
  if (typeof b.type !== 'string' || !/^urn:xborder:problem:[a-z-]+$/.test(b.type))
    wrong.push(`type ${b.type}`);
  if (typeof b.title !== 'string') wrong.push('no title');
  if (b.status !== res.status) wrong.push(`body status ${b.status}`);
  if (typeof b.detail !== 'string') wrong.push('no detail');
  return wrong;
}

test(`${RUNS} hostile requests: no 5xx, problem+json errors, and nothing refused changes or creates anything`, async () => {
  const accepted: string[] = [];
  const created: string[] = [];
  const seed = process.env.XB_FC_SEED ? Number(process.env.XB_FC_SEED) : undefined;
  let sent = 0;
  await fc.assert(
    fc.asyncProperty(requestArb, idArb, callerArb, idemKey, async (build, id, caller, key) => {
      const req = build(id);
      const token = await caller.token();
      const headers: Record<string, string> = {};
      if (req.contentType) headers['content-type'] = req.contentType;
      if (key !== undefined) headers['idempotency-key'] = key;
      const body =
        req.body === undefined
          ? undefined
          : typeof req.body === 'string'
            ? req.body
            : JSON.stringify(req.body);
      const res = await stack.call(req.method, req.path, { ...(token ? { token } : {}), body, headers });
      sent++;
      const what = `${req.method} ${req.path.slice(0, 120)} as ${caller.name} → ${res.status} (${req.why ?? ''} ${req.contentType ?? 'no type'}: ${String(body).slice(0, 200)})`;
      expect({ what, wrong: badAnswer(res) }).toEqual({ what, wrong: [] });
      if (res.status < 400 && req.mutatesTransfer) accepted.push(what);
      if (res.status < 400 && req.method === 'POST' && req.path === '/v1/transfers')
        created.push(workflowIdFor(String(res.body?.id)));
    }),
    { numRuns: RUNS, ...(seed === undefined ? {} : { seed }), endOnFailure: true },
  );
  expect(sent).toBeGreaterThanOrEqual(1_000);
  // by construction no generated request is a valid action at the fuzzed points, nor a valid application
  expect(accepted).toEqual([]);
  for (const [id, before] of snapshots) expect(await snapshot(id)).toEqual(before);

  // the watch saw the setup create the fuzzed transfers (so it sees creations) …
  const all = starts.ids();
  expect(new Set(all.slice(0, setupStarts))).toEqual(
    new Set(Object.values(targets).map((id) => workflowIdFor(id))),
  );
  // … and of the workflows the fuzz asked Temporal to start, none exists that was not answered 2xx
  const fuzzStarts = all.slice(setupStarts);
  const exist = await existingWorkflows(stack, fuzzStarts);
  expect(exist.filter((wid) => !created.includes(wid))).toEqual([]);
  expect(created).toEqual([]);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
});
