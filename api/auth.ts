/**
 * Bearer-token authentication (API.md "Auth") with jose: HS256 with a shared secret (dev/test), or an OIDC
 * provider's JWKS with issuer and audience. Each mode pins its algorithms; every failure is a 401.
 */
import type { RequestHandler } from 'express';
import { createRemoteJWKSet, jwtVerify, SignJWT, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Actor } from '../domain/authz';
import { HttpProblem } from './problems';

declare module 'express-serve-static-core' {
  interface Request {
    actor?: Actor;
  }
}

export type AuthConfig =
  { mode: 'hs256'; secret: string } | { mode: 'jwks'; jwksUrl: string; issuer: string; audience: string };

const id = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]*$/);
const claimsSchema = z.discriminatedUnion('role', [
  z.object({ sub: id, role: z.literal('applicant'), org: id }),
  z.object({ sub: id, role: z.literal('reviewer'), org: id }),
  z.object({ sub: id, role: z.literal('recipient'), recipient: id }),
  z.object({ sub: id, role: z.literal('admin'), org: id.optional() }),
]);

export const CLOCK_TOLERANCE_SECONDS = 30;

export function createVerifier(config: AuthConfig): (token: string) => Promise<Actor> {
  let verify: (token: string) => Promise<JWTPayload>;
  if (config.mode === 'hs256') {
    const key = new TextEncoder().encode(config.secret);
    verify = async (token) =>
      (
        await jwtVerify(token, key, {
          algorithms: ['HS256'],
          requiredClaims: ['exp', 'sub'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        })
      ).payload;
  } else {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl), { cooldownDuration: 30_000 });
    verify = async (token) =>
      (
        await jwtVerify(token, jwks, {
          algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
          issuer: config.issuer,
          audience: config.audience,
          requiredClaims: ['exp', 'sub'],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
        })
      ).payload;
  }
  return async (token) => {
    const claims = claimsSchema.safeParse(await verify(token));
    if (!claims.success) throw new Error('missing or invalid claims');
    const c = claims.data;
    return {
      sub: c.sub,
      role: c.role,
      ...('org' in c && c.org ? { org: c.org } : {}),
      ...('recipient' in c ? { recipient: c.recipient } : {}),
    };
  };
}

/** Requires a valid bearer token and puts the actor on the request. */
export function authenticate(verify: (token: string) => Promise<Actor>): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const match = /^Bearer ([A-Za-z0-9_\-.=]+)$/.exec(header);
    if (!match?.[1]) throw new HttpProblem('unauthenticated', 'send Authorization: Bearer <JWT>');
    try {
      req.actor = await verify(match[1]);
    } catch {
      throw new HttpProblem('unauthenticated', 'the token is invalid, expired, or lacks required claims');
    }
    next();
  };
}

/** A dev/test token (HS256). */
export async function mintToken(secret: string, actor: Actor, ttlSeconds = 8 * 3600): Promise<string> {
  return new SignJWT({
    role: actor.role,
    ...(actor.org ? { org: actor.org } : {}),
    ...(actor.recipient ? { recipient: actor.recipient } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(actor.sub)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

/** The helper for routes behind `authenticate`. */
export function actorOf(req: { actor?: Actor }): Actor {
  if (!req.actor) throw new HttpProblem('unauthenticated', 'send Authorization: Bearer <JWT>');
  return req.actor;
}
