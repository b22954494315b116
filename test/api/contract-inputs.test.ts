/**
 * The contract tells the truth about inputs (issue 9, point 9): bodies and query strings generated from the
 * PUBLISHED /openapi.json — random but seeded (XB_CONTRACT_SEED replays a run): optional fields present and
 * absent, enum values and union branches varied, array lengths varied, strings matching their patterns and
 * formats — are never refused for their shape. Each is first checked against the document itself (so the
 * generator cannot drift from it), then sent, as the role the operation is for, to a transfer at the point of its
 * life where the operation is allowed (a fresh one once an accepted body has moved it on).
 *
 * Refusals that are not about shape are legitimate and told apart by status AND problem type (nonShape below):
 * a 400 `validation` is never one of them. A rule the schema cannot state (a date after today, a document that
 * must exist, your own organisation, the open round's item ids) answers 422 `rule-violation`.
 */
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats';
import fc from 'fast-check';
import type { Actor } from '../../domain/authz';
import { Driver, rita, rosa, type Point } from '../drive';
import { applicant, recipient, startStack, type Stack } from '../helpers';

jest.setTimeout(900_000);

const SEED = Number(process.env.XB_CONTRACT_SEED ?? 20_240_917);
/** bodies per operation (the application-shaped ones get more) */
const PER_OPERATION = 20;
const PER_APPLICATION_OPERATION = 60;
/** fresh transfers an operation may use after the first (each accepted body moves its transfer on) */
const FRESH = 1;

/** The refusals that are not about shape: status → problem types. A 400 is never one of them. */
const nonShape: Record<number, string[]> = {
  403: ['forbidden-role'],
  404: ['not-found'],
  409: ['wrong-phase', 'conflict'],
  422: ['rule-violation', 'separation-of-duties', 'needs-info', 'materials-incomplete'],
};
const problem = (kind: string) => `urn:xborder:problem:${kind}`;

type Schema = Record<string, any>;
type Doc = { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } };

let stack: Stack;
let drive: Driver;
let doc: Doc;

beforeAll(async () => {
  stack = await startStack({ rateLimit: { perIdentity: 1_000_000, perIp: 1_000_000 } });
  drive = new Driver(stack);
  doc = (await (await fetch(`${stack.base}/openapi.json`)).json()) as Doc;
}, 120_000);
afterAll(async () => {
  await stack?.stop(); // fails the file if any response contradicted /openapi.json
});

// ---- a generator over JSON Schema (the subset the document uses) ----------------------------------------

const words = ['data', 'order', 'Kunde', '客户', '数据', 'export', 'log', 'a', 'Z9', 'x-1', 'é', '—', '.'];
/** Text that holds a non-space character, with white space around and inside (the server trims). */
const textArb = (min: number, max: number): fc.Arbitrary<string> =>
  fc
    .tuple(
      fc.constantFrom('', '', ' ', '\t', '  '),
      fc.array(fc.constantFrom(...words), { minLength: 1, maxLength: 6 }),
      fc.constantFrom(' ', '_', ', '),
      fc.constantFrom('', '', ' ', '\n'),
    )
    .map(([lead, ws, sep, trail]) => `${lead}${ws.join(sep)}${trail}`)
    .filter((s) => s.length >= min)
    .map((s) => (s.length > max ? s.slice(0, max).replace(/^\s+/, 'x') : s));

const formatOk = (name: string, s: string): boolean => {
  const f = (fullFormats as Record<string, any>)[name];
  if (f === undefined) return true;
  if (f instanceof RegExp) return f.test(s);
  if (typeof f === 'function') return f(s);
  return f.validate instanceof RegExp ? f.validate.test(s) : f.validate(s);
};

