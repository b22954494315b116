/**
 * JWT hardening against a real local JWKS endpoint: algorithms pinned per mode, issuer and audience, an
 * unknown `kid` refused with at most one key-set refresh per interval, clock skew for exp / nbf / iat.
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
    await expect(jwks()(await hs256())).rejects.toThrow();
    await expect(shared()(await hs256())).resolves.toMatchObject({ sub: 'rita' });
    await expect(shared()(await sign('rsa-1'))).rejects.toThrow();
  });

  test('another issuer or audience is refused', async () => {
    const verify = jwks();
    await expect(verify(await sign('rsa-1', { iss: 'https://evil.example' }))).rejects.toThrow();
    await expect(verify(await sign('rsa-1', { aud: 'someone-else' }))).rejects.toThrow();
  });

  test('an unknown kid is refused and refreshes the key set at most once per interval; a rotated-in key is then accepted', async () => {
    const verify = jwks({ jwksRefreshMs: 1_000 });
    await verify(await sign('rsa-1'));
    const afterFirst = fetches;
    for (let i = 0; i < 10; i++) await expect(verify(await sign('unpublished'))).rejects.toThrow();
    expect(fetches - afterFirst).toBeLessThanOrEqual(1);

    published = [...published, await addKey('rsa-2', 'RS256')];
    const rotated = await sign('rsa-2');
    await new Promise((r) => setTimeout(r, 1_100)); // the interval passes
    await expect(verify(rotated)).resolves.toMatchObject({ sub: 'rita' });
    const afterRotation = fetches;
    for (let i = 0; i < 10; i++) await expect(verify(await sign('unpublished'))).rejects.toThrow();
    expect(fetches - afterRotation).toBeLessThanOrEqual(1);
  });
});

describe('clock skew (configurable) for exp, nbf and iat', () => {
  test('expired within the tolerance is accepted; beyond it refused; tolerance 0 refuses any expired token', async () => {
    await expect(shared(30)(await hs256({ exp: now() - 10 }))).resolves.toMatchObject({ sub: 'rita' });
    await expect(shared(30)(await hs256({ exp: now() - 45 }))).rejects.toThrow();
    await expect(shared(0)(await hs256({ exp: now() - 10 }))).rejects.toThrow();
    await expect(jwks({ clockSkewSeconds: 0 })(await sign('rsa-1', { exp: now() - 10 }))).rejects.toThrow();
  });

  test('nbf in the future beyond the tolerance is refused', async () => {
    await expect(shared(30)(await hs256({ nbf: now() + 10 }))).resolves.toMatchObject({ sub: 'rita' });
    await expect(shared(30)(await hs256({ nbf: now() + 120 }))).rejects.toThrow();
  });

  test('iat is required and may not lie in the future beyond the tolerance', async () => {
    await expect(shared(30)(await hs256({ iat: null }))).rejects.toThrow();
    await expect(shared(30)(await hs256({ iat: now() + 10 }))).resolves.toMatchObject({ sub: 'rita' });
    await expect(shared(30)(await hs256({ iat: now() + 120 }))).rejects.toThrow();
    await expect(jwks()(await sign('rsa-1', { iat: now() + 120 }))).rejects.toThrow();
  });
});
