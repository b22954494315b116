/** The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with. */
import { euEventBody } from './routes/policy-events';
import { euApplicationSchema } from '../domain/policy/eu-gdpr/application';
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { partialApplicationSchema } from '../domain/application';
import {
  completenessBody,
  createTransferBody,
  documentResponse,
  emptyBody,
  listQuery,
  inboxQuery,
  listResponse,
  problemResponse,
  routeCheckBody,
  routeCheckResponse,
  supplementBody,
  transferResponse,
  calendarYearResponse,
  dueResponse,
  historyResponse,
  evidenceResponse,
  notificationsQuery,
  notificationsResponse,
  policyResponse,
  readinessResponse,
  withdrawBody,
  actionTable,
  signBody,
} from './schemas';

import { deliveriesQuery, webhookBody, webhookParams } from './routes/admin';
import { policyQuery } from './routes/policy';
import { devStatusResponse, devTokenBody, devTokenResponse } from './routes/dev';
import { consoleConfigResponse } from './routes/console-config';

type Method = 'get' | 'post' | 'patch';

export function buildOpenApi(): object {
  const reg = new OpenAPIRegistry();
  const bearer = reg.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  // Named schemas (components) by zod's own metadata: no prototype patching needed.
  const Problem = problemResponse.meta({ id: 'Problem' });
  const Transfer = transferResponse.meta({ id: 'Transfer' });
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: Problem } },
  });
  const errors = {
    400: problem(
      'the request does not match this document (urn:xborder:problem:validation; field errors with JSON pointers)',
    ),
    401: problem('missing or invalid token'),
    403: problem('not allowed for your role'),
    404: problem('not found, or not yours'),
    409: problem('wrong phase, or already decided'),
    413: problem('body larger than 256 kB'),
    415: problem('a body that is not application/json'),
    422: problem(
      'a well-formed request the rules refuse: separation of duties, facts missing (needs-info), materials ' +
        'incomplete, Idempotency-Key reused, or a rule-violation — a value that must agree with the transfer ' +
        '(a date in its window, the open item or period, your own organisation, a document you uploaded)',
    ),
    429: problem('rate limited (Retry-After)'),
    503: problem('Temporal or the worker is unavailable (Retry-After)'),
  };
  /** what any authenticated read can answer besides success */
  const readErrors = { 400: errors[400], 401: errors[401], 404: errors[404], 429: errors[429] };
  const idParam = z.object({ id: z.string().meta({ description: 'transfer id' }) });
  const idemHeader = z.object({ 'Idempotency-Key': z.string().optional() });

  const path = (
    method: Method,
    p: string,
    summary: string,
    opts: {
      body?: z.ZodType;
      query?: z.ZodObject;
      ok: z.ZodType;
      status?: number;
      params?: boolean;
      auth?: boolean;
      idem?: boolean;
    },
  ) =>
    reg.registerPath({
      method,
      path: p,
      summary,
      security: opts.auth === false ? [] : [{ [bearer.name]: [] }],
      request: {
        ...(opts.params ? { params: idParam } : {}),
        ...(opts.query ? { query: opts.query } : {}),
        ...(opts.idem ? { headers: idemHeader } : {}),
        ...(opts.body ? { body: { content: { 'application/json': { schema: opts.body } } } } : {}),
      },
      responses: { [opts.status ?? 200]: { description: 'success', ...json(opts.ok) }, ...errors },
    });

  path(
    'post',
    '/v1/route-check',
    'Determine the route for an application under a policy pack ("policy": cn-2024 by default, or eu-gdpr); nothing stored',
    { body: routeCheckBody, ok: routeCheckResponse },
  );
  path(
    'post',
    '/v1/transfers',
    'Create a transfer (submitted, or a draft with "draft": true); with "policy": "eu-gdpr" the eu-gdpr application (no drafts)',
    {
      body: z.union([
        createTransferBody,
        euApplicationSchema
          .safeExtend({ policy: z.literal('eu-gdpr') })
          .meta({ id: 'EuGdprTransferApplication' }),
      ]),
      ok: Transfer,
      status: 201,
      idem: true,
    },
  );
  path('get', '/v1/transfers', 'List transfers in your scope', { query: listQuery, ok: listResponse });
  path('get', '/v1/inbox', 'Transfers awaiting your role: overdue first, then the nearest deadline', {
    query: inboxQuery,
    ok: listResponse,
  });
  path('get', '/v1/transfers/{id}', 'One transfer', { params: true, ok: Transfer });
  path('patch', '/v1/transfers/{id}', 'Edit a draft', {
    params: true,
    body: partialApplicationSchema,
    ok: Transfer,
    idem: true,
  });
  path('post', '/v1/transfers/{id}/submit', 'Submit a draft (applicant)', {
    params: true,
    body: emptyBody,
    ok: Transfer,
    idem: true,
  });
  path('post', '/v1/transfers/{id}/completeness', 'Completeness decision (reviewer)', {
    params: true,
    body: completenessBody,
    ok: Transfer,
    idem: true,
  });
  path('post', '/v1/transfers/{id}/supplement', 'Answer every open supplementation item (applicant)', {
    params: true,
    body: supplementBody,
    ok: Transfer,
    idem: true,
  });
  path('post', '/v1/transfers/{id}/withdraw', 'Withdraw before approval (applicant)', {
    params: true,
    body: withdrawBody,
    ok: Transfer,
    idem: true,
  });
  for (const a of actionTable) {
    path('post', `/v1/transfers/{id}/${a.segment}`, a.summary, {
      params: true,
      body: a.body,
      ok: Transfer,
      idem: true,
    });
  }
  path(
    'post',
    '/v1/transfers/{id}/sign',
    'Sign: the id of the uploaded signed agreement, signer, date (recipient)',
    {
      params: true,
      body: signBody,
      ok: Transfer,
      idem: true,
    },
  );
  path(
    'get',
    '/v1/notifications',
    'Your notifications (escalations, warnings, deadline consequences), newest first',
    { query: notificationsQuery, ok: notificationsResponse },
  );
  path('get', '/v1/transfers/{id}/history', 'Who did what when, with reasons, hash-chained', {
    params: true,
    ok: historyResponse,
  });
  path(
    'get',
    '/v1/transfers/{id}/evidence',
    'Evidence pack: application, decisions, documents with digests, the audit chain, a verification result (applicant, reviewer)',
    { params: true, ok: evidenceResponse },
  );

  reg.registerPath({
    method: 'post',
    path: '/v1/documents',
    summary: 'Upload a document (raw body; PDF, PNG, JPEG, text, JSON; ≤ 20 MiB)',
    security: [{ [bearer.name]: [] }],
    request: { body: { content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } } },
    responses: {
      201: { description: 'stored', ...json(documentResponse) },
      400: errors[400],
      401: errors[401],
      413: problem('larger than 20 MiB'),
      415: problem('not one of the accepted media types'),
      429: errors[429],
    },
  });
  reg.registerPath({
    method: 'get',
    path: '/v1/documents/{id}',
    summary: 'Read a document (digest verified)',
    security: [{ [bearer.name]: [] }],
    request: { params: z.object({ id: z.string() }) },
    responses: {
      200: {
        description: 'the bytes, with the media type they were uploaded as',
        content: Object.fromEntries(
          ['application/pdf', 'image/png', 'image/jpeg', 'text/plain', 'application/json'].map((m) => [
            m,
            { schema: z.string().meta({ format: 'binary' }) },
          ]),
        ),
      },
      ...readErrors,
      500: problem('the stored bytes fail their digest check (integrity)'),
    },
  });
  reg.registerPath({
    method: 'get',
    path: '/v1/policy',
    summary:
      "A policy pack version: ?id= picks the pack (cn-2024 by default, or eu-gdpr), ?version= a released version (default the pack's current one); lists the pack's versions",
    security: [{ [bearer.name]: [] }],
    request: { query: policyQuery },
    responses: {
      200: { description: 'success', ...json(policyResponse) },
      ...readErrors,
      400: problem('a malformed id or version'),
      404: problem('no such pack (the detail names the known ones), or no such released version'),
    },
  });
  for (const [p, summary, schema] of [
    ['/v1/calendar/due', 'When N working (or calendar) days from an instant end', dueResponse],
    ['/v1/calendar/{year}', 'Holidays and adjusted working weekends of a year', calendarYearResponse],
  ] as const) {
    reg.registerPath({
      method: 'get',
      path: p,
      summary,
      security: [{ [bearer.name]: [] }],
      ...(p.includes('{year}') ? { request: { params: z.object({ year: z.string() }) } } : {}),
      responses: { 200: { description: 'success', ...json(schema) }, ...readErrors },
    });
  }
  const webhook = z.object({
    target: z.string(),
    url: z.string(),
    updatedAt: z.string(),
    updatedBy: z.string(),
  });
  const adminErrors = {
    400: errors[400],
    401: errors[401],
    403: errors[403],
    404: errors[404],
    429: errors[429],
  };
  reg.registerPath({
    method: 'post',
    path: '/v1/admin/eu-gdpr/events',
    summary:
      'Record that a DPF listing or an adequacy decision changed: every active eu-gdpr transfer it affects moves to re-evaluation, audited (admin)',
    security: [{ [bearer.name]: [] }],
    request: { body: { content: { 'application/json': { schema: euEventBody } } } },
    responses: {
      200: {
        description: 'the transfers the event re-opened',
        ...json(
          z.object({
            event: z.string(),
            checked: z.number().int().meta({ description: 'active eu-gdpr transfers looked at' }),
            reopened: z.array(z.object({ id: z.string(), status: z.string() })),
            alreadyUnderReEvaluation: z.array(z.object({ id: z.string(), status: z.string() })),
          }),
        ),
      },
      ...adminErrors,
      415: errors[415],
    },
  });
  reg.registerPath({
    method: 'get',
    path: '/v1/admin/webhooks',
    summary: 'Webhook targets of the notification outbox (admin)',
    security: [{ [bearer.name]: [] }],
    responses: {
      200: { description: 'targets', ...json(z.object({ items: z.array(webhook) })) },
      ...adminErrors,
    },
  });
  reg.registerPath({
    method: 'get',
    path: '/v1/admin/webhooks/deliveries',
    summary: 'Deliveries, e.g. ?status=dead for the dead letters (admin)',
    security: [{ [bearer.name]: [] }],
    request: { query: deliveriesQuery },
    responses: {
      200: {
        description: 'deliveries, newest first',
        ...json(
          z.object({
            items: z.array(
              z.object({
                notificationId: z.number().int(),
                target: z.string(),
                status: z.string(),
                attempts: z.number().int(),
                lastError: z.string().nullable(),
                deliveredAt: z.string().nullable(),
                transferId: z.string(),
                kind: z.string(),
              }),
            ),
          }),
        ),
      },
      ...adminErrors,
    },
  });
  reg.registerPath({
    method: 'put',
    path: '/v1/admin/webhooks/{kind}/{id}',
    summary: 'Register a webhook for an organisation or a recipient; answers the signing secret (admin)',
    security: [{ [bearer.name]: [] }],
    request: { params: webhookParams, body: { content: { 'application/json': { schema: webhookBody } } } },
    responses: {
      200: {
        description: 'registered',
        ...json(z.object({ target: z.string(), url: z.string(), secret: z.string() })),
      },
      ...adminErrors,
      413: errors[413],
      415: errors[415],
    },
  });
  reg.registerPath({
    method: 'delete',
    path: '/v1/admin/webhooks/{kind}/{id}',
    summary: 'Remove a webhook (admin)',
    security: [{ [bearer.name]: [] }],
    request: { params: webhookParams },
    responses: { 204: { description: 'removed' }, ...adminErrors },
  });

  const base64 = z
    .string()
    .regex(/^[A-Za-z0-9+/]*={0,2}$/)
    .meta({ contentEncoding: 'base64' });
  const wirePayloads = z.object({
    payloads: z.array(
      z.object({ metadata: z.record(z.string(), base64).optional(), data: base64.optional() }),
    ),
  });
  reg.registerPath({
    method: 'get',
    path: '/codec/session',
    summary: 'A form to start a codec session for the Web UI (paste a reviewer or admin token)',
    responses: { 200: { description: 'HTML', content: { 'text/html': {} } } },
  });
  reg.registerPath({
    method: 'post',
    path: '/codec/session',
    summary: 'Start a codec session: an HttpOnly, SameSite=Strict cookie for /codec (reviewers and admins)',
    request: {
      body: { content: { 'application/x-www-form-urlencoded': { schema: z.object({ token: z.string() }) } } },
    },
    responses: {
      200: { description: 'session started (Set-Cookie)', content: { 'text/html': {} } },
      401: errors[401],
      403: errors[403],
    },
  });
  for (const op of ['decode', 'encode'] as const) {
    reg.registerPath({
      method: 'post',
      path: `/codec/${op}`,
      summary: `Temporal Web UI codec endpoint: ${op} payloads (reviewers and admins)`,
      security: [{ [bearer.name]: [] }],
      request: { body: { content: { 'application/json': { schema: wirePayloads } } } },
      responses: {
        200: { description: `the ${op}d payloads`, ...json(wirePayloads) },
        400: errors[400],
        401: errors[401],
        403: errors[403],
        413: errors[413],
        415: errors[415],
      },
    });
  }
  reg.registerPath({
    method: 'get',
    path: '/v1/console/config',
    summary:
      'Public: how to sign in to the web console: dev "Sign in as" on or off, and the OpenID provider (issuer, public client id, scope) for "Sign in with your organisation". No secrets.',
    responses: {
      200: { description: "the console's sign-in settings", ...json(consoleConfigResponse) },
      429: errors[429],
    },
  });
  reg.registerPath({
    method: 'get',
    path: '/v1/dev',
    summary:
      'Whether dev sign-in is on (the server signs with its generated HS256 dev secret); 404 otherwise',
    responses: {
      200: { description: 'dev sign-in is on', ...json(devStatusResponse) },
      404: problem('not in dev mode'),
      429: errors[429],
    },
  });
  reg.registerPath({
    method: 'post',
    path: '/v1/dev/token',
    summary:
      'Dev mode only: a token for any role, user and organisation or recipient (the console\'s "Sign in as"); 404 unless dev mode is on',
    request: { body: { content: { 'application/json': { schema: devTokenBody } } } },
    responses: {
      200: { description: 'a bearer token and when it expires', ...json(devTokenResponse) },
      400: errors[400],
      404: problem('not in dev mode'),
      413: errors[413],
      415: errors[415],
      429: errors[429],
    },
  });
  reg.registerPath({
    method: 'get',
    path: '/healthz',
    summary: 'Process alive',
    responses: { 200: { description: 'ok', ...json(z.object({ status: z.literal('ok') })) } },
  });
  reg.registerPath({
    method: 'get',
    path: '/readyz',
    summary: 'Temporal reachable and a worker polling',
    responses: {
      200: { description: 'ready', ...json(readinessResponse) },
      503: { description: 'not ready (Retry-After)', ...json(readinessResponse) },
    },
  });
  reg.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics',
    responses: { 200: { description: 'text exposition format', content: { 'text/plain': {} } } },
  });
  reg.registerPath({
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    responses: { 200: { description: 'OpenAPI 3.1', content: { 'application/json': {} } } },
  });
  reg.registerPath({
    method: 'get',
    path: '/docs',
    summary: 'This document, rendered (Swagger UI)',
    responses: { 200: { description: 'HTML', content: { 'text/html': {} } } },
  });

  const doc = new OpenApiGeneratorV31(reg.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'xborder',
      version: '1.0.0',
      description: 'Cross-border personal-data transfer approval and supervision',
    },
    servers: [{ url: '/' }],
  });
  return withoutEmptyDiscriminators(doc);
}

/**
 * zod-to-openapi names a discriminator for every discriminated union of named schemas, with an empty mapping when
 * the discriminator is not a string (`draft: true | false`): such an object says nothing a client can use (and
 * misleads generators into string tags), so it goes; the oneOf stays.
 */
function withoutEmptyDiscriminators<T>(node: T): T {
  if (Array.isArray(node)) return node.map(withoutEmptyDiscriminators) as T;
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    const empty =
      k === 'discriminator' && Object.keys((v as { mapping?: object }).mapping ?? {}).length === 0;
    if (!empty) out[k] = withoutEmptyDiscriminators(v);
  }
  return out as T;
}
