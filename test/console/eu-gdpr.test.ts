/**
 * The console under the second pack (issue 13: "the console shows both packs"), in a real browser (Debian's
 * chromium through playwright-core) against a real stack: an applicant chooses eu-gdpr on the new-transfer page,
 * fills the EU application (SCC Module 2 to India with an effective TIA), sees the live route check answer `scc`
 * with rule EU-3 and its source before submitting, uploads the §8 materials it lists and submits; the exporter's
 * privacy office (a reviewer of its DPO service, another organisation) accepts completeness and approves with the
 * §9 checklist of the route; the case page then shows the transfer awaiting the importer's signature, the route's
 * rules with their sources and the TIA result. Screenshots of each page in English and Chinese go to a temp dir.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { recipient } from '../helpers';
import { browserTests, expectAccessible, statusIs, words, type Words } from './browser';

const ui = browserTests('eu-gdpr');
const { person, withScreenshots, signInAs } = ui;
const en = words('en');
const zh = words('zh-CN');

/** A full-page screenshot into the file's temp dir (looked at by hand for layout, in both languages). */
async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(ui.shots, `${name}.png`), fullPage: true });
}

/** Switch the console's language with its Language control (the page's state stays). */
async function language(page: Page, from: Words, to: 'en' | 'zh-CN'): Promise<void> {
  await page.getByLabel(from('language'), { exact: true }).selectOption(to);
  await page.locator(`html[lang="${to}"]`).waitFor();
}

const select = (page: Page, label: string, value: string) =>
  page.getByLabel(label, { exact: true }).selectOption(value);
const fill = (page: Page, label: string, value: string) =>
  page.getByLabel(label, { exact: true }).fill(value);

const dpo = { role: 'reviewer' as const, sub: 'dora', org: 'dpo-service' };

