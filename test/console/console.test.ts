/**
 * The web console in a real browser (Debian's chromium through playwright-core) against a real stack: three
 * people — an applicant, a reviewer, a recipient, each in their own browser context — take one transfer from an
 * empty draft to active with a filing number by clicks and typing only, in English and again in 简体中文 (the
 * controls found by the words of each language's catalogue).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { mintToken } from '../../api/auth';
import { applicant, SECRET, standardContractKinds } from '../helpers';
import {
  browserTests,
  englishOn,
  exactly,
  expectAccessible,
  statusIs,
  words,
  type Lang,
  type Words,
} from './browser';

const ui = browserTests('console');
const { person, withScreenshots, signInAs } = ui;
/** The README's picture of the inbox: written when missing, or rewritten with XB_UPDATE_SCREENSHOT=1. */
const README_SHOT = join(__dirname, '..', '..', 'docs', 'console.png');

describe('serving the console', () => {
  test('its pages answer index.html; unknown /v1 paths stay 404 problem+json; dev sign-in is on', async () => {
    for (const path of ['/', '/sign-in', '/inbox', '/transfers', `/transfers/${randomUUID()}`]) {
      const res = await fetch(`${ui.stack.base}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([
        path,
        200,
        expect.stringMatching(/^text\/html/),
      ]);
    }
    const csp = (await fetch(`${ui.stack.base}/`)).headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests'); // plain HTTP on a LAN address still loads assets
    const unknown = await ui.stack.call('GET', '/v1/nothing-here');
    expect(unknown.status).toBe(401); // /v1 is authenticated before it is routed
    const v1 = await ui.stack.call('GET', '/v1/nothing-here', { token: await ui.stack.token(applicant) });
    expect([v1.status, v1.headers.get('content-type')]).toEqual([
      404,
      'application/problem+json; charset=utf-8',
    ]);
    expect((await ui.stack.call('GET', '/nothing')).status).toBe(404);
    expect((await ui.stack.call('GET', '/v1/dev')).body).toEqual({ devSignIn: true });
    const bad = await ui.stack.call('POST', '/v1/dev/token', { body: { role: 'reviewer', sub: 'rita' } });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ pointer: '/org' })]);
  });
});

describe('the console', () => {
  test('landing and sign-in pages have no serious or critical accessibility violations', async () => {
    const page = await person();
    await withScreenshots('landing', async () => {
      await page.goto(`${ui.stack.base}/`);
      await page.getByRole('heading', { level: 1 }).waitFor();
      expect(await page.getByRole('link', { name: /API reference/ }).getAttribute('href')).toBe('/docs');
      await expectAccessible(page, 'landing');
      await page.getByRole('link', { name: 'Sign in to start' }).click();
      await page.getByLabel('Access token', { exact: true }).waitFor();
      await expectAccessible(page, 'sign-in');
    });
  });

  describe.each(['en', 'zh-CN'] as const)('in %s', (lang) => {
    test('an applicant, a reviewer and a recipient take one transfer from an empty draft to active with a filing number, by clicks and typing only', async () => {
      const t = words(lang);
      const applicantPage = await person();
      const reviewer = await person();
      const recipient = await person();
      await withScreenshots(`journey-${lang}`, () =>
        journey(t, { applicant: applicantPage, reviewer, recipient }),
      );
    }, 300_000);
  });

  test('an expired token sends the user to sign-in with the reason; the token never appears in a URL', async () => {
    const page = await person();
    const urls: string[] = [];
    page.on('request', (r) => urls.push(r.url()));
    await withScreenshots('expiry', async () => {
      const token = await mintToken(SECRET, applicant, 4);
      await page.goto(`${ui.stack.base}/inbox`);
      await page.getByLabel('Access token', { exact: true }).fill(token);
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await page.waitForURL((u) => u.pathname === '/inbox');
      await page.getByText('Your session expired. Sign in again.').waitFor({ timeout: 15_000 });
      expect(new URL(page.url()).pathname).toBe('/sign-in');
      expect(urls.filter((u) => u.includes(token))).toEqual([]);
    });
  });
});

/** The materials of the standard-contract route, as the wizard names them. */
const materialKey = (kind: string) => `apply.material.${kind}`;

/** A file the person picks in the browser's file chooser, after clicking the labelled file input. */
async function choose(page: Page, input: ReturnType<Page['getByLabel']>, name: string, text: string) {
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), input.click()]);
  await chooser.setFiles({ name, mimeType: 'text/plain', buffer: Buffer.from(text) });
}

/**
 * On a page in 简体中文 no sentence of the English catalogue shows (it would be a string the page did not
 * translate); on the same page in English some do (the check sees the page).
 */
async function expectTranslated(page: Page, t: Words, what: string): Promise<void> {
  const english = await englishOn(page);
  if (t.lang === 'en') expect([what, english.length > 0]).toEqual([what, true]);
  else expect([what, english]).toEqual([what, []]);
}

/** Open the console's landing page and, for a run in another language, switch to it with the Language control. */
async function arrive(page: Page, t: Words): Promise<void> {
  await page.goto(`${ui.stack.base}/`);
  if (t.lang !== 'en') {
    const english = words('en');
    await page.getByLabel(english('language'), { exact: true }).selectOption({ label: '简体中文' });
    await page.getByLabel(t('language'), { exact: true }).waitFor();
  }
  await page.getByRole('heading', { level: 1, name: t('landing.title') }).waitFor();
  expect(await page.locator('html').getAttribute('lang')).toBe(t.lang);
}

async function journey(t: Words, people: { applicant: Page; reviewer: Page; recipient: Page }) {
  const { applicant: app, reviewer, recipient } = people;
  const lang: Lang = t.lang;
  const zh = lang === 'zh-CN';
  const run = randomUUID().slice(0, 8);
  const org = `journey-${run}`;
  const title = zh ? `订单数据传输至欧盟履约中心（${run}）` : `Order data to EU fulfilment (journey ${run})`;

  // the applicant arrives, chooses the language (kept through sign-in: a full page load), and signs in
  await arrive(app, t);
  if (zh) {
    // the landing and sign-in pages in this language (in English: the test above)
    await expectTranslated(app, t, 'landing');
    await expectAccessible(app, `landing (${lang})`);
    await app.getByRole('link', { name: t('landing.signIn'), exact: true }).click();
    await app.getByLabel(t('signIn.token'), { exact: true }).waitFor();
    await expectTranslated(app, t, 'sign-in');
    await expectAccessible(app, `sign-in (${lang})`);
  }
  await signInAs(app, '/transfers', { role: 'applicant', sub: 'alice', org }, t);
  await app.getByRole('heading', { level: 1, name: t('transfers.title') }).waitFor();
  await app.getByText(t('apply.list.empty'), { exact: true }).waitFor();
  await expectTranslated(app, t, 'transfer list (empty)');
  await app.getByRole('link', { name: t('apply.list.new') }).click();
  await app.waitForURL((u) => u.pathname === '/transfers/new');

  // the wizard, from empty
  const wizard = app.getByRole('form', { name: t('apply.wizard.title') });
  const check = app.getByRole('complementary', { name: t('apply.route.title') });
  const field = (key: string, vars?: Record<string, string | number>) =>
    wizard.getByLabel(t(key, vars), { exact: true });
  const answer = (key: string, yes: boolean) =>
    wizard
      .getByRole('group', { name: t(key), exact: true })
      .getByRole('radio', { name: t(yes ? 'apply.yes' : 'apply.no'), exact: true })
      .check();
  const next = async (step: string) => {
    await wizard.getByRole('button', { name: t('apply.wizard.next'), exact: true }).click();
    await wizard.getByRole('heading', { level: 2, name: t(`apply.step.${step}`), exact: true }).waitFor();
  };
  await check
    .getByTestId('route')
    .filter({ hasText: exactly(t('apply.route.undetermined')) })
    .waitFor();

  // 1. parties
  await field('apply.field.title').fill(title);
  await field('apply.field.exporterName').fill(zh ? '艾克美商贸有限公司' : 'Acme Commerce');
  await field('apply.field.creditCode').fill('91310000MA1FL8XQ3C');
  await answer('apply.field.isCIIO', false);
  await field('apply.field.recipientId').fill('eu-fulfil');
  await field('apply.field.recipientName').fill('EU Fulfil GmbH');
  await field('apply.field.country').fill('DE');
  await field('apply.field.contactEmail').fill('dpo@eufulfil.example');
  await field('apply.field.certifications').fill('ISO27001');
  await field('apply.field.purpose').fill(zh ? '跨境订单履约' : 'Fulfilment of cross-border orders');
  await expectTranslated(app, t, 'wizard (parties)');

  // 2. data and volume
  await next('data');
  await answer('apply.field.personalInfo', true);
  await field('apply.field.category', { n: 1 }).fill(zh ? '联系信息' : 'contact');
  await field('apply.field.categoryFields', { n: 1 }).fill(zh ? '姓名, 地址' : 'name, address');
  await field('apply.field.individualsYtd').fill('250000');
  await field('apply.field.sensitiveIndividualsYtd').fill('0');
  await answer('apply.field.importantData', false);
  // the route check: the volume band lets the applicant choose, and it says so in the words of the language
  await check
    .getByTestId('route-rule')
    .filter({ hasText: t('apply.route.rule', { id: 'cn-2024/9', reason: t('apply.rules.cn-2024_9') }) })
    .waitFor();

  // 3. transfer and safeguards
  await next('transfer');
  await field('apply.field.method').fill('HTTPS API');
  await field('apply.field.frequency').fill(zh ? '持续' : 'continuous');
  await field('apply.field.storageLocation').fill(zh ? '法兰克福' : 'Frankfurt');
  await field('apply.field.retentionDays').fill('365');
  await answer('apply.field.encryptionInTransit', true);
  await answer('apply.field.encryptionAtRest', true);
  await field('apply.field.keysHeldBy').selectOption({ label: t('apply.keys.exporter') });
  await answer('apply.field.pseudonymised', false);
  await field('apply.field.routePreference').selectOption({ label: t('route.standard_contract') });
  await field('apply.field.contractTermMonths').fill('36');
  await check
    .getByTestId('route')
    .filter({ hasText: exactly(t('route.standard_contract')) })
    .waitFor();
  for (const kind of standardContractKinds)
    await check
      .getByRole('listitem')
      .filter({ hasText: exactly(t(materialKey(kind))) })
      .waitFor();
  await expectTranslated(app, t, 'wizard (transfer)');

  // 4. materials, each through the file chooser
  await next('materials');
  for (const kind of standardContractKinds) {
    const name = `${kind}.txt`;
    await choose(app, field('apply.materials.file', { kind: t(materialKey(kind)) }), name, `${kind} ${run}`);
    await wizard
      .getByRole('definition')
      .filter({ hasText: exactly(name) })
      .waitFor();
  }
  await expectTranslated(app, t, 'wizard (materials)');
  await expectAccessible(app, `wizard (${lang})`);

  // 5. review and submit
  await next('review');
  await wizard
    .getByRole('definition')
    .filter({ hasText: exactly(title) })
    .waitFor();
  await expectTranslated(app, t, 'wizard (review)');
  await wizard.getByRole('button', { name: t('apply.wizard.submit'), exact: true }).click();
  await app.waitForURL((u) => /^\/transfers\/[0-9a-f-]{36}$/.test(u.pathname));
  const id = new URL(app.url()).pathname.split('/')[2]!;
  await statusIs(app, t('status.completeness_check'));
  await expectTranslated(app, t, 'case page (applicant)');

  // the reviewer: the inbox lists it (the README's screenshot), the case page opens from it
  await arrive(reviewer, t);
  await signInAs(reviewer, '/inbox', { role: 'reviewer', sub: 'rita', org: 'regulator' }, t);
  await reviewer.getByRole('heading', { level: 1, name: t('inbox.title') }).waitFor();
  await reviewer.getByRole('link', { name: title }).waitFor({ timeout: 20_000 });
  if (!zh) await reviewer.screenshot({ path: join(ui.shots, 'inbox.png') });
  if (!zh && (process.env.XB_UPDATE_SCREENSHOT === '1' || !existsSync(README_SHOT)))
    await reviewer.screenshot({ path: README_SHOT });
  await expectTranslated(reviewer, t, 'inbox');
  await expectAccessible(reviewer, `inbox (${lang})`);
  await reviewer.getByRole('link', { name: title }).click();
  await statusIs(reviewer, t('status.completeness_check'));
  await expectTranslated(reviewer, t, 'case page (reviewer)');
  await expectAccessible(reviewer, `case page (${lang})`);

  // a refusal is shown at the field its pointer names
  const completeness = reviewer.getByRole('form', { name: t('action.completeness') });
  const recordCompleteness = completeness.getByRole('button', {
    name: t('actions.completeness.submit'),
    exact: true,
  });
  await recordCompleteness.click();
  await completeness
    .getByRole('group', { name: t('actions.decision') })
    .locator('.field-error')
    .waitFor();
  await completeness.getByRole('alert').waitFor();
  await completeness.getByRole('radio', { name: t('decision.accept'), exact: true }).check();
  await recordCompleteness.click();
  await statusIs(reviewer, t('status.under_review'));

  const review = reviewer.getByRole('form', { name: t('action.review') });
  const pass = review.getByRole('radio', { name: t('review.pass'), exact: true });
  await pass.first().waitFor();
  for (let i = 0; i < (await pass.count()); i++) await pass.nth(i).check();
  await review.getByRole('button', { name: t('actions.review.submit'), exact: true }).click();

  const risk = reviewer.getByRole('form', { name: t('action.risk_decision') });
  await risk.getByRole('radio', { name: t('decision.approve'), exact: true }).check();
  await risk.getByRole('button', { name: t('actions.risk.submit'), exact: true }).click();
  await statusIs(reviewer, t('status.awaiting_signature'));

  // the recipient finds it among the transfers naming them, and signs
  await arrive(recipient, t);
  await signInAs(recipient, '/transfers', { role: 'recipient', sub: 'eve', recipient: 'eu-fulfil' }, t);
  await recipient.getByRole('heading', { level: 1, name: t('case.recipient.title') }).waitFor();
  const row = recipient.getByRole('row').filter({ has: recipient.getByRole('link', { name: title }) });
  await row.getByText(t('action.sign'), { exact: true }).waitFor();
  await expectTranslated(recipient, t, 'recipient list');
  await recipient.getByRole('link', { name: title }).click();
  const sign = recipient.getByRole('form', { name: t('action.sign') });
  await choose(
    recipient,
    sign.getByLabel(t('actions.sign.file'), { exact: true }),
    'signed-agreement.txt',
    `signed agreement for ${id}`,
  );
  await sign.getByLabel(t('actions.sign.name'), { exact: true }).fill('Erika Muster');
  await sign.getByLabel(t('actions.sign.title'), { exact: true }).fill('Managing Director');
  await expectTranslated(recipient, t, 'case page (recipient)');
  await expectAccessible(recipient, `case page, recipient (${lang})`);
  await sign.getByRole('button', { name: t('actions.sign.submit'), exact: true }).click();
  await recipient.getByText(t('actions.none'), { exact: true }).waitFor();

  // the applicant, still on the transfer's page, countersigns and files
  await app.getByRole('button', { name: t('actions.countersign.submit'), exact: true }).click();
  const file = app.getByRole('form', { name: t('action.file') });
  await file.getByLabel(t('actions.file.date'), { exact: true }).waitFor();
  await file.getByRole('button', { name: t('actions.file.submit'), exact: true }).click();
  await statusIs(app, t('status.filing_review'));

  // the reviewer accepts the filing: active, with a filing number
  const filing = reviewer.getByRole('form', { name: t('action.filing_decision') });
  await filing.getByRole('radio', { name: t('decision.accept'), exact: true }).check();
  await filing.getByRole('button', { name: t('actions.filing.submit'), exact: true }).click();
  await statusIs(reviewer, t('status.active'));
  const filingNumber = (await reviewer.getByTestId('filing-number').textContent()) ?? '';
  expect(filingNumber).toMatch(/\S/);
  await statusIs(app, t('status.active'));
  await app
    .getByTestId('filing-number')
    .filter({ hasText: exactly(filingNumber) })
    .waitFor();

  // the decisions history, from GET /v1/transfers/:id/history
  const history = reviewer.getByRole('region', { name: t('history.title') }).getByRole('listitem');
  await history.nth(6).waitFor();
  await expectTranslated(reviewer, t, 'case page (reviewer, active)');

  // the applicant's list shows it
  await app.getByRole('link', { name: t('nav.transfers'), exact: true }).click();
  await app.getByRole('link', { name: title }).waitFor();
  await expectTranslated(app, t, 'transfer list');
  await expectAccessible(app, `transfer list (${lang})`);

  // what the API says: the one transfer the browser made, active with the number shown, every step by its person
  const view = await ui.stack.call('GET', `/v1/transfers/${id}`, {
    token: await ui.stack.token({ sub: 'alice', role: 'applicant', org }),
  });
  expect(view.body).toMatchObject({ status: 'active', filingNumber, title });
  expect((view.body.application.materials as { kind: string }[]).map((m) => m.kind).sort()).toEqual(
    [...standardContractKinds].sort(),
  );
  const steps = (view.body.decisions as { action: string; by: string }[]).map((d) => `${d.action} ${d.by}`);
  expect(steps).toEqual(
    expect.arrayContaining([
      'completeness.accept rita',
      'review.complete rita',
      'risk-decision.approve rita',
      'sign eve',
      'countersign alice',
      'file alice',
      'filing-decision.accept rita',
    ]),
  );

  if (zh) {
    // the choice is kept across a reload; and switched back, the page speaks English again
    await reviewer.reload();
    await reviewer.getByLabel(t('language'), { exact: true }).waitFor();
    await statusIs(reviewer, t('status.active'));
    expect(await reviewer.locator('html').getAttribute('lang')).toBe('zh-CN');
    await reviewer.getByLabel(t('language'), { exact: true }).selectOption('en');
    await statusIs(reviewer, words('en')('status.active'));
  }
}
