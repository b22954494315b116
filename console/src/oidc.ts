/**
 * "Sign in with your organisation": OpenID Connect Authorization Code + PKCE in the browser, with oauth4webapi.
 * The console is a public client (no secret); the server tells it the provider (GET /v1/console/config).
 *
 * The round trip: the state, the PKCE verifier and where to return to (any console path and query) wait in
 * sessionStorage while the browser is at the provider; back at /auth/callback the code and state are taken off
 * the address bar and out of history at once (replaceState), checked, and the code exchanged for tokens. The
 * access token, issued by the provider for the API (a JWT the API verifies with the provider's JWKS, carrying
 * sub, role and org or recipient), becomes the session's token; it never appears in a URL.
 */
import * as oauth from 'oauth4webapi';
import type { paths } from './api/schema';

export type ConsoleConfig =
  paths['/v1/console/config']['get']['responses'][200]['content']['application/json'];
export type OidcSettings = NonNullable<ConsoleConfig['oidc']>;

const PENDING_KEY = 'xborder.oidc.pending';

interface Pending {
  issuer: string;
  clientId: string;
  redirectUri: string;
  resource?: string;
  state: string;
  verifier: string;
  next?: string;
}

/** Why an OpenID sign-in did not complete, in words the sign-in page can translate. */
export type OidcFailureKind =
  | 'unreachable' // discovery or the token endpoint cannot be reached, or answers something else
  | 'refused' // the provider answered the authorization request with an error
  | 'cancelled' // access_denied: the user (or a policy) said no
  | 'stale' // no sign-in was started in this tab, or its state does not match
  | 'token' // the token endpoint refused the code
  | 'claims' // the access token is not a JWT with sub, role and exp
  | 'api'; // the API refuses the access token (issuer, audience or claims do not match its settings)

export class OidcFailure extends Error {
  /** where the user was going (to offer signing in again towards it) */
  next: string | undefined;
  constructor(
    readonly kind: OidcFailureKind,
    /** the provider's own error code and description, when it gave one */
    readonly providerError?: { error: string; description?: string | undefined },
  ) {
    super(kind);
  }
}

/** Plain http is allowed only where the server's configuration allows it: a provider on this machine. */
const options = (issuer: URL) => ({ [oauth.allowInsecureRequests]: issuer.protocol === 'http:' });

async function discover(issuerUrl: string): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(issuerUrl);
  try {
    const res = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...options(issuer) });
    return await oauth.processDiscoveryResponse(issuer, res);
  } catch {
    throw new OidcFailure('unreachable');
  }
}

/** Go to the provider's sign-in; afterwards the callback brings the user to `next`. */
export async function beginSignIn(settings: OidcSettings, next: string | undefined): Promise<never> {
  const as = await discover(settings.issuer);
  if (!as.authorization_endpoint) throw new OidcFailure('unreachable');
  const verifier = oauth.generateRandomCodeVerifier();
  const state = oauth.generateRandomState();
  const redirectUri = location.origin + settings.redirectPath;
  const pending: Pending = {
    issuer: settings.issuer,
    clientId: settings.clientId,
    redirectUri,
    ...(settings.resource ? { resource: settings.resource } : {}),
    state,
    verifier,
    ...(next ? { next } : {}),
  };
  const url = new URL(as.authorization_endpoint);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('redirect_uri', redirectUri);
  url.searchParams.set('scope', settings.scope);
  url.searchParams.set('state', state);
  url.searchParams.set('code_challenge', await oauth.calculatePKCECodeChallenge(verifier));
  url.searchParams.set('code_challenge_method', 'S256');
  if (settings.resource) url.searchParams.set('resource', settings.resource);
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(url.href);
  // the page is leaving
  return new Promise<never>(() => undefined);
}

function takePending(): Pending | undefined {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY); // one use only
  if (!raw) return undefined;
  try {
    return JSON.parse(raw) as Pending;
  } catch {
    return undefined;
  }
}

let inFlight: Promise<{ token: string; next: string | undefined }> | undefined;

/**
 * At /auth/callback: the access token and where to go, or an OidcFailure. Takes the code and state off the
 * address bar and out of history first. A second call for the same callback (React runs effects twice in
 * strict mode) gets the same answer.
 */
export function completeSignIn(): Promise<{ token: string; next: string | undefined }> {
  const callback = new URL(location.href);
  const answered = ['code', 'error', 'state'].some((p) => callback.searchParams.has(p));
  if (!answered && inFlight) return inFlight;
  history.replaceState(null, '', callback.pathname);
  inFlight = exchange(callback);
  return inFlight;
}

async function exchange(callback: URL): Promise<{ token: string; next: string | undefined }> {
  const pending = takePending();
  // an error from the provider is worth showing even when this tab did not start the sign-in
  const error = callback.searchParams.get('error');
  if (!pending) {
    if (error) throw providerFailure(error, callback.searchParams.get('error_description'));
    throw new OidcFailure('stale');
  }
  try {
    return await redeem(callback, pending);
  } catch (err) {
    if (err instanceof OidcFailure) err.next = pending.next;
    throw err;
  }
}

async function redeem(callback: URL, pending: Pending): Promise<{ token: string; next: string | undefined }> {
  const as = await discover(pending.issuer);
  const client: oauth.Client = { client_id: pending.clientId };
  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, callback, pending.state);
  } catch (err) {
    if (err instanceof oauth.AuthorizationResponseError)
      throw providerFailure(err.error, err.error_description);
    throw new OidcFailure('stale');
  }
  let tokens: oauth.TokenEndpointResponse;
  try {
    const res = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      oauth.None(),
      params,
      pending.redirectUri,
      pending.verifier,
      {
        ...options(new URL(pending.issuer)),
        ...(pending.resource ? { additionalParameters: { resource: pending.resource } } : {}),
      },
    );
    tokens = await oauth.processAuthorizationCodeResponse(as, client, res);
  } catch (err) {
    if (err instanceof oauth.ResponseBodyError)
      throw new OidcFailure('token', { error: err.error, description: err.error_description });
    throw new OidcFailure('unreachable');
  }
  return { token: tokens.access_token, next: pending.next };
}

function providerFailure(error: string, description: string | null | undefined): OidcFailure {
  return new OidcFailure(error === 'access_denied' ? 'cancelled' : 'refused', {
    error,
    ...(description ? { description } : {}),
  });
}
