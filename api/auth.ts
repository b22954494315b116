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

export type AuthConfig = (
  | { mode: 'hs256'; secret: string }
  | {
      mode: 'jwks';
      jwksUrl: string;
      issuer: string;
      audience: string;
      /** an unknown `kid` refetches the key set at most once per this interval */
      jwksRefreshMs?: number;
    }
) & {
  /** tolerance for exp / nbf / iat against this server's clock */
  clockSkewSeconds?: number;
};

export const DEFAULT_CLOCK_SKEW_SECONDS = 30;
export const DEFAULT_JWKS_REFRESH_MS = 30_000;

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

/**
 * A token verifier. Each mode pins its algorithms (an HS256 token is refused in JWKS mode and vice versa); `exp`,
 * `sub` and `iat` are required, `nbf` honoured, an `iat` in the future (beyond the skew) refused.
 */
export function createVerifier(config: AuthConfig): (token: string) => Promise<Actor> {
  const clockTolerance = config.clockSkewSeconds ?? DEFAULT_CLOCK_SKEW_SECONDS;
  const required = { requiredClaims: ['exp', 'sub', 'iat'], clockTolerance };
  let verify: (token: string) => Promise<JWTPayload>;
  if (config.mode === 'hs256') {
    const key = new TextEncoder().encode(config.secret);
    verify = async (token) => (await jwtVerify(token, key, { algorithms: ['HS256'], ...required })).payload;
  } else {
    const jwks: JWTVerifyGetKey = createRemoteJWKSet(new URL(config.jwksUrl), {
      cooldownDuration: config.jwksRefreshMs ?? DEFAULT_JWKS_REFRESH_MS,
      timeoutDuration: 5_000,
    });
    verify = async (token) =>
      (
        await jwtVerify(token, jwks, {
          algorithms: ['RS256', 'PS256', 'ES256', 'EdDSA'],
          issuer: config.issuer,
          audience: config.audience,
          ...required,
        })
      ).payload;
  }
  return async (token) => {
    const payload = await verify(token);
    if (typeof payload.iat !== 'number' || payload.iat > Date.now() / 1000 + clockTolerance)
      throw new Error('iat is in the future');
    const claims = claimsSchema.safeParse(payload);
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
export function authenticate(
  verify: (token: string) => Promise<Actor>,
  /** also accept the token from this cookie (the codec endpoint, called by the Web UI with credentials) */
  cookie?: string,
): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization ?? '';
    const fromCookie = cookie
      ? new RegExp(`(?:^|;\\s*)${cookie}=([A-Za-z0-9_\\-.=]+)`).exec(req.headers.cookie ?? '')?.[1]
      : undefined;
    const token = /^Bearer ([A-Za-z0-9_\-.=]+)$/.exec(header)?.[1] ?? fromCookie;
    if (!token) throw new HttpProblem('unauthenticated', 'send Authorization: Bearer <JWT>');
    try {
      req.actor = await verify(token);
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
