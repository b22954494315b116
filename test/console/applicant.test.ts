/**
 * The applicant's pages in a real browser (Debian's chromium through playwright-core) against a real stack:
 * the new-application wizard from empty to submitted (live route check, uploads by the file chooser and by
 * drag-and-drop, draft saved, reopened, edited), a supplementation round answered item by item, supervision
 * forms on an active transfer, and the notifications page.
 */
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { Driver, today } from '../drive';
import { applicant, eventually, sampleApplication, standardContractKinds, uploadMaterials } from '../helpers';
import { browserTests, expectAccessible, statusIs } from './browser';

const ui = browserTests('applicant');
const { person, withScreenshots } = ui;

/** Open a deep link signed out, sign in as an applicant with "Sign in as", and land back on it. */
const signInAs = (page: Page, path: string, sub: string, org: string) =>
  ui.signInAs(page, path, { role: 'applicant', sub, org });

const file = (name: string) => ({
  name,
  mimeType: 'text/plain',
  buffer: Buffer.from(`${name} ${randomUUID()}`),
});

/** A yes/no question of the wizard (a labelled radio group). */
const answer = (page: Page, question: string, choice: 'Yes' | 'No') =>
  page.getByRole('group', { name: question }).getByRole('radio', { name: choice, exact: true }).check();

const materialLabels: Record<string, string> = {
  pipia_report: 'Personal information protection impact assessment',
  standard_contract: 'Standard contract',
  business_licence: 'Business licence',
  legal_representative_id: 'Legal representative ID',
  authorisation_letter: 'Letter of authorisation',
  undertaking_letter: 'Letter of undertaking',
};

