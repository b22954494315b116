/**
 * The typed API client: openapi-fetch over the paths generated from the API's OpenAPI document
 * (schema.d.ts, `npm run console:openapi`). Every request carries the session's token; a 401 on a signed-in
 * request ends the session and sends the user to sign in again, with the reason.
 */
import createClient from 'openapi-fetch';
import { navigate, signInPath } from '../router';
import { currentSession, isExpired, signOut } from '../session';
import type { components, paths } from './schema';

export type Transfer = components['schemas']['Transfer'];
/** The JSON body a POST operation takes (forms send what the reviewer gave; the server refuses at pointers). */
export type BodyOf<P extends keyof paths> = paths[P] extends {
  post: { requestBody?: { content: { 'application/json': infer B } } };
}
  ? B
  : never;
export type Problem = components['schemas']['Problem'];
export type Summary = ListItem;
type ListItem = paths['/v1/inbox']['get']['responses'][200]['content']['application/json']['items'][number];

/** A problem+json answer (or a network failure, as a problem with status 0). */
export class ProblemError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

function endSession(reason: 'expired' | 'refused'): void {
  signOut(reason);
  navigate(signInPath(), { replace: true });
}

export const api = createClient<paths>({ baseUrl: location.origin });
api.use({
  onRequest({ request }) {
    const session = currentSession();
    if (!session) return request;
    if (isExpired(session)) {
      endSession('expired');
      throw new ProblemError(problemOf(401, 'Your session expired.'));
    }
    request.headers.set('Authorization', `Bearer ${session.token}`);
    return request;
  },
  onResponse({ request, response }) {
    if (response.status === 401 && request.headers.has('Authorization')) {
      const session = currentSession();
      endSession(session && isExpired(session, Date.now() + 30_000) ? 'expired' : 'refused');
    }
    return response;
  },
});

function problemOf(status: number, detail: string): Problem {
  return { type: 'about:blank', title: detail, status, detail, instance: '' };
}

function asProblem(error: unknown, status: number): Problem {
  const e = error as Partial<Problem> | undefined;
  if (e && typeof e === 'object' && typeof e.detail === 'string') return { ...problemOf(status, ''), ...e };
  return problemOf(status, typeof error === 'string' && error ? error : `HTTP ${status}`);
}

/** The data of an openapi-fetch answer, or a ProblemError. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<NonNullable<T>> {
  let r: { data?: T; error?: unknown; response: Response };
  try {
    r = await call;
  } catch (err) {
    if (err instanceof ProblemError) throw err;
    throw new ProblemError(problemOf(0, 'The server cannot be reached.'));
  }
  if (r.error !== undefined || !r.response.ok) throw new ProblemError(asProblem(r.error, r.response.status));
  return r.data as NonNullable<T>;
}

/** POST /v1/documents: the raw bytes of a file; answers the content digest id. */
export async function uploadDocument(file: File): Promise<string> {
  const body = await unwrap(
    api.POST('/v1/documents', {
      body: file as never,
      bodySerializer: (b: unknown) => b as File,
      headers: { 'Content-Type': file.type || 'application/octet-stream' },
    }),
  );
  return body.id;
}
