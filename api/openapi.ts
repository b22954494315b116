/** The OpenAPI 3.1 document, generated from the same zod schemas the routes parse with. */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { applicationSchema, partialApplicationSchema } from '../domain/application';
import {
  completenessBody,
  createTransferBody,
  documentResponse,
  emptyBody,
  listQuery,
  listResponse,
  problemResponse,
  routeCheckResponse,
  supplementBody,
  transferResponse,
  withdrawBody,
  actionTable,
  signBody,
} from './schemas';

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
  const Application = applicationSchema.meta({ id: 'TransferApplication' });
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const problem = (description: string) => ({
    description,
    content: { 'application/problem+json': { schema: Problem } },
  });
  const errors = {
    400: problem('invalid request (field errors with JSON pointers)'),
    401: problem('missing or invalid token'),
    403: problem('not allowed for your role'),
    404: problem('not found, or not yours'),
    409: problem('wrong phase'),
    422: problem('rule violation'),
    503: problem('Temporal or the worker is unavailable (Retry-After)'),
  };
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

  path('post', '/v1/route-check', 'Determine the route for an application (nothing stored)', {
    body: partialApplicationSchema,
    ok: routeCheckResponse,
  });
  path('post', '/v1/transfers', 'Create a transfer (submitted, or a draft with "draft": true)', {
    body: z.union([Application, createTransferBody]),
    ok: Transfer,
    status: 201,
    idem: true,
  });
  path('get', '/v1/transfers', 'List transfers in your scope', { query: listQuery, ok: listResponse });
  path('get', '/v1/inbox', 'Transfers awaiting your role, nearest deadline first', { ok: listResponse });
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
    {
      ok: z.object({
        items: z.array(
          z.object({
            id: z.number().int(),
            transferId: z.string(),
            kind: z.string(),
            message: z.string(),
            createdAt: z.string(),
          }),
        ),
      }),
    },
  );
  path('get', '/v1/transfers/{id}/history', 'Who did what when, with reasons, hash-chained', {
    params: true,
    ok: z.object({
      entries: z.array(
        z.object({
          seq: z.number().int(),
          at: z.string(),
          actor: z.string(),
          role: z.string(),
          action: z.string(),
          summary: z.string(),
          hash: z.string(),
          prevHash: z.string().nullable(),
        }),
      ),
    }),
  });

  reg.registerPath({
    method: 'post',
    path: '/v1/documents',
    summary: 'Upload a document (raw body; PDF, PNG, JPEG, text, JSON; ≤ 20 MiB)',
    security: [{ [bearer.name]: [] }],
    request: { body: { content: { 'application/pdf': { schema: z.string().meta({ format: 'binary' }) } } } },
    responses: {
      201: { description: 'stored', ...json(documentResponse) },
      401: errors[401],
      413: problem('too large'),
      415: problem('unsupported media type'),
    },
  });
  reg.registerPath({
    method: 'get',
    path: '/v1/documents/{id}',
    summary: 'Read a document (digest verified)',
    security: [{ [bearer.name]: [] }],
    request: { params: z.object({ id: z.string() }) },
    responses: { 200: { description: 'the bytes' }, 401: errors[401], 404: errors[404] },
  });
  for (const [p, summary] of [
    ['/v1/policy', 'The active policy pack'],
    ['/v1/calendar/due', 'When N working (or calendar) days from an instant end'],
    ['/v1/calendar/{year}', 'Holidays and adjusted working weekends of a year'],
  ] as const) {
    reg.registerPath({
      method: 'get',
      path: p,
      summary,
      security: [{ [bearer.name]: [] }],
      ...(p.includes('{year}') ? { request: { params: z.object({ year: z.string() }) } } : {}),
      responses: {
        200: { description: 'success', ...json(z.record(z.string(), z.unknown())) },
        400: errors[400],
        401: errors[401],
      },
    });
  }
  for (const [p, summary] of [
    ['/healthz', 'Process alive'],
    ['/readyz', 'Temporal reachable and a worker polling'],
  ] as const) {
    reg.registerPath({
      method: 'get',
      path: p,
      summary,
      responses: { 200: { description: 'ok' }, 503: problem('not ready') },
    });
  }

  return new OpenApiGeneratorV31(reg.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'xborder',
      version: '1.0.0',
      description: 'Cross-border personal-data transfer approval and supervision',
    },
    servers: [{ url: '/' }],
  });
}
