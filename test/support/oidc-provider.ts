/**
 * A real local OpenID provider for the console's OIDC test: panva's `oidc-provider`, which is ESM-only, so the
 * test starts this file in a child process with tsx (Node 20's require(esm) loads it) instead of inside jest.
 *
 * Environment: OIDC_PORT (listen on 127.0.0.1), OIDC_CLIENT_ID, OIDC_REDIRECT_URI (the console's
 * /auth/callback), OIDC_AUDIENCE (the API's audience, a resource indicator). Prints `ready <issuer>` once
 * listening.
 *
 * - One public client (no secret): Authorization Code + PKCE (S256), as a browser app is.
 * - Its access tokens are JWTs for the API (resource indicators, `accessTokenFormat: 'jwt'`) carrying the claims
 *   the API needs: sub, role and org or recipient (extraTokenClaims), exp, iat, iss, aud.
 * - Login and consent are the provider's dev interactions (any login, any password): a test fixture. The accounts
 *   below have claims; any other login signs in without a role (the console says the token lacks one).
 */
import { generateKeyPairSync } from 'node:crypto';
import Provider, { type Configuration } from 'oidc-provider';

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is required`);
  return v;
};
const port = Number(env('OIDC_PORT'));
const clientId = env('OIDC_CLIENT_ID');
const redirectUri = env('OIDC_REDIRECT_URI');
const audience = env('OIDC_AUDIENCE');
const issuer = `http://127.0.0.1:${port}`;

type Claims = { role: string; org?: string; recipient?: string };
const accounts: Record<string, Claims> = {
  alice: { role: 'applicant', org: 'acme' },
  rita: { role: 'reviewer', org: 'regulator' },
  eve: { role: 'recipient', recipient: 'eu-fulfil' },
};

const signingKey = {
  ...generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' }),
  kid: 'test-rs256',
  alg: 'RS256',
  use: 'sig',
};

const configuration: Configuration = {
  clients: [
    {
      client_id: clientId,
      token_endpoint_auth_method: 'none',
      application_type: 'web',
      grant_types: ['authorization_code'],
      response_types: ['code'],
      redirect_uris: [redirectUri],
    },
  ],
  jwks: { keys: [signingKey] },
  cookies: { keys: ['oidc-test-cookie-key-0123456789abcdef'] },
  pkce: { required: () => true },
  ttl: {
    AccessToken: 600,
    IdToken: 600,
    AuthorizationCode: 60,
    Interaction: 600,
    Session: 3600,
    Grant: 3600,
  },
  claims: { openid: ['sub'] },
  features: {
    devInteractions: { enabled: true },
    resourceIndicators: {
      enabled: true,
      // every authorization is for the API: no `resource` parameter needed
      defaultResource: () => audience,
      useGrantedResource: () => true,
      getResourceServerInfo: (_ctx, indicator) => {
        if (indicator !== audience) throw new Error(`unknown resource ${indicator}`);
        return {
          scope: 'xborder',
          audience,
          accessTokenTTL: 600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'RS256' } },
        };
      },
    },
  },
  // the API's claims in the access token (the id token needs none of them)
  extraTokenClaims: (_ctx, token) => {
    if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
    const claims = accounts[token.accountId];
    return claims ? { ...claims } : undefined;
  },
  findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub }) }),
};

const provider = new Provider(issuer, configuration);
// dev interactions print a warning on every start; the test needs none of it
provider.on('server_error', (_ctx, err) => console.error('oidc-provider server_error', err));
const server = provider.listen(port, '127.0.0.1');
server.once('listening', () => console.log(`ready ${issuer}`));
server.once('error', (err) => {
  console.error(err);
  process.exit(1);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