describe('an eu-gdpr transfer in the console', () => {
  let id = '';
  const title = `EU customer data to India (${randomUUID().slice(0, 8)})`;

  test('the applicant fills the EU application, sees route scc with EU-3, uploads the materials and submits', async () => {
    const page = await person();
    await withScreenshots('apply', async () => {
      await signInAs(page, '/transfers/new', { role: 'applicant', sub: 'alice', org: 'acme' });
      await select(page, en('eu.policyChoice'), 'eu-gdpr');
      const form = page.getByRole('form', { name: en('eu.form.title') });
      await form.waitFor();
      const check = page.getByTestId('route-check');

      await fill(page, en('apply.field.title'), title);
      await fill(page, en('apply.field.exporterName'), 'Acme GmbH');
      await fill(page, en('eu.form.exporterCountry'), 'DE');
      await select(page, en('eu.form.exporterRole'), 'controller');
      await select(page, en('eu.form.publicAuthority'), 'no');
      await fill(page, en('apply.field.recipientId'), recipient.recipient!);
      await fill(page, en('apply.field.recipientName'), 'Importer Ltd');
      await fill(page, en('eu.form.importerCountry'), 'IN');
      await fill(page, en('apply.field.contactEmail'), 'privacy@importer.example');
      await select(page, en('eu.form.importerRole'), 'processor');
      await select(page, en('eu.form.sameEntity'), 'no');
      await fill(page, en('apply.field.purpose'), 'customer support');
      await fill(page, en('eu.form.category'), 'customer contact data');
      await fill(page, en('eu.form.fields'), 'name, email');
      await select(page, en('eu.form.special'), 'none');
      await select(page, en('eu.form.hrData'), 'no');
      await select(page, en('eu.form.disclosureMeans'), 'transmission');
      // the TIA is not known yet: the route check says what it still needs
      await select(page, en('eu.form.sccUsed'), 'yes');
      await select(page, en('eu.form.sccSigned'), 'yes');
      await select(page, en('eu.form.sccModule'), 'M2');
      await select(page, en('eu.form.sccUnmodified'), 'yes');
      await select(page, en('eu.form.sccAnnexes'), 'yes');
      await select(page, en('eu.form.tiaDone'), 'yes');
      await fill(page, en('eu.form.tiaDate'), '2026-11-01');
      await select(page, en('eu.form.tiaOutcome'), 'effective');

      // the live route check: scc, a TIA required, EU-3 with its reason and source
      await check
        .getByTestId('route')
        .filter({ hasText: /^Standard contractual clauses$/ })
        .waitFor();
      await check
        .getByTestId('tia-required')
        .filter({ hasText: en('apply.yes') })
        .waitFor();
      const eu3 = check.getByTestId('route-rule').filter({ hasText: /^EU-3\b/ });
      await eu3.waitFor();
      expect(await eu3.innerText()).toMatch(new RegExp(`${en('eu.source')}: \\S`));
      expect(await check.getByTestId('needs-info').count()).toBe(0);

      // the materials the route check lists, each uploaded at its own drop zone
      const zones = page.getByTestId(/^material-/);
      await page.getByTestId('material-scc_signed').waitFor();
      await page.getByTestId('material-tia_report').waitFor();
      const count = await zones.count();
      expect(count).toBeGreaterThan(2);
      for (let n = 0; n < count; n++) {
        const zone = zones.nth(n);
        const kind = (await zone.getAttribute('data-testid'))!.replace(/^material-/, '');
        await zone.locator('input[type=file]').setInputFiles({
          name: `${kind}.txt`,
          mimeType: 'text/plain',
          buffer: Buffer.from(`${kind} ${randomUUID()}`),
        });
        await zone.locator('.uploaded').waitFor();
      }
      await expectAccessible(page, 'eu-gdpr application');
      await shot(page, 'apply-en');
      await language(page, en, 'zh-CN');
      await page.getByRole('form', { name: zh('eu.form.title') }).waitFor();
      await check
        .getByTestId('route')
        .filter({ hasText: zh('route.scc') })
        .waitFor();
      await shot(page, 'apply-zh-CN');
      await language(page, zh, 'en');

      // a refusal is shown at the field its pointer names, and nothing is created
      await fill(page, en('apply.field.title'), '');
      await form.getByRole('button', { name: en('eu.form.submit') }).click();
      const titleField = page.getByLabel(en('apply.field.title'), { exact: true });
      await titleField.and(page.locator('[aria-invalid="true"]')).waitFor();
      await form.locator('[data-pointer="/title"] .field-error').waitFor();
      expect(page.url()).toMatch(/\/transfers\/new$/);
      await fill(page, en('apply.field.title'), title);

      await form.getByRole('button', { name: en('eu.form.submit') }).click();
      await page.waitForURL((u) => /^\/transfers\/[0-9a-f-]{36}$/.test(u.pathname));
      id = new URL(page.url()).pathname.split('/')[2]!;
      await statusIs(page, en('status.completeness_check'));
      await page
        .getByTestId('eu-route')
        .filter({ hasText: en('route.scc') })
        .waitFor();
      await page
        .getByTestId('eu-case')
        .getByTestId('route-rule')
        .filter({ hasText: /^EU-3\b/ })
        .waitFor();
      await shot(page, 'case-applicant-en');
    });
  });

  test("the exporter's DPO service accepts completeness and approves with the route's checklist: the importer's signature is awaited", async () => {
    expect(id).not.toBe('');
    const page = await person();
    await withScreenshots('review', async () => {
      await signInAs(page, `/transfers/${id}`, dpo);
      const completeness = page.getByRole('form', { name: en('action.completeness') });
      await completeness
        .getByRole('group', { name: en('actions.decision') })
        .getByRole('radio', { name: en('decision.accept'), exact: true })
        .check();
      await completeness.getByRole('button', { name: en('actions.completeness.submit') }).click();
      await statusIs(page, en('status.under_review'));

      const review = page.getByRole('form', { name: en('case.action.privacy_review') });
      const items = review.getByTestId(/^checklist-/);
      await review.getByTestId('checklist-tia_coverage').waitFor();
      await review.getByTestId('checklist-clause_15').waitFor();
      const count = await items.count();
      for (let n = 0; n < count; n++)
        await items
          .nth(n)
          .getByRole('radio', { name: en('review.pass'), exact: true })
          .check();
      await review
        .getByRole('group', { name: en('actions.decision') })
        .getByRole('radio', { name: en('eu.review.approve'), exact: true })
        .check();
      await review.getByLabel(en('actions.reason'), { exact: true }).fill('SCC M2 with an effective TIA');
      await shot(page, 'review-en');
      await language(page, en, 'zh-CN');
      await page.getByRole('form', { name: zh('case.action.privacy_review') }).waitFor();
      await shot(page, 'review-zh-CN');
      await language(page, zh, 'en');
      await review.getByRole('button', { name: en('eu.review.submit') }).click();

      await statusIs(page, en('status.awaiting_signature'));
      await page
        .getByTestId('next-step')
        .filter({
          hasText: en('transfer.awaitingItem', {
            action: en('action.sign'),
            role: en('role.recipient'),
          }),
        })
        .waitFor();
      await page
        .getByTestId('eu-tia')
        .filter({ hasText: en('eu.tia.effective') })
        .waitFor();
      expect(await page.getByTestId('register-number').innerText()).toBe('—');
      await expectAccessible(page, 'eu-gdpr case page');
      await shot(page, 'case-approved-en');
      await language(page, en, 'zh-CN');
      await statusIs(page, zh('status.awaiting_signature'));
      await shot(page, 'case-approved-zh-CN');
    });
  });

  test('the importer signs and the exporter countersigns: active with a register number, no filing, the TIA review ahead', async () => {
    expect(id).not.toBe('');
    const importer = await person();
    const exporter = await person();
    await withScreenshots('active', async () => {
      await signInAs(importer, `/transfers/${id}`, {
        role: 'recipient',
        sub: 'eve',
        recipient: recipient.recipient!,
      });
      const sign = importer.getByRole('form', { name: en('action.sign') });
      await sign.getByLabel(en('actions.sign.file'), { exact: true }).setInputFiles({
        name: 'scc-annexes-signed.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(`signed SCC annexes ${randomUUID()}`),
      });
      await sign.getByLabel(en('actions.sign.name'), { exact: true }).fill('Priya Raman');
      await sign.getByLabel(en('actions.sign.title'), { exact: true }).fill('Director');
      await sign.getByRole('button', { name: en('actions.sign.submit'), exact: true }).click();
      await importer.getByText(en('actions.none'), { exact: true }).waitFor();

      await signInAs(exporter, `/transfers/${id}`, { role: 'applicant', sub: 'alice', org: 'acme' });
      await exporter.getByRole('button', { name: en('actions.countersign.submit'), exact: true }).click();
      await statusIs(exporter, en('status.active'));
      await exporter
        .getByTestId('register-number')
        .filter({ hasText: /^EU-GDPR-\d{4}-\d{6}$/ })
        .waitFor();
      // no regulator filing: no filing form, the TIA review is the next clock (calendar days)
      expect(await exporter.getByRole('form', { name: en('action.file') }).count()).toBe(0);
      await exporter.getByTestId('deadline-tia_review').waitFor();
      await shot(exporter, 'case-active-en');
      await language(exporter, en, 'zh-CN');
      await statusIs(exporter, zh('status.active'));
      await shot(exporter, 'case-active-zh-CN');
    });
  });
});
