/** The console's OpenID settings in the configuration: what goes together, and what the API then verifies. */
import { parseConfig } from '../../config';
import { configRefusal as refusal } from '../fixtures';

const oidc = {
  XBORDER_OIDC_ISSUER: 'https://login.example.org/realms/acme',
  XBORDER_OIDC_CLIENT_ID: 'xborder-console',
  XBORDER_JWKS_URL: 'https://login.example.org/realms/acme/protocol/openid-connect/certs',
  XBORDER_JWT_AUDIENCE: 'xborder-api',
};

describe('XBORDER_OIDC_*', () => {
  test('unset: no organisation sign-in', () => {
    expect(parseConfig({}).oidc).toBeUndefined();
  });

  test('set: the console learns issuer, client id and scope; the API verifies tokens of that issuer by default', () => {
    const c = parseConfig(oidc);
    expect(c.oidc).toEqual({
      issuer: oidc.XBORDER_OIDC_ISSUER,
      clientId: 'xborder-console',
      scope: 'openid',
    });
    expect(c.auth).toMatchObject({
      mode: 'jwks',
      jwksUrl: oidc.XBORDER_JWKS_URL,
      issuer: oidc.XBORDER_OIDC_ISSUER,
      audience: 'xborder-api',
    });
    const custom = parseConfig({
      ...oidc,
      XBORDER_JWT_ISSUER: 'https://tokens.example.org',
      XBORDER_OIDC_SCOPE: 'openid api://xborder/access',
      XBORDER_OIDC_RESOURCE: 'https://xborder.example.org/v1',
    });
    expect(custom.auth).toMatchObject({ issuer: 'https://tokens.example.org' });
    expect(custom.oidc).toMatchObject({
      scope: 'openid api://xborder/access',
      resource: 'https://xborder.example.org/v1',
    });
  });

  test('issuer and client id go together, and need the key set and audience the API verifies with', () => {
    expect(refusal({ ...oidc, XBORDER_OIDC_CLIENT_ID: '' })).toMatch(
      /XBORDER_OIDC_ISSUER and XBORDER_OIDC_CLIENT_ID go together/,
    );
    expect(refusal({ XBORDER_OIDC_CLIENT_ID: 'xborder-console' })).toMatch(/go together/);
    expect(refusal({ ...oidc, XBORDER_JWKS_URL: '' })).toMatch(
      /XBORDER_OIDC_ISSUER needs XBORDER_JWKS_URL and XBORDER_JWT_AUDIENCE/,
    );
    expect(refusal({ ...oidc, XBORDER_JWT_AUDIENCE: '' })).toMatch(
      /needs XBORDER_JWKS_URL and XBORDER_JWT_AUDIENCE/,
    );
  });

  test('plain http only for a provider on this machine', () => {
    expect(refusal({ ...oidc, XBORDER_OIDC_ISSUER: 'http://login.example.org' })).toMatch(/must be https/);
    expect(parseConfig({ ...oidc, XBORDER_OIDC_ISSUER: 'http://127.0.0.1:9000' }).oidc?.issuer).toBe(
      'http://127.0.0.1:9000',
    );
  });
});
