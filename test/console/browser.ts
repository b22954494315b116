/**
 * What the console's browser tests share: a real stack (startStack) and Debian's chromium (playwright-core) per
 * test file, a browser context per person, screenshots and the browser's own account (console errors and
 * warnings, failed requests, 4xx/5xx answers, requests still unanswered) when a test fails, axe, "Sign in as",
 * and the console's catalogues, so a test finds the controls by the words a user of either language reads.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import en from '../../console/src/locales/en.json';
import zhCN from '../../console/src/locales/zh-CN.json';
import { CHROMIUM } from '../global-setup';
import { startStack, type Stack } from '../helpers';

export type Lang = 'en' | 'zh-CN';

/** A catalogue lookup as the console's i18next does it: `{{name}}` filled in, `count` picking `_one`/`_other`. */
export type Words = ((key: string, vars?: Record<string, string | number>) => string) & { lang: Lang };

const catalogues: Record<Lang, object> = { en, 'zh-CN': zhCN };

export function words(lang: Lang): Words {
  const catalogue = catalogues[lang];
  const lookup = (key: string): unknown =>
    key
      .split('.')
      .reduce<unknown>((o, part) => (o as Record<string, unknown> | undefined)?.[part], catalogue);
  const say = (key: string, vars: Record<string, string | number> = {}): string => {
    let text = lookup(key);
    if (typeof vars.count === 'number') {
      const plural = lookup(`${key}_${vars.count === 1 && lang === 'en' ? 'one' : 'other'}`);
      if (typeof plural === 'string') text = plural;
    }
    if (typeof text !== 'string') throw new Error(`no ${lang} catalogue entry ${key}`);
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
      if (!(name in vars)) throw new Error(`${lang} ${key} needs {{${name}}}`);
      return String(vars[name]);
    });
  };
  return Object.assign(say, { lang });
}

/** Text as a whole-string pattern (for `filter({ hasText })` and `name` matching). */
export const exactly = (text: string) => new RegExp(`^${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

/**
 * The English catalogue's sentences (each constant stretch of an entry between its placeholders, of at least
 * three words): shown on a page in another language, one of them is a string the page failed to translate.
 */
const englishSentences: string[] = (() => {
  const out = new Set<string>();
  const walk = (o: object) => {
    for (const v of Object.values(o)) {
      if (v !== null && typeof v === 'object') walk(v as object);
      else if (typeof v === 'string')
        for (const part of v.split(/\{\{[^}]*\}\}/)) {
          const s = part.trim().replace(/^[^A-Za-z]+|[^A-Za-z.]+$/g, '');
          if (s.split(/\s+/).length >= 3) out.add(s);
        }
    }
  };
  walk(en);
  return [...out];
})();

/** The English catalogue sentences that `page`'s main content shows (none, on a page in 简体中文). */
export async function englishOn(page: Page): Promise<string[]> {
  const text = (await page.locator('main').innerText()).replace(/\s+/g, ' ');
  return englishSentences.filter((s) => text.includes(s));
}

export type As =
  | { role: 'applicant' | 'reviewer'; sub: string; org: string }
  | { role: 'recipient'; sub: string; recipient: string };

/** The file's stack and browser, and the helpers bound to them; call once at the top of a test file. */
export function browserTests(name: string) {
  let stack: Stack;
  let browser: Browser;
  const shots = mkdtempSync(join(tmpdir(), `xborder-${name}-`));
  const open: Page[] = [];
  /** What each page's browser said and which requests it was still waiting for (printed when a test fails). */
  const traces = new Map<Page, { log: string[]; pending: Set<string> }>();

  beforeAll(async () => {
    stack = await startStack();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
    writeFileSync(join(shots, 'README.txt'), `screenshots of failed ${name} console tests\n`);
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

  /** On failure, a screenshot of every open page under this file's temp folder, with what its browser said. */
  async function withScreenshots(shot: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      const files: string[] = [];
      for (const [i, page] of open.entries()) {
        if (page.isClosed()) continue;
        const file = join(shots, `${shot}-${i}.png`);
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

  /** Open a deep link signed out, sign in with "Sign in as" (in the page's language), and land back on it. */
  async function signInAs(page: Page, path: string, as: As, t: Words = words('en')): Promise<void> {
    await page.goto(`${stack.base}${path}`);
    await page.waitForURL((u) => u.pathname === '/sign-in');
    await page.getByLabel(t('signIn.role'), { exact: true }).selectOption(as.role);
    await page.getByLabel(t('signIn.user'), { exact: true }).fill(as.sub);
    if (as.role === 'recipient')
      await page.getByLabel(t('signIn.recipient'), { exact: true }).fill(as.recipient);
    else await page.getByLabel(t('signIn.org'), { exact: true }).fill(as.org);
    await page.getByRole('button', { name: t('signIn.devSubmit'), exact: true }).click();
    await page.waitForURL((u) => u.pathname === path);
  }

  return {
    /** the file's stack (set in its beforeAll) */
    get stack(): Stack {
      return stack;
    },
    shots,
    person,
    withScreenshots,
    signInAs,
  };
}

export async function expectAccessible(page: Page, what: string): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const bad = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${what}: ${v.id} (${v.impact}) ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
    );
  expect(bad).toEqual([]);
}

/** Wait until the case page's status reads `text`. */
export const statusIs = (page: Page, text: string) =>
  page
    .getByTestId('status')
    .filter({ hasText: exactly(text) })
    .waitFor();
