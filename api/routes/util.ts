import { createHash, randomUUID } from 'node:crypto';
import type { Request } from 'express';
import type { z } from 'zod';
import type { Actor } from '../../domain/authz';
import { canonicalJson } from '../../domain/evidence';
import { HttpProblem } from '../problems';

/** Parse with a schema or answer 400 with field pointers. */
export function parse<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw HttpProblem.fromZod(r.error, prefix);
  return r.data;
}

const KEY = /^[A-Za-z0-9._:-]{1,128}$/;

/** The Idempotency-Key, if any, validated. */
export function idempotencyKey(req: Request): string | undefined {
  const key = req.get('Idempotency-Key');
  if (key === undefined) return undefined;
  if (!KEY.test(key)) {
    throw new HttpProblem('validation', 'Idempotency-Key must be 1–128 characters of A–Z a–z 0–9 . _ : -', [
      { pointer: '/headers/Idempotency-Key', detail: 'invalid' },
    ]);
  }
  return key;
}

/** A Temporal update id: the caller's key scoped to the caller and the action, or a fresh one. */
export function updateIdFor(actor: Actor, action: string, key: string | undefined): string {
  if (!key) return randomUUID();
  return createHash('sha256').update(`${actor.sub}\n${action}\n${key}`).digest('hex');
}

/**
 * The digest an Idempotency-Key is bound to: of the body's canonical JSON (the audit chain's form), so a retry
 * that serialises the same body with its keys in another order is the same request.
 */
export const hashBody = (body: unknown): string =>
  createHash('sha256')
    .update(canonicalJson(body ?? null))
    .digest('hex');

/** `<cursor>.<binding>`: a keyset position and a digest of the filters it was issued for (not a secret: scope is SQL's). */
const binding = (filters: unknown): string =>
  createHash('sha256').update(canonicalJson(filters)).digest('base64url').slice(0, 16);

export function encodePageToken(cursor: unknown, filters: unknown): string {
  return `${Buffer.from(JSON.stringify(cursor)).toString('base64url')}.${binding(filters)}`;
}

/** The cursor of a page token issued for the same filters, or a 400 at /query/pageToken. */
export function decodePageToken<S extends z.ZodType>(token: string, filters: unknown, schema: S): z.infer<S> {
  const [cursor, bound] = token.split('.');
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor ?? '', 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  const r = schema.safeParse(value);
  if (!r.success || bound !== binding(filters))
    throw new HttpProblem(
      'validation',
      'pageToken is not one this list issued (it is bound to the same filters)',
      [{ pointer: '/query/pageToken', detail: 'invalid' }],
    );
  return r.data;
}
