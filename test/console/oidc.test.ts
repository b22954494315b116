/**
 * "Sign in with your organisation" in a real browser against a real local OpenID provider (panva's
 * oidc-provider in a child process, test/support/oidc-provider.ts) and a real stack whose API verifies the
 * provider's JWT access tokens with its JWKS, issuer and audience — as `npm start` does with XBORDER_OIDC_* and
 * XBORDER_JWKS_URL set. Deep links (a transfer, a document, any path and query) survive the round trip.
 *
 * withScreenshots and expectAccessible are copies of console.test.ts's (to be shared when the files merge).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createVerifier } from '../../api/auth';
import { freePort } from '../../scripts/dev-server';
import { CHROMIUM } from '../global-setup';
import {
  sampleApplication,
  standardContractKinds,
  startStack,
  uploadMaterials,
  type Stack,
} from '../helpers';

const CLIENT_ID = 'xborder-console';
const AUDIENCE = 'urn:xborder:api';

let stack: Stack;
let browser: Browser;
let provider: ChildProcess | undefined;
let issuer: string;
const shots = mkdtempSync(join(tmpdir(), 'xborder-oidc-'));
const open: Page[] = [];

/** The provider in a child process (it is ESM-only; jest runs CommonJS): resolves once it listens. */
function startProvider(port: number, redirectUri: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [require.resolve('tsx/cli'), 'test/support/oidc-provider.ts'], {
    cwd: join(__dirname, '..', '..'),
    env: {
      ...process.env,
      OIDC_PORT: String(port),
      OIDC_CLIENT_ID: CLIENT_ID,
      OIDC_REDIRECT_URI: redirectUri,
      OIDC_AUDIENCE: AUDIENCE,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the OpenID provider did not start:\n${out}`)), 60_000);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (/^ready /m.test(out)) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the OpenID provider exited (${code}):\n${out}`));
    });
  });
}

beforeAll(async () => {
  // the provider's port first: the API's verifier names its JWKS, and the provider the console's redirect URI
  const port = await freePort();
  issuer = `http://127.0.0.1:${port}`;
  stack = await startStack({
    verify: createVerifier({ mode: 'jwks', jwksUrl: `${issuer}/jwks`, issuer, audience: AUDIENCE }),
    oidc: { issuer, clientId: CLIENT_ID, scope: 'openid' },
  });
  provider = await startProvider(port, `${stack.base}/auth/callback`);
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  if (provider && provider.exitCode === null) {
    const exited = new Promise((r) => provider!.once('exit', r));
    provider.kill('SIGTERM');
    await exited;
  }
  await stack?.stop();
});

/** A fresh browser context (its own sessionStorage, and its own cookies at the provider): one person. */
async function person(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  // the console and the provider only (the provider's dev pages link a web font from elsewhere)
  await context.route(
    (u) => u.origin !== stack.base && u.origin !== issuer,
    (route) => route.abort(),
  );
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  open.push(page);
  return page;
}

/** On failure, a screenshot of every open page under this file's temp folder. */
async function withScreenshots(name: string, body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const files: string[] = [];
    for (const [i, page] of open.entries()) {
      if (page.isClosed()) continue;
      const file = join(shots, `${name}-${i}.png`);
      await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
      files.push(`${file} (${page.url()})`);
    }
    throw new Error(`${(err as Error).message}\nscreenshots:\n${files.join('\n')}`, { cause: err });
  }
}

async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${what}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(bad).toEqual([]);
}

