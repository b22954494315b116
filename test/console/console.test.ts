/**
 * The web console in a real browser (Debian's chromium through playwright-core) against a real stack: three
 * people sign in with "Sign in as" and take one transfer from submitted to active by clicks and typing only.
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { mintToken } from '../../api/auth';
import { CHROMIUM } from '../global-setup';
import {
  applicant,
  SECRET,
  sampleApplication,
  standardContractKinds,
  startStack,
  uploadMaterials,
  type Stack,
} from '../helpers';

let stack: Stack;
let browser: Browser;
const shots = mkdtempSync(join(tmpdir(), 'xborder-console-'));
const open: Page[] = [];
/** What each page's browser said and which requests it was still waiting for (printed when a test fails). */
const traces = new Map<Page, { log: string[]; pending: Set<string> }>();
/** The README's picture of the inbox: written when missing, or rewritten with XB_UPDATE_SCREENSHOT=1. */
const README_SHOT = join(__dirname, '..', '..', 'docs', 'console.png');

beforeAll(async () => {
  stack = await startStack();
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
});
afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A fresh browser context (its own sessionStorage and localStorage): one person. */
async function person(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  open.push(page);
  const trace = { log: [] as string[], pending: new Set<string>() };
  traces.set(page, trace);
  const at = () => new Date().toISOString().slice(11, 23);
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning')
      trace.log.push(`${at()} console.${m.type()}: ${m.text()}`);
  });
  page.on('request', (r) => trace.pending.add(`${r.method()} ${r.url()}`));
  page.on('requestfinished', (r) => trace.pending.delete(`${r.method()} ${r.url()}`));
  page.on('requestfailed', (r) => {
    trace.pending.delete(`${r.method()} ${r.url()}`);
    trace.log.push(`${at()} failed: ${r.method()} ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) trace.log.push(`${at()} ${r.status()} ${r.request().method()} ${r.url()}`);
  });
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
      const trace = traces.get(page);
      files.push(
        `${file} (${page.url()})`,
        ...(trace?.log.slice(-20).map((l) => `  ${l}`) ?? []),
        ...[...(trace?.pending ?? [])].map((r) => `  still waiting: ${r}`),
      );
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

type As =
  | { role: 'applicant' | 'reviewer'; sub: string; org: string }
  | { role: 'recipient'; sub: string; recipient: string };

/** Open a deep link signed out, sign in with "Sign in as", and land back on it. */
async function signInAs(page: Page, path: string, as: As): Promise<void> {
  await page.goto(`${stack.base}${path}`);
  await page.waitForURL((u) => u.pathname === '/sign-in');
  await page.getByLabel('Role', { exact: true }).selectOption(as.role);
  await page.getByLabel('User', { exact: true }).fill(as.sub);
  if (as.role === 'recipient') await page.getByLabel('Recipient', { exact: true }).fill(as.recipient);
  else await page.getByLabel('Organisation', { exact: true }).fill(as.org);
  await page.getByRole('button', { name: 'Sign in as', exact: true }).click();
  await page.waitForURL((u) => u.pathname === path);
}

const statusIs = (page: Page, text: string) =>
  page
    .getByTestId('status')
    .filter({ hasText: new RegExp(`^${text}$`) })
    .waitFor();

async function createTransfer(title: string): Promise<string> {
  const token = await stack.token(applicant);
  const materials = await uploadMaterials(stack, token, standardContractKinds);
  const res = await stack.call('POST', '/v1/transfers', {
    token,
    body: sampleApplication({ title, materials: materials as never }),
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe('serving the console', () => {
  test('its pages answer index.html; unknown /v1 paths stay 404 problem+json; dev sign-in is on', async () => {
    for (const path of ['/', '/sign-in', '/inbox', '/transfers', `/transfers/${randomUUID()}`]) {
      const res = await fetch(`${stack.base}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([
        path,
        200,
        expect.stringMatching(/^text\/html/),
      ]);
    }
    const csp = (await fetch(`${stack.base}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests'); // plain HTTP on a LAN address still loads assets
    const unknown = await stack.call('GET', '/v1/nothing-here');
    expect(unknown.status).toBe(401); // /v1 is authenticated before it is routed
    const v1 = await stack.call('GET', '/v1/nothing-here', { token: await stack.token(applicant) });
    expect([v1.status, v1.headers.get('content-type')]).toEqual([
      404,
      'application/problem+json; charset=utf-8',
    ]);
    expect((await stack.call('GET', '/nothing')).status).toBe(404);
    expect((await stack.call('GET', '/v1/dev')).body).toEqual({ devSignIn: true });
    const bad = await stack.call('POST', '/v1/dev/token', { body: { role: 'reviewer', sub: 'rita' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ pointer: '/org' })]);
  });
});

describe('the console', () => {
  let id: string;
  let reviewer: Page;
  const title = `Order data to EU fulfilment (console ${randomUUID().slice(0, 8)})`;

  beforeAll(async () => {
    id = await createTransfer(title);
    await createTransfer(`Customer support logs to Singapore (console ${randomUUID().slice(0, 8)})`);
  });

  test('landing and sign-in pages have no serious or critical accessibility violations', async () => {
    const page = await person();
    await withScreenshots('landing', async () => {
      await page.goto(`${stack.base}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByRole('link', { name: /API reference/ }).getAttribute('href')).toBe('/docs');
      await expectAccessible(page, 'landing');
      await page.getByRole('link', { name: 'Sign in to start' }).click();
      await page.getByLabel('Access token', { exact: true }).waitFor();
      await expectAccessible(page, 'sign-in');
    });
  });

  test('applicant, reviewer and recipient take a submitted transfer to active with a filing number, by clicks and typing only', async () => {
    reviewer = await person();
    const recipient = await person();
    const applicantPage = await person();
    await withScreenshots('lifecycle', async () => {
      // a deep link survives sign-in
      await signInAs(reviewer, `/transfers/${id}`, { role: 'reviewer', sub: 'rita', org: 'regulator' });
      await statusIs(reviewer, 'Completeness check');

      // the inbox lists it; the README's screenshot
      await reviewer.getByRole('link', { name: 'Inbox' }).click();
      await reviewer.getByRole('link', { name: title }).waitFor({ timeout: 20_000 });
      await reviewer.screenshot({ path: join(shots, 'inbox.png') });
      if (process.env.XB_UPDATE_SCREENSHOT === '1' || !existsSync(README_SHOT))
        await reviewer.screenshot({ path: README_SHOT });
      await expectAccessible(reviewer, 'inbox');
      await reviewer.getByRole('link', { name: title }).click();
      await expectAccessible(reviewer, 'transfer');

      // a refusal is shown at the field its pointer names
      const completeness = reviewer.getByRole('form', { name: 'Completeness decision' });
      await completeness.getByRole('button', { name: 'Record completeness decision' }).click();
      await completeness.getByRole('group', { name: 'Decision' }).locator('.field-error').waitFor();
      await completeness.getByRole('alert').waitFor();

      await completeness.getByRole('radio', { name: 'Accept' }).check();
      await completeness.getByRole('button', { name: 'Record completeness decision' }).click();
      await statusIs(reviewer, 'Under review');

      const review = reviewer.getByRole('form', { name: 'Substantive review' });
      await review.getByRole('radio', { name: 'Pass' }).first().waitFor();
      const items = review.getByRole('group');
      for (let i = 0; i < (await items.count()); i++)
        await items.nth(i).getByRole('radio', { name: 'Pass' }).check();
      await review.getByRole('button', { name: 'Record review' }).click();

      const risk = reviewer.getByRole('form', { name: 'Risk decision' });
      await risk.getByRole('radio', { name: 'Approve', exact: true }).check();
      await risk.getByRole('button', { name: 'Record risk decision' }).click();
      await statusIs(reviewer, 'Awaiting signature');

      await signInAs(recipient, `/transfers/${id}`, {
        role: 'recipient',
        sub: 'eve',
        recipient: 'eu-fulfil',
      });
      const sign = recipient.getByRole('form', { name: 'Sign the agreement' });
      await sign.getByLabel('Signed copy').setInputFiles({
        name: 'signed-agreement.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(`signed agreement for ${id}`),
      });
      await sign.getByLabel('Signer name').fill('Erika Muster');
      await sign.getByLabel('Signer title').fill('Managing Director');
      await sign.getByRole('button', { name: 'Upload and sign' }).click();
      await recipient.getByText('Nothing awaits you on this transfer now.').waitFor();

      await signInAs(applicantPage, `/transfers/${id}`, { role: 'applicant', sub: 'alice', org: 'acme' });
      await applicantPage.getByRole('button', { name: 'Countersign the agreement' }).click();
      const file = applicantPage.getByRole('form', { name: 'File the agreement' });
      await file.getByLabel('Effective date').waitFor();
      await file.getByRole('button', { name: 'File', exact: true }).click();
      await statusIs(applicantPage, 'Filing review');

      const filing = reviewer.getByRole('form', { name: 'Filing decision' });
      await filing.getByRole('radio', { name: 'Accept' }).check();
      await filing.getByRole('button', { name: 'Record filing decision' }).click();
      await statusIs(reviewer, 'Active');
      expect(await reviewer.getByTestId('filing-number').textContent()).toMatch(/\S/);
      await statusIs(applicantPage, 'Active');

      // the decisions history, from GET /v1/transfers/:id/history
      const history = reviewer.getByRole('region', { name: 'Decisions history' }).getByRole('listitem');
      await history.nth(6).waitFor();

      const list = applicantPage;
      await list.getByRole('link', { name: 'Transfers', exact: true }).click();
      await list.getByRole('link', { name: title }).waitFor();
      await expectAccessible(list, 'transfer list');
    });
  }, 240_000);

  test('the inbox in 简体中文: the language control is labelled 语言 and the choice is kept', async () => {
    const page = reviewer ?? (await person());
    await withScreenshots('zh-CN', async () => {
      await page.goto(`${stack.base}/inbox`);
      await page.getByLabel('Language').selectOption('zh-CN');
      await page.getByRole('heading', { level: 1, name: '待办' }).waitFor();
      await page.reload();
      await page.getByLabel('语言').waitFor();
      await page.getByRole('heading', { level: 1, name: '待办' }).waitFor();
      expect(await page.getByLabel('阶段').count()).toBe(1);
      expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
      await expectAccessible(page, 'inbox (zh-CN)');
      await page.getByLabel('语言').selectOption('en');
      await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    });
  });

  test('an expired token sends the user to sign-in with the reason; the token never appears in a URL', async () => {
    const page = await person();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await withScreenshots('expiry', async () => {
      const token = await mintToken(SECRET, applicant, 4);
      await page.goto(`${stack.base}/inbox`);
      await page.getByLabel('Access token', { exact: true }).fill(token);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/inbox');
      await page.getByText('Your session expired. Sign in again.').waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(urls.filter((u) => u.includes(token))).toEqual([]);
    });
  });
});

afterAll(() => {
  writeFileSync(join(shots, 'README.txt'), 'screenshots of failed console tests\n');
});
