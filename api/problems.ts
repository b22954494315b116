/**
 * RFC 9457 problem+json: one error type thrown by routes, one middleware that answers every error, with a
 * stable `type` URI per kind. Nothing internal (stacks, messages of unexpected errors) reaches the body.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ZodError } from 'zod';
import { isProblemKind, problemKinds, type ProblemKind, type Refusal } from '../domain/errors';

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  errors?: { pointer: string; detail: string }[];
}

const titles: Record<ProblemKind, string> = {
  validation: 'Invalid request',
  unauthenticated: 'Authentication required',
  'forbidden-role': 'Not allowed for your role',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  'wrong-phase': 'Not possible in the current phase',
  conflict: 'Conflict',
  'payload-too-large': 'Payload too large',
  'unsupported-media-type': 'Unsupported media type',
  'separation-of-duties': 'Separation of duties',
  'rule-violation': 'Rule violation',
  'materials-incomplete': 'Materials incomplete',
  'needs-info': 'Facts missing',
  'idempotency-key-reuse': 'Idempotency key reused with another body',
  'rate-limited': 'Too many requests',
  internal: 'Internal error',
  unavailable: 'Service unavailable',
};

export const problemType = (kind: ProblemKind): string => `urn:xborder:problem:${kind}`;

export class HttpProblem extends Error {
  constructor(
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly errors?: { pointer: string; detail: string }[],
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
  }

  get status(): number {
    return problemKinds[this.kind];
  }

  static fromRefusal(r: Refusal): HttpProblem {
    return new HttpProblem(r.kind, r.message, r.errors);
  }

  static fromZod(err: ZodError, prefix = ''): HttpProblem {
    return new HttpProblem(
      'validation',
      'the request does not match the schema',
      fieldErrors(err.issues).map(({ path, detail }) => ({ pointer: pointerOf(prefix, path), detail })),
    );
  }
}

type Issue = ZodError['issues'][number];
type Path = readonly PropertyKey[];

/** RFC 6901: `~` and `/` in a segment are escaped. */
const pointerOf = (prefix: string, path: Path): string =>
  `${prefix}/${path.map((p) => String(p).replace(/~/g, '~0').replace(/\//g, '~1')).join('/')}`;

/**
 * The field errors of zod issues, each at the field it concerns: an unknown key at that key; a union the value
 * matched no branch of (one that is not discriminated) reported as the branch it came closest to — fewest
 * issues, then the deepest — rather than as one error at the union.
 */
export function fieldErrors(issues: readonly Issue[], base: Path = []): { path: Path; detail: string }[] {
  return issues.flatMap((i) => {
    const path = [...base, ...i.path];
    if (i.code === 'invalid_union' && i.errors.length > 0) {
      const depth = (branch: readonly Issue[]) => Math.max(0, ...branch.map((x) => x.path.length));
      const closest = [...i.errors].sort((a, b) => a.length - b.length || depth(b) - depth(a))[0]!;
      return fieldErrors(closest, path);
    }
    if (i.code === 'unrecognized_keys')
      return i.keys.map((k) => ({ path: [...path, k], detail: 'not a field of this object' }));
    return [{ path, detail: i.message }];
  });
}

export const notFound = (): HttpProblem => new HttpProblem('not-found', 'no such resource');

export function problemBody(p: HttpProblem, instance: string): ProblemBody {
  return {
    type: problemType(p.kind),
    title: titles[p.kind],
    status: p.status,
    detail: p.detail,
    instance,
    ...(p.errors && p.errors.length > 0 ? { errors: p.errors } : {}),
  };
}

/** Errors thrown by body parsers and other middleware, mapped to problems. */
function fromMiddleware(err: unknown): HttpProblem | undefined {
  if (err instanceof HttpProblem) return err;
  const e = err as { type?: string; status?: number; kind?: unknown; message?: string };
  if (isProblemKind(e.kind)) return new HttpProblem(e.kind, e.message ?? titles[e.kind]);
  switch (e.type) {
    case 'entity.parse.failed':
      return new HttpProblem('validation', 'the body is not valid JSON');
    case 'entity.too.large':
      return new HttpProblem('payload-too-large', 'the body is larger than allowed');
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new HttpProblem('unsupported-media-type', 'unsupported body encoding');
    case 'request.aborted':
      return new HttpProblem('validation', 'the request was aborted');
  }
  if (e.status === 400) return new HttpProblem('validation', 'malformed request');
  return undefined;
}

export function sendProblem(res: Parameters<RequestHandler>[1], p: HttpProblem, instance: string): void {
  if (p.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(p.retryAfterSeconds));
  res
    .status(p.status)
    .type('application/problem+json')
    .send(JSON.stringify(problemBody(p, instance)));
}

export const notFoundHandler: RequestHandler = (req, res) => {
  sendProblem(res, new HttpProblem('not-found', `no route ${req.method} ${req.path}`), req.originalUrl);
};

export const problemMiddleware: ErrorRequestHandler = (err, req, res, _next) => {
  const known = fromMiddleware(err);
  if (!known) req.log?.error({ err }, 'unhandled error');
  const p = known ?? new HttpProblem('internal', 'an unexpected error occurred; it has been logged');
  if (res.headersSent) return;
  sendProblem(res, p, req.originalUrl);
};