function stringArb(s: Schema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 200;
  const lengthOk = (x: string) => [...x].length >= min && [...x].length <= max;
  if (s.pattern === '\\S') return textArb(Math.max(min, 1), max);
  let base: fc.Arbitrary<string>;
  if (s.pattern) base = fc.stringMatching(new RegExp(s.pattern));
  else if (s.format === 'date-time')
    base = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString());
  else if (s.format === 'date')
    base = fc
      .date({
        min: new Date('2000-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10));
  else if (s.format === 'email')
    base = fc
      .tuple(fc.stringMatching(/^[a-z0-9]{1,8}$/), fc.stringMatching(/^[a-z]{1,8}\.[a-z]{2,4}$/))
      .map(([l, d]) => `${l}@${d}`);
  else if (s.format === 'uri')
    base = fc.stringMatching(/^[a-z]{1,10}$/).map((h) => `https://${h}.example/hook`);
  else base = fc.string({ minLength: min, maxLength: Math.min(max, 40), unit: 'grapheme-ascii' });
  return base.filter((x) => lengthOk(x) && (s.format === undefined || formatOk(s.format, x)));
}

function numberArb(s: Schema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? s.exclusiveMinimum ?? -1e9;
  const max = s.maximum ?? s.exclusiveMaximum ?? 1e9;
  const excluded = (x: number) => x === s.exclusiveMinimum || x === s.exclusiveMaximum;
  const raw = fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(min, max, Math.min(max, min + 1)) },
    { weight: 4, arbitrary: fc.double({ min, max, noNaN: true, noDefaultInfinity: true }) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: 1000 }).map((x) => min + x) },
  );
  return raw
    .map((x) => (integer ? Math.floor(x) : x))
    .filter((x) => x >= min && x <= max && !excluded(x) && (!integer || Number.isSafeInteger(x)));
}

/**
 * An array: random elements of `items` — or, when `allOf` lists `contains` clauses (each of these values once),
 * one element per clause with the values the clause names, in a random order.
 */
function arrayArb(s: Schema): fc.Arbitrary<unknown[]> {
  const items: Schema = s.items ?? {};
  const clauses = ((s.allOf ?? []) as Schema[]).filter((c) => c.contains);
  if (clauses.length > 0) {
    const required = clauses.map((c) => {
      const consts = Object.entries(c.contains.properties ?? {}).map(([k, v]) => [k, (v as Schema).const]);
      return arb(items).map((el) => ({ ...(el as object), ...Object.fromEntries(consts) }));
    });
    return fc
      .tuple(fc.tuple(...required), fc.array(fc.double({ noNaN: true }), { minLength: required.length }))
      .map(([els, keys]) =>
        els
          .map((el, i) => ({ el, k: keys[i]! }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.el),
      );
  }
  const minLength = s.minItems ?? 0;
  const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 4, minLength + 4));
  return fc.array(arb(items), { minLength, maxLength });
}

function objectArb(s: Schema): fc.Arbitrary<Record<string, unknown>> {
  const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, arb(v as Schema)]));
  const known = fc.record(props, { requiredKeys: (s.required ?? []) as string[] });
  const extra = s.additionalProperties;
  if (extra === undefined || extra === false || extra === true || s.properties) return known;
  // a map (record): keys from propertyNames, values from additionalProperties
  return fc.dictionary(
    s.propertyNames ? stringArb(s.propertyNames) : fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/),
    arb(extra),
    { maxKeys: 3 },
  );
}

const arbs = new WeakMap<Schema, fc.Arbitrary<unknown>>();
function arb(schema: Schema): fc.Arbitrary<unknown> {
  let a = arbs.get(schema);
  if (!a) {
    a = build(schema);
    arbs.set(schema, a);
  }
  return a;
}
function build(s: Schema): fc.Arbitrary<unknown> {
  if (s.$ref) return fc.constant(null).chain(() => arb(resolve(s.$ref)));
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...(s.enum as unknown[]));
  if (s.oneOf) return fc.oneof(...(s.oneOf as Schema[]).map(arb));
  if (s.anyOf) return fc.oneof(...(s.anyOf as Schema[]).map(arb));
  // a nullable value (OpenAPI 3.1: `"type": ["object", "null"]`): null, or the value
  if (Array.isArray(s.type))
    return fc.oneof(
      ...(s.type as string[]).map((type) => (type === 'null' ? fc.constant(null) : arb({ ...s, type }))),
    );
  switch (s.type) {
    case 'object':
      return objectArb(s);
    case 'array':
      return arrayArb(s);
    case 'string':
      return stringArb(s);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    default:
      throw new Error(`the generator does not know ${JSON.stringify(s).slice(0, 200)}`);
  }
}
function resolve(ref: string): Schema {
  const name = ref.replace('#/components/schemas/', '');
  const found = doc.components.schemas[name];
  if (!found) throw new Error(`unresolved ${ref}`);
  return found;
}

// ---- what is sent where ----------------------------------------------------------------------------------