/** At the provider's (dev) login and consent pages: type a login and a password, then continue. */
async function logInAtProvider(page: Page, login: string): Promise<void> {
  await page.waitForURL((u) => u.origin === issuer);
  await page.locator('input[name="login"]').fill(login);
  await page.locator('input[name="password"]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  await page.getByRole('button', { name: 'Continue' }).click();
}

/**
 * Open a console path signed out; it sends the user to sign in; "Sign in with your organisation", log in at the
 * provider, and land back on exactly that path and query, with no code or state left in the address bar.
 */
async function signInWithOrganisation(page: Page, path: string, login: string): Promise<void> {
  await page.goto(`${stack.base}${path}`);
  await page.waitForURL((u) => u.pathname === '/sign-in');
  await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
  await logInAtProvider(page, login);
  await page.waitForURL((u) => u.origin === stack.base && u.pathname + u.search === path);
  expect(await page.evaluate('sessionStorage.getItem("xborder.oidc.pending")')).toBeNull();
}

const tokenOf = (page: Page) =>
  page.evaluate<string | null>('sessionStorage.getItem("xborder.token")').then((t) => t ?? '');

describe('the console with an OpenID provider', () => {
  test('GET /v1/console/config names the provider and no secret; dev sign-in is off; the CSP lets the console reach the provider', async () => {
    const config = await stack.call('GET', '/v1/console/config');
    expect(config.status).toBe(200);
    expect(config.body).toEqual({
      devSignIn: false,
      oidc: { issuer, clientId: CLIENT_ID, scope: 'openid', redirectPath: '/auth/callback' },
    });
    expect((await stack.call('GET', '/v1/dev')).status).toBe(404);
    const csp = (await fetch(`${stack.base}/sign-in`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(new RegExp(`connect-src 'self' ${issuer.replace(/[.:/]/g, '\\$&')}(;|$)`));
    const id = randomUUID();
    for (const path of [
      '/auth/callback',
      `/documents/sha256:${'a'.repeat(64)}`,
      `/transfers/${id}/evidence`,
    ]) {
      const res = await fetch(`${stack.base}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([
        path,
        200,
        expect.stringMatching(/^text\/html/),
      ]);
    }
  });

  test('the sign-in page offers "Sign in with your organisation" (and no "Sign in as"), without serious accessibility violations', async () => {
    const page = await person();
    await withScreenshots('sign-in', async () => {
      await page.goto(`${stack.base}/sign-in`);
      await page.getByRole('button', { name: 'Sign in with your organisation' }).waitFor();
      await page.getByLabel('Access token', { exact: true }).waitFor();
      expect(await page.getByRole('button', { name: 'Sign in as', exact: true }).count()).toBe(0);
      await expectAccessible(page, 'sign-in with OIDC');
    });
  });

  test('deep links to a transfer, a document and any path with a query survive signing in at the provider', async () => {
    const applicant = await person();
    const reviewer = await person();
    const reader = await person();
    const requests: string[] = [];
    for (const p of [applicant, reviewer, reader]) p.on('request', (r) => requests.push(r.url()));
    await withScreenshots('deep-links', async () => {
      // the applicant signs in at the provider; the API accepts the provider's access token
      await signInWithOrganisation(applicant, '/transfers', 'alice');
      await applicant.getByText('alice · Applicant · acme').waitFor();
      const token = await tokenOf(applicant);
      const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString());
      expect(claims).toMatchObject({
        iss: issuer,
        aud: AUDIENCE,
        sub: 'alice',
        role: 'applicant',
        org: 'acme',
      });
      const materials = await uploadMaterials(stack, token, standardContractKinds);
      const title = `Order data to EU fulfilment (oidc ${randomUUID().slice(0, 8)})`;
      const created = await stack.call('POST', '/v1/transfers', {
        token,
        body: sampleApplication({ title, materials: materials as never }),
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;

      // a reviewer follows a link to the transfer (with a query), signed out
      await signInWithOrganisation(reviewer, `/transfers/${id}?from=mail`, 'rita');
      await reviewer.getByRole('heading', { level: 1, name: title }).waitFor();
      await reviewer
        .getByTestId('status')
        .filter({ hasText: /^Completeness check$/ })
        .waitFor();
      await reviewer.getByText('rita · Reviewer · regulator').waitFor();

      // a link to a document: fetched with the token, offered under its file name
      const doc = materials[0]!;
      const name = `${doc.kind}.txt`;
      await signInWithOrganisation(
        reader,
        `/documents/${doc.documentId}?name=${encodeURIComponent(name)}`,
        'alice',
      );
      await reader.getByRole('heading', { level: 1, name }).waitFor();
      await expectAccessible(reader, 'document');
      const [download] = await Promise.all([
        reader.waitForEvent('download'),
        reader.getByRole('link', { name: `Download ${name}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(name);
      expect(readFileSync(await download.path(), 'utf8')).toMatch(new RegExp(`^${doc.kind} `));

      // any console path and query goes through the round trip (the evidence pack's page among them)
      await reader.getByRole('button', { name: 'Sign out' }).click();
      const evidence = `/transfers/${id}/evidence?format=summary&lang=en`;
      await reader.goto(`${stack.base}/sign-in?next=${encodeURIComponent(evidence)}`);
      await reader.getByRole('button', { name: 'Sign in with your organisation' }).click();
      // the provider remembers this browser: no login form this time
      await reader.waitForURL((u) => u.origin === stack.base && u.pathname + u.search === evidence);

      // the tokens never travelled in a URL; the code did only on its way back to /auth/callback
      const tokens = [token, await tokenOf(reviewer), await tokenOf(reader)];
      expect(requests.filter((u) => tokens.some((t) => t && u.includes(t)))).toEqual([]);
      const withCode = requests.filter((u) => /[?&]code=/.test(u));
      expect(withCode.every((u) => u.startsWith(`${stack.base}/auth/callback?`))).toBe(true);
      expect(withCode.length).toBeGreaterThan(0);
    });
  }, 240_000);

  test('a sign-in cancelled at the provider, and a token without a role, are explained in words', async () => {
    const page = await person();
    await withScreenshots('errors', async () => {
      const back = '/inbox?phase=completeness';
      await page.goto(`${stack.base}${back}`);
      await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
      await page.waitForURL((u) => u.origin === issuer);
      await page.getByRole('link', { name: '[ Cancel ]' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign-in did not complete' }).waitFor();
      const alert = page.getByRole('alert');
      await alert.getByText("Sign-in was cancelled at your organisation's sign-in service.").waitFor();
      await alert
        .getByText('The sign-in service said: “End-User aborted interaction” (access_denied).')
        .waitFor();
      expect(new URL(page.url()).search).toBe(''); // the error and state left the address bar too
      await expectAccessible(page, 'sign-in failed');

      // back to sign-in, still on the way to the same page; an account the provider gives no role
      await page.getByRole('link', { name: 'Back to sign-in' }).click();
      await page.waitForURL((u) => u.pathname === '/sign-in' && u.searchParams.get('next') === back);
      await page.getByRole('button', { name: 'Sign in with your organisation' }).click();
      await logInAtProvider(page, 'nobody');
      await page
        .getByRole('alert')
        .getByText(/^The token your organisation issued does not say who you are and in which role/)
        .waitFor();
      expect(await tokenOf(page)).toBe('');
    });
  }, 120_000);
});
