/**
 * /v1/dev: the console's "Sign in as" in dev mode (the server signs tokens with the HS256 secret it generated
 * into the data dir). Without dev mode every path here answers 404, exactly like an unknown path.
 */
import { Router } from 'express';
import { z } from 'zod';
import type { Actor } from '../../domain/authz';
import { notFound } from '../problems';
import { parse } from './util';

const id = z
  .string()
  .trim()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]*$/, 'letters, digits and . _ @ : - (starting with a letter or digit)');

export const devTokenBody = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('applicant'), sub: id, org: id }),
  z.strictObject({ role: z.literal('reviewer'), sub: id, org: id }),
  z.strictObject({ role: z.literal('recipient'), sub: id, recipient: id }),
  z.strictObject({ role: z.literal('admin'), sub: id, org: id.optional() }),
]);

export const devTokenResponse = z.object({ token: z.string(), expiresAt: z.string() });
export const devStatusResponse = z.object({ devSignIn: z.literal(true) });

/** Tokens live this long (the console sends the user back to sign-in when one expires). */
export const DEV_TOKEN_TTL_SECONDS = 8 * 3600;

export function devRoutes(mint?: (actor: Actor, ttlSeconds: number) => Promise<string>): Router {
  const r = Router();
  r.use((_req, _res, next) => {
    if (!mint) throw notFound();
    next();
  });
  r.get('/', (_req, res) => {
    res.json({ devSignIn: true });
  });
  r.post('/token', async (req, res) => {
    const body = parse(devTokenBody, req.body);
    const token = await mint!(body, DEV_TOKEN_TTL_SECONDS);
    res.json({ token, expiresAt: new Date(Date.now() + DEV_TOKEN_TTL_SECONDS * 1000).toISOString() });
  });
  return r;
}