/** Where an operation on a transfer is allowed, and by whom. */
const placement: Record<string, { point: Point; actor: Actor }> = {
  'PATCH /v1/transfers/{id}': { point: 'draft', actor: applicant },
  submit: { point: 'draft', actor: applicant },
  completeness: { point: 'completeness_check', actor: rita },
  supplement: { point: 'awaiting_supplement', actor: applicant },
  withdraw: { point: 'completeness_check', actor: applicant },
  review: { point: 'under_review', actor: rita },
  'extend-review': { point: 'under_review', actor: rita },
  'risk-decision': { point: 'risk_assessment', actor: rita },
  'request-re-review': { point: 'not_passed', actor: applicant },
  're-review-decision': { point: 're_review', actor: rosa },
  'acknowledge-conditions': { point: 'awaiting_signature', actor: recipient },
  sign: { point: 'awaiting_signature', actor: recipient },
  countersign: { point: 'awaiting_countersignature', actor: applicant },
  file: { point: 'awaiting_filing', actor: applicant },
  'filing-decision': { point: 'filing_review', actor: rita },
  report: { point: 'active', actor: applicant },
  supervise: { point: 'active', actor: rita },
  'respond-rectification': { point: 'rectification_ordered', actor: applicant },
  'rectification-decision': { point: 'rectification_answered', actor: rita },
  'report-incident': { point: 'active', actor: applicant },
  'report-change': { point: 'active', actor: applicant },
  'change-decision': { point: 'change_review', actor: rita },
  'request-extension': { point: 'active', actor: applicant },
  'extension-decision': { point: 'active', actor: rita },
  'confirm-exemption': { point: 'exempt', actor: applicant },
  // eu-gdpr's own steps, sent to cn-2024 transfers where their role may act: refused as a wrong phase, never for shape
  'privacy-review': { point: 'under_review', actor: rita },
  're-evaluate': { point: 'change_review', actor: applicant },
  're-evaluation-decision': { point: 'change_review', actor: rita },
  'report-use': { point: 'active', actor: applicant },
};
const admin: Actor = { sub: 'ada', role: 'admin' };
/** Operations without a transfer: the caller (none: no token) and the concrete path. */
const standalone: Record<string, { actor: Actor | null; path?: string }> = {
  'POST /v1/route-check': { actor: applicant },
  'GET /v1/transfers': { actor: applicant },
  'GET /v1/policy': { actor: applicant },
  'GET /v1/admin/webhooks/deliveries': { actor: admin },
  'POST /v1/transfers': { actor: applicant },
  'PUT /v1/admin/webhooks/{kind}/{id}': { actor: admin, path: '/v1/admin/webhooks/org/acme' },
  'POST /v1/dev/token': { actor: null },
  'POST /v1/admin/eu-gdpr/events': { actor: admin },
  'POST /codec/encode': { actor: rita },
  'POST /codec/decode': { actor: rita },
};
/** Operations whose well-formed bodies the rules must let through at least once here (so the test is not vacuous). */
const mustAccept = [
  'POST /v1/route-check',
  'GET /v1/transfers',
  'GET /v1/admin/webhooks/deliveries',
  'POST /v1/transfers',
  'PATCH /v1/transfers/{id}',
  'POST /v1/transfers/{id}/completeness',
  'POST /v1/transfers/{id}/review',
  'POST /v1/transfers/{id}/withdraw',
  'POST /v1/transfers/{id}/supervise',
  'POST /v1/transfers/{id}/report-incident',
  'POST /v1/transfers/{id}/report-change',
  'POST /v1/transfers/{id}/request-re-review',
  'POST /v1/transfers/{id}/filing-decision',
  'PUT /v1/admin/webhooks/{kind}/{id}',
  'POST /v1/admin/eu-gdpr/events',
  'POST /v1/dev/token',
  'POST /codec/encode',
];
/** Query parameters that no generator can make up: the signed token of a previous page. */
const opaqueParams = new Set(['pageToken']);

interface Operation {
  key: string;
  method: string;
  path: string;
  body?: Schema;
  query?: Record<string, Schema>;
}
function operations(): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const key = `${method.toUpperCase()} ${path}`;
      const body = op.requestBody?.content?.['application/json']?.schema as Schema | undefined;
      const query = ((op.parameters ?? []) as { in: string; name: string; schema: Schema }[]).filter(
        (p) => p.in === 'query' && !opaqueParams.has(p.name),
      );
      if (!body && query.length === 0) continue;
      ops.push({
        key,
        method: method.toUpperCase(),
        path,
        ...(body ? { body } : {}),
        ...(query.length > 0 ? { query: Object.fromEntries(query.map((p) => [p.name, p.schema])) } : {}),
      });
    }
  }
  return ops;
}

interface Outcome {
  sent: number;
  accepted: number;
  refusals: Record<string, number>;
  /** refused for their shape, or with a status/type outside nonShape */
  wrong: string[];
}

