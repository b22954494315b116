/**
 * JWT hardening against a real local JWKS endpoint: algorithms pinned per mode, issuer and audience, an
 * unknown `kid` refused with at most one key-set refresh per interval, clock skew for exp / nbf / iat.
 * Every refusal is checked for its reason (jose's error code and claim, or the verifier's own message): a
 * verifier that throws for any other reason (the JWKS endpoint down, a bug) must not pass these tests.
 */
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type KeyLike } from 'jose';
import { createVerifier } from '../../api/auth';

const ISSUER = 'https://idp.example';
const AUDIENCE = 'xborder';
const SECRET = 'a-shared-secret-that-is-long-enough-0123456789';
const now = () => Math.floor(Date.now() / 1000);

let server: Server;
let jwksUrl: string;
let fetches = 0;
let published: JWK[] = [];
const keys: Record<string, { privateKey: KeyLike; alg: string }> = {};

async function addKey(kid: string, alg: 'RS256' | 'ES256'): Promise<JWK> {
  const { publicKey, privateKey } = await generateKeyPair(alg);
  keys[kid] = { privateKey, alg };
  return { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
}

beforeAll(async () => {
  published = [await addKey('rsa-1', 'RS256'), await addKey('ec-1', 'ES256')];
  await addKey('unpublished', 'RS256');
  server = createServer((_req, res) => {
    fetches++;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  jwksUrl = `http://127.0.0.1:${(server.address() as { port: number }).port}/jwks.json`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

interface Claims {
  iss?: string;
  aud?: string;
  exp?: number;
  nbf?: number;
  iat?: number | null;
}
function sign(kid: string, claims: Claims = {}): Promise<string> {
  const { privateKey, alg } = keys[kid]!;
  return build(claims).setProtectedHeader({ alg, kid }).sign(privateKey);
}
function build({ iss = ISSUER, aud = AUDIENCE, exp = now() + 600, nbf, iat = now() }: Claims) {
  const jwt = new SignJWT({ role: 'reviewer', org: 'regulator' })
    .setSubject('rita')
    .setIssuer(iss)
    .setAudience(aud)
    .setExpirationTime(exp);
  if (iat !== null) jwt.setIssuedAt(iat);
  if (nbf !== undefined) jwt.setNotBefore(nbf);
  return jwt;
}
const hs256 = (claims: Claims = {}) =>
  build(claims).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode(SECRET));

const jwks = (extra: { jwksRefreshMs?: number; clockSkewSeconds?: number } = {}) =>
  createVerifier({ mode: 'jwks', jwksUrl, issuer: ISSUER, audience: AUDIENCE, ...extra });
const shared = (clockSkewSeconds?: number) =>
  createVerifier({
    mode: 'hs256',
    secret: SECRET,
    ...(clockSkewSeconds === undefined ? {} : { clockSkewSeconds }),
  });

/** jose's refusals: its error code and, for claim checks, the claim and why. */
const algNotAllowed = { code: 'ERR_JOSE_ALG_NOT_ALLOWED' };
const noMatchingKey = { code: 'ERR_JWKS_NO_MATCHING_KEY' };
const claimFailed = (claim: string, reason: 'check_failed' | 'missing') => ({
  code: 'ERR_JWT_CLAIM_VALIDATION_FAILED',
  claim,
  reason,
});
const expired = { code: 'ERR_JWT_EXPIRED', claim: 'exp', reason: 'check_failed' };
/** api/auth.ts's own refusals (after jose accepted the token) */
const iatInFuture = new Error('iat is in the future');
const badClaims = new Error('missing or invalid claims');

describe('JWKS mode', () => {
  test('RS256 and ES256 tokens of published keys with the right issuer and audience are accepted', async () => {
    const verify = jwks();
    await expect(verify(await sign('rsa-1'))).resolves.toEqual({
      sub: 'rita',
      role: 'reviewer',
      org: 'regulator',
    });
    await expect(verify(await sign('ec-1'))).resolves.toMatchObject({ sub: 'rita' });
  });

  test('an HS256 token is refused, even signed with the server’s shared secret; and an RS256 token in HS256 mode', async () => {
    await expect(jwks()(await hs256())).rejects.toMatchObject(algNotAllowed);
    await expect(shared()(await hs256())).resolves.toMatchObject({ sub: 'rita' });
    await expect(shared()(await sign('rsa-1'))).rejects.toMatchObject(algNotAllowed);
  });

  test('another issuer or audience is refused', async () => {
    const verify = jwks();
    await expect(verify(await sign('rsa-1', { iss: 'https://evil.example' }))).rejects.toMatchObject(
      claimFailed('iss', 'check_failed'),
    );
    await expect(verify(await sign('rsa-1', { aud: 'someone-else' }))).rejects.toMatchObject(
      claimFailed('aud', 'check_failed'),
    );
  });

  test('an unknown kid is refused and refreshes the key set at most once per interval; a rotated-in key is then accepted', async () => {
    // jose's refresh cooldown reads Date.now(): only Date is faked, so the HTTP round trips run on real timers
    jest.useFakeTimers({
      now: Date.now(),
      doNotFake: [
        'hrtime',
        'nextTick',
        'performance',
        'queueMicrotask',
        'requestAnimationFrame',
        'cancelAnimationFrame',
        'requestIdleCallback',
        'cancelIdleCallback',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
      ],
    });
    try {
      const verify = jwks({ jwksRefreshMs: 1_000 });
      const before = fetches;
      await verify(await sign('rsa-1'));
      expect(fetches - before).toBe(1); // the key set, fetched once
      for (let i = 0; i < 10; i++)
        await expect(verify(await sign('unpublished'))).rejects.toMatchObject(noMatchingKey);
      expect(fetches - before).toBe(1); // within the interval: no refetch however many unknown kids

      published = [...published, await addKey('rsa-2', 'RS256')];
      const rotated = await sign('rsa-2');
      await expect(verify(rotated)).rejects.toMatchObject(noMatchingKey); // not fetched yet
      jest.setSystemTime(Date.now() + 1_001); // the interval passes
      await expect(verify(rotated)).resolves.toMatchObject({ sub: 'rita' });
      expect(fetches - before).toBe(2);
      for (let i = 0; i < 10; i++)
        await expect(verify(await sign('unpublished'))).rejects.toMatchObject(noMatchingKey);
      expect(fetches - before).toBe(2);
      jest.setSystemTime(Date.now() + 1_001);
      for (let i = 0; i < 10; i++)
        await expect(verify(await sign('unpublished'))).rejects.toMatchObject(noMatchingKey);
      expect(fetches - before).toBe(3); // one refetch in the next interval, not ten
    } finally {
      jest.useRealTimers();
    }
  });
});

describe('clock skew (configurable) for exp, nbf and iat', () => {
  test('expired within the tolerance is accepted; beyond it refused; tolerance 0 refuses any expired token', async () => {
    await expect(shared(30)(await hs256({ exp: now() - 10 }))).resolves.toMatchObject({ sub: 'rita' });
    await expect(shared(30)(await hs256({ exp: now() - 45 }))).rejects.toMatchObject(expired);
    await expect(shared(0)(await hs256({ exp: now() - 10 }))).rejects.toMatchObject(expired);
    await expect(
      jwks({ clockSkewSeconds: 0 })(await sign('rsa-1', { exp: now() - 10 })),
    ).rejects.toMatchObject(expired);
  });

  test('nbf in the future beyond the tolerance is refused', async () => {
    await expect(shared(30)(await hs256({ nbf: now() + 10 }))).resolves.toMatchObject({ sub: 'rita' });
    await expect(shared(30)(await hs256({ nbf: now() + 120 }))).rejects.toMatchObject(
      claimFailed('nbf', 'check_failed'),
    );
  });

  test('iat is required and may not lie in the future beyond the tolerance', async () => {
    await expect(shared(30)(await hs256({ iat: null }))).rejects.toMatchObject(claimFailed('iat', 'missing'));
    await expect(shared(30)(await hs256({ iat: now() + 10 }))).resolves.toMatchObject({ sub: 'rita' });
    await expect(shared(30)(await hs256({ iat: now() + 120 }))).rejects.toThrow(iatInFuture);
    await expect(jwks()(await sign('rsa-1', { iat: now() + 120 }))).rejects.toThrow(iatInFuture);
  });
});

describe('claims', () => {
  test('a token jose accepts but whose role is not one of API.md’s is refused', async () => {
    const token = await new SignJWT({ role: 'superuser', org: 'acme' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuedAt()
      .setExpirationTime(now() + 600)
      .sign(new TextEncoder().encode(SECRET));
    await expect(shared()(token)).rejects.toThrow(badClaims);
  });
});