describe('the applicant in the console', () => {
  test('the applicant pages answer index.html (deep links and reloads land in the console)', async () => {
    for (const path of ['/transfers/new', `/transfers/${randomUUID()}/edit`, '/notifications']) {
      const res = await fetch(`${ui.stack.base}${path}`);
      expect([path, res.status, res.headers.get('content-type')]).toEqual([
        path,
        200,
        expect.stringMatching(/^text\/html/),
      ]);
    }
    expect((await fetch(`${ui.stack.base}/transfers/new/edit`)).status).toBe(404);
  });

  test('an empty wizard becomes a submitted application: live route check, draft saved, reopened, edited, materials uploaded, submitted', async () => {
    const page = await person();
    const org = `apply-${randomUUID().slice(0, 8)}`;
    const title = `Order data to EU fulfilment (wizard ${randomUUID().slice(0, 8)})`;
    await withScreenshots('wizard', async () => {
      await signInAs(page, '/transfers', 'alice', org);
      await page.getByText('No transfers yet. Start with "New application".').waitFor();
      await page.getByRole('link', { name: 'New application' }).click();
      await page.waitForURL((u) => u.pathname === '/transfers/new');
      const wizard = page.getByRole('form', { name: 'New application' });
      const check = page.getByRole('complementary', { name: 'Route check' });
      await check.getByTestId('route').filter({ hasText: 'Not determined yet' }).waitFor();

      // 1. parties
      await wizard.getByLabel('Title', { exact: true }).fill(title);
      await wizard.getByLabel('Exporter name').fill('Acme Commerce');
      await wizard.getByLabel('Unified social credit code').fill('91310000MA1FL8XQ3C');
      await answer(page, 'Is the exporter a critical information infrastructure operator?', 'No');
      await wizard.getByLabel('Recipient id').fill('eu-fulfil');
      await wizard.getByLabel('Recipient name').fill('EU Fulfil GmbH');
      await wizard.getByLabel('Recipient country').fill('DE');
      await wizard.getByLabel('Recipient contact e-mail').fill('dpo@eufulfil.example');
      await wizard.getByLabel('Purpose of the transfer').fill('Fulfilment of cross-border orders');
      await wizard.getByRole('button', { name: 'Next' }).click();

      // 2. data and volume: the route check answers as the facts come in
      await wizard.getByRole('heading', { name: 'Data and volume' }).waitFor();
      await answer(page, 'Does the transfer include personal information?', 'Yes');
      await wizard.getByLabel('Category 1', { exact: true }).fill('contact');
      await wizard.getByLabel('Fields of category 1').fill('name, address');
      await wizard.getByLabel('Individuals whose personal information was sent abroad').fill('250000');
      await wizard.getByLabel('Individuals whose sensitive personal information was sent abroad').fill('0');
      await answer(page, 'Does the transfer include important data?', 'No');
      // the band rule fired, and it needs the applicant's choice of route
      await check
        .getByTestId('route-rule')
        .filter({ hasText: 'Rule cn-2024/9: volume in the standard-contract / certification band' })
        .waitFor();
      await check.getByRole('button', { name: 'Preferred route' }).click();
      // … shown at the field it concerns (the button took us to its step)
      await wizard.getByRole('heading', { name: 'Transfer and safeguards' }).waitFor();
      await wizard.getByText('Needed for the route: choose standard_contract or certification').waitFor();
      await expectAccessible(page, 'wizard (route needs info)');

      // 3. transfer and safeguards
      await wizard.getByLabel('Transfer method').fill('HTTPS API');
      await wizard.getByLabel('Frequency').fill('continuous');
      await wizard.getByLabel('Storage location abroad').fill('Frankfurt');
      await wizard.getByLabel('Retention (days)').fill('365');
      await answer(page, 'Encrypted in transit?', 'Yes');
      await answer(page, 'Encrypted at rest?', 'Yes');
      await wizard.getByLabel('Encryption keys held by').selectOption('exporter');
      await answer(page, 'Pseudonymised?', 'No');
      await wizard
        .getByLabel('Preferred route (when the volume allows a choice)')
        .selectOption('standard_contract');
      await check
        .getByTestId('route')
        .filter({ hasText: /^Standard contract$/ })
        .waitFor();
      await check.getByText('Materials to attach').waitFor();
      await check.getByRole('listitem').filter({ hasText: 'Letter of undertaking' }).waitFor();
      await check.getByText('Completeness decision — Reviewer, 5 working days').waitFor();
      await wizard.getByLabel('Contract term (months)').fill('36');

      // save the draft: it gets its own address
      await wizard.getByRole('button', { name: 'Save draft' }).click();
      await page.waitForURL((u) => /^\/transfers\/[0-9a-f-]{36}\/edit$/.test(u.pathname));
      await page.getByText(/^Draft saved/).waitFor();
      const id = new URL(page.url()).pathname.split('/')[2]!;

      // reopen it from the list
      await page.getByRole('link', { name: 'Transfers', exact: true }).click();
      await page.getByRole('link', { name: 'New application' }).waitFor();
      await page.getByRole('link', { name: title }).click({ timeout: 30_000 });
      await page.waitForURL((u) => u.pathname === `/transfers/${id}/edit`);
      const edit = page.getByRole('form', { name: 'Edit draft application' });
      expect(await edit.getByLabel('Title', { exact: true }).inputValue()).toBe(title);

      // a refusal is shown at the field its pointer names, on that field's step
      await edit.getByLabel('Recipient country').fill('Germany');
      await page.getByRole('button', { name: /^4\. / }).click();
      await edit.getByRole('heading', { name: 'Materials' }).waitFor();
      await edit.getByRole('button', { name: 'Save draft' }).click();
      await edit.getByRole('heading', { name: 'Parties' }).waitFor();
      await edit.locator('.field-error').filter({ hasText: 'ISO 3166-1 alpha-2' }).waitFor();
      const country = edit.getByLabel('Recipient country');
      expect(await country.getAttribute('aria-invalid')).toBe('true');
      await country.fill('DE');
      const edited = `${title} (edited)`;
      await edit.getByLabel('Title', { exact: true }).fill(edited);
      await edit.getByRole('button', { name: 'Save draft' }).click();
      await page.getByText(/^Draft saved/).waitFor();
      const draft = await ui.stack.call('GET', `/v1/transfers/${id}`, {
        token: await ui.stack.token(actorOf(org)),
      });
      expect([
        draft.body.status,
        draft.body.application.title,
        draft.body.application.recipient.country,
      ]).toEqual(['draft', edited, 'DE']);

      // 4. materials: five by the file chooser, one dropped onto its zone
      await page.getByRole('button', { name: /^4\. / }).click();
      await edit.getByRole('heading', { name: 'Materials' }).waitFor();
      for (const kind of standardContractKinds.slice(1)) {
        await edit.getByLabel(`File for ${materialLabels[kind]}`).setInputFiles(file(`${kind}.txt`));
        await edit
          .getByRole('definition')
          .filter({ hasText: `${kind}.txt` })
          .waitFor();
      }
      // a drop as the browser dispatches it (this file compiles without the DOM library: the script is text)
      const dropped = await page.evaluateHandle(`(() => {
        const dt = new DataTransfer();
        dt.items.add(new File(['the PIPIA report'], 'pipia-report.txt', { type: 'text/plain' }));
        return dt;
      })()`);
      await edit.getByTestId('drop-pipia_report').dispatchEvent('drop', { dataTransfer: dropped });
      const stored = edit.getByRole('definition').filter({ hasText: 'pipia-report.txt' });
      await stored.waitFor();
      const pipia = edit.getByRole('group', { name: /Personal information protection impact assessment/ });
      expect(await pipia.locator('code.digest').textContent()).toMatch(/^sha256:[0-9a-f]{64}$/);
      await pipia.getByText('16 B', { exact: true }).waitFor();
      await expectAccessible(page, 'wizard (materials)');

      // 5. review and submit
      await edit.getByRole('button', { name: 'Next' }).click();
      await edit.getByRole('heading', { name: 'Review and submit' }).waitFor();
      await edit.getByRole('button', { name: 'Submit application' }).click();
      await page.waitForURL((u) => u.pathname === `/transfers/${id}`);
      await statusIs(page, 'Completeness check');
      const submitted = await ui.stack.call('GET', `/v1/transfers/${id}`, {
        token: await ui.stack.token(actorOf(org)),
      });
      expect(submitted.body.route.route).toBe('standard_contract');
      expect((submitted.body.application.materials as { kind: string }[]).map((m) => m.kind).sort()).toEqual(
        [...standardContractKinds].sort(),
      );
      expect(submitted.body.application.title).toBe(edited);
    });
  }, 300_000);

  test('a supplement round in the browser: the reviewer asks for two items in the completeness form, the applicant answers item by item, the reviewer reads the answers, accepts and reviews', async () => {
    const page = await person();
    const reviewer = await person();
    await withScreenshots('supplement', async () => {
      // the second transfer of the journey (the first goes from an empty draft to active in console.test.ts)
      const token = await ui.stack.token(applicant);
      const materials = await uploadMaterials(ui.stack, token, standardContractKinds);
      const created = await ui.stack.call('POST', '/v1/transfers', {
        token,
        body: sampleApplication({
          title: `Support logs (supplement ${randomUUID().slice(0, 8)})`,
          materials: materials as never,
        }),
      });
      expect(created.status).toBe(201);
      const id = created.body.id as string;

      // the reviewer asks for supplementation: one item about a field, one about a material
      await ui.signInAs(reviewer, `/transfers/${id}`, { role: 'reviewer', sub: 'rita', org: 'regulator' });
      await statusIs(reviewer, 'Completeness check');
      const completeness = reviewer.getByRole('form', { name: 'Completeness decision' });
      await completeness.getByRole('radio', { name: 'Request supplementation' }).check();
      await completeness.getByLabel('Field concerned (item 1)').fill('purpose');
      await completeness
        .getByLabel('What to supplement (item 1)')
        .fill('Name the carriers that receive the data');
      await completeness.getByRole('button', { name: 'Add an item' }).click();
      await completeness
        .getByLabel('Material concerned (item 2)')
        .selectOption({ label: 'Personal information protection impact assessment' });
      expect(await completeness.getByLabel('Field concerned (item 2)').count()).toBe(0);
      await completeness.getByLabel('What to supplement (item 2)').fill('Upload the signed PIPIA report');
      await expectAccessible(reviewer, 'completeness (supplementation request)');
      await completeness.getByRole('button', { name: 'Record completeness decision' }).click();
      await statusIs(reviewer, 'Awaiting supplementation');
      const asked = await ui.stack.call('GET', `/v1/transfers/${id}`, { token });
      expect(asked.body.supplementRequests[0].items).toEqual([
        expect.objectContaining({ field: 'purpose', request: 'Name the carriers that receive the data' }),
        expect.objectContaining({ material: 'pipia_report', request: 'Upload the signed PIPIA report' }),
      ]);

      await signInAs(page, `/transfers/${id}`, 'alice', 'acme');
      await statusIs(page, 'Awaiting supplementation');
      const form = page.getByRole('form', { name: 'Supplementation request, round 1' });
      await form.getByText('Name the carriers that receive the data').waitFor();

      // sending nothing: the refusal is shown at each item
      await form.getByRole('button', { name: 'Send the answers' }).click();
      await form.getByRole('group', { name: 'Item r1-1' }).locator('.field-error').first().waitFor();

      await form.getByLabel('Answer to item r1-1').fill('DHL and Kuehne+Nagel, both in Germany.');
      await form.getByLabel('Document for item r1-2').setInputFiles(file('pipia-signed.txt'));
      await form.getByRole('definition').filter({ hasText: 'pipia-signed.txt' }).waitFor();
      await expectAccessible(page, 'supplement answer');
      await form.getByRole('button', { name: 'Send the answers' }).click();
      await statusIs(page, 'Completeness check');

      const after = await ui.stack.call('GET', `/v1/transfers/${id}`, { token });
      const items = after.body.supplementRequests[0].items as { response?: { text?: string } }[];
      expect(after.body.supplementRequests[0].status).toBe('answered');
      expect(items[0]!.response?.text).toBe('DHL and Kuehne+Nagel, both in Germany.');

      // the reviewer's page follows: the answers, item by item, then acceptance and the review
      await statusIs(reviewer, 'Completeness check');
      const answers = completeness.getByRole('list', { name: 'Round 1' });
      await answers.getByText('Answer: DHL and Kuehne+Nagel, both in Germany.').waitFor();
      await answers.getByRole('button', { name: 'Download the document for item r1-2' }).waitFor();
      await completeness.getByRole('radio', { name: 'Accept' }).check();
      await completeness.getByRole('button', { name: 'Record completeness decision' }).click();
      await statusIs(reviewer, 'Under review');
      const review = reviewer.getByRole('form', { name: 'Substantive review' });
      const pass = review.getByRole('radio', { name: 'Pass' });
      await pass.first().waitFor();
      for (let i = 0; i < (await pass.count()); i++) await pass.nth(i).check();
      await review.getByRole('button', { name: 'Record review' }).click();
      await statusIs(reviewer, 'Risk assessment');
      await statusIs(page, 'Risk assessment');
    });
  }, 240_000);

  test('under supervision: an incident and a change are reported from the transfer page', async () => {
    const page = await person();
    await withScreenshots('supervision', async () => {
      const driver = new Driver(ui.stack);
      const id = await driver.reach('active');
      await signInAs(page, `/transfers/${id}`, 'alice', 'acme');
      await statusIs(page, 'Active');

      await page.locator('summary').filter({ hasText: 'Report an incident' }).click();
      const incident = page.getByRole('form', { name: 'Report an incident' });
      await incident.getByRole('radio', { name: 'Low' }).check();
      await incident.getByLabel('Occurred at').fill(`${yesterday()} 09:30`);
      await incident.getByLabel('What happened').fill('A courier scanned one parcel label twice.');
      await expectAccessible(page, 'supervision forms');
      await incident.getByRole('button', { name: 'Report the incident' }).click();
      const reported = await eventually(async () => {
        const v = await driver.view(id);
        return (v.supervision?.incidents as unknown[] | undefined)?.length === 1 && v;
      });
      expect(reported.supervision.incidents[0]).toMatchObject({
        severity: 'low',
        occurredAt: `${yesterday()}T09:30:00+08:00`,
      });

      await page.locator('summary').filter({ hasText: 'Report a change' }).click();
      const change = page.getByRole('form', { name: 'Report a change' });
      await change.getByLabel('What changes').selectOption('storage_location');
      await change.getByLabel('Describe the change').fill('The data moves from Frankfurt to Dublin.');
      await change.getByRole('button', { name: 'Report the change' }).click();
      await statusIs(page, 'Change review');
    });
  }, 240_000);

  test('awaited later in the life: a re-review requested after "not passed", an exemption confirmed, an application withdrawn', async () => {
    const page = await person();
    await withScreenshots('later', async () => {
      const driver = new Driver(ui.stack);
      const notPassed = await driver.reach('not_passed');
      const exempt = await driver.reach('exempt');
      const pending = await driver.reach('completeness_check');
      await signInAs(page, `/transfers/${notPassed}`, 'alice', 'acme');
      await statusIs(page, 'Not passed');
      const reReview = page.getByRole('form', { name: 'Request a re-review' });
      await reReview.getByLabel('Reason').fill('Deletion at the end of the term is now in clause 9.');
      await reReview.getByRole('button', { name: 'Request re-review' }).click();
      await statusIs(page, 'Re-review');

      await page.goto(`${ui.stack.base}/transfers/${exempt}`);
      await statusIs(page, 'Exempt');
      const confirm = page.getByRole('form', { name: 'Confirm the exemption' });
      await confirm.getByText(/exempt under cn-2024\/10/).waitFor();
      await confirm.getByRole('button', { name: 'Confirm the facts still hold' }).click();
      await eventually(async () =>
        ((await driver.view(exempt)).decisions as { action: string }[]).some(
          (d) => d.action === 'confirm-exemption',
        ),
      );

      await page.goto(`${ui.stack.base}/transfers/${pending}`);
      await statusIs(page, 'Completeness check');
      await page.locator('summary').filter({ hasText: 'Withdraw the application' }).click();
      const withdraw = page.getByRole('form', { name: 'Withdraw the application' });
      await withdraw.getByRole('button', { name: 'Withdraw', exact: true }).click();
      // no reason: refused at the field
      await withdraw.locator('.field-error').waitFor();
      await withdraw.getByLabel('Reason').fill('The project was cancelled.');
      await withdraw.getByRole('button', { name: 'Withdraw', exact: true }).click();
      await statusIs(page, 'Withdrawn');
    });
  }, 240_000);

  test('notifications: listed with their transfer, marked read, linked from the header', async () => {
    const page = await person();
    await withScreenshots('notifications', async () => {
      await signInAs(page, '/transfers', 'alice', 'acme');
      await page.getByRole('link', { name: /^Notifications/ }).click();
      await page.waitForURL((u) => u.pathname === '/notifications');
      await page.getByRole('heading', { level: 1, name: 'Notifications' }).waitFor();
      // the reviewer's supplementation request of the test above reached the applicant
      const items = page.getByRole('listitem').filter({ hasText: 'request_supplement' });
      await items.first().waitFor();
      await page.getByText(/notifications, [1-9]\d* unread/).waitFor();
      await expectAccessible(page, 'notifications');
      await page.getByRole('button', { name: 'Mark all as read' }).click();
      await page.getByText(/notifications, 0 unread/).waitFor();
      expect(await page.getByRole('link', { name: /unread/ }).count()).toBe(0);
    });
  });
});

function actorOf(org: string) {
  return { sub: 'alice', role: 'applicant' as const, org };
}

/** Yesterday in Asia/Shanghai, YYYY-MM-DD. */
function yesterday(): string {
  return new Date(Date.parse(`${today()}T12:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