test('every body and query the published document allows is accepted, or refused for a reason other than shape', async () => {
  const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(ajv);
  ajv.addSchema(doc, 'openapi');
  const ops = operations();
  const outcomes: Record<string, Outcome> = {};
  const invalidGenerated: string[] = [];
  let seed = SEED;

  for (const op of ops) {
    const segment = op.path.match(/^\/v1\/transfers\/\{id\}\/(.+)$/)?.[1];
    const place = placement[segment ?? op.key];
    const alone = standalone[op.key];
    if (op.body && !place && !alone) throw new Error(`no placement for ${op.key}: add it to the test`);
    const outcome: Outcome = { sent: 0, accepted: 0, refusals: {}, wrong: [] };
    outcomes[op.key] = outcome;

    const applicationShaped = ['POST /v1/route-check', 'POST /v1/transfers', 'PATCH /v1/transfers/{id}'];
    const n = applicationShaped.includes(op.key) ? PER_APPLICATION_OPERATION : PER_OPERATION;
    const validate = op.body
      ? ajv.compile({
          $ref: `openapi#/paths/${encodeURIComponent(op.path.replace(/~/g, '~0').replace(/\//g, '~1'))}/${op.method.toLowerCase()}/requestBody/content/application~1json/schema`,
        })
      : undefined;
    const bodies = op.body ? fc.sample(arb(op.body), { seed: seed++, numRuns: n }) : [];
    const queries = op.query
      ? fc.sample(
          fc.record(Object.fromEntries(Object.entries(op.query).map(([k, s]) => [k, arb(s)])), {
            requiredKeys: [],
          }),
          { seed: seed++, numRuns: PER_OPERATION },
        )
      : [];

    let target: string | undefined;
    let fresh = FRESH;
    const actor = place ? place.actor : alone ? alone.actor : applicant;
    const token = actor ? await drive.token(actor) : undefined;

    const send = async (body: unknown, query: Record<string, unknown> | undefined) => {
      if (place && !target) target = await drive.reach(place.point);
      const path = (alone?.path ?? op.path).replace('{id}', target ?? '');
      const qs = query
        ? new URLSearchParams(
            Object.entries(query).map(([k, v]): [string, string] => [k, String(v)]),
          ).toString()
        : '';
      const res = await stack.call(op.method, qs ? `${path}?${qs}` : path, {
        ...(token ? { token } : {}),
        ...(op.body ? { body } : {}),
      });
      outcome.sent++;
      const what = `${op.key} as ${actor?.sub ?? 'anyone'} → ${res.status} ${res.body?.type ?? ''}: ${JSON.stringify(res.body?.errors ?? res.body?.detail ?? '').slice(0, 300)} for ${JSON.stringify(query ?? body).slice(0, 400)}`;
      if (res.status < 300) {
        outcome.accepted++;
        // a transfer moved on by an accepted body: the rest go to a fresh one at the same point (within budget)
        if (place && fresh > 0) {
          fresh--;
          target = undefined;
        }
        return;
      }
      const key = `${res.status} ${String(res.body?.type ?? '').replace('urn:xborder:problem:', '')}`;
      outcome.refusals[key] = (outcome.refusals[key] ?? 0) + 1;
      if (!(nonShape[res.status] ?? []).map(problem).includes(res.body?.type)) outcome.wrong.push(what);
    };

    for (const body of bodies) {
      if (!validate!(body)) {
        invalidGenerated.push(
          `${op.key}: ${ajv.errorsText(validate!.errors)} in ${JSON.stringify(body).slice(0, 300)}`,
        );
        continue;
      }
      await send(body, undefined);
    }
    for (const query of queries) await send(undefined, query);
  }

  // the generator produced what the document allows (else it would test nothing, or the wrong thing)
  expect(invalidGenerated).toEqual([]);
  const summary = Object.fromEntries(
    Object.entries(outcomes).map(([k, o]) => [
      k,
      `${o.sent} sent, ${o.accepted} accepted, ${JSON.stringify(o.refusals)}`,
    ]),
  );
  if (process.env.XB_CONTRACT_VERBOSE) console.log(summary);
  // every operation with a body or a constrained query was exercised
  expect(Object.keys(outcomes).length).toBeGreaterThanOrEqual(Object.keys(placement).length + 5);
  for (const o of Object.values(outcomes)) expect(o.sent).toBeGreaterThan(0);
  // none refused for its shape, nor with a refusal outside the documented non-shape kinds
  expect(Object.values(outcomes).flatMap((o) => o.wrong)).toEqual([]);
  // and the rules let well-formed requests through where they are allowed
  expect(mustAccept.filter((k) => !(outcomes[k]!.accepted > 0)).map((k) => `${k}: ${summary[k]}`)).toEqual(
    [],
  );
});
