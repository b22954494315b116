/**
 * The console's case work in a real browser (Debian's chromium through playwright-core) against a real stack:
 * transfers are brought to the phase each test needs through the API, then a reviewer works the inbox, the case
 * page (materials, risk chart, four-eyes, supervision, a refused action in words), the evidence pack and the codec
 * page, and a recipient signs and acknowledges the conditions of an approval.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { checklist, today } from '../drive';
import {
  applicant,
  recipient,
  reviewer,
  sampleApplication,
  standardContractKinds,
  uploadMaterials,
} from '../helpers';
import { browserTests, expectAccessible, statusIs } from './browser';

const ui = browserTests('case');
const { person, withScreenshots, signInAs } = ui;
let A: string; // applicant alice (acme)
let R: string; // reviewer rita
let R3: string; // reviewer rosa
let P: string; // recipient eve (eu-fulfil)

const run = randomUUID().slice(0, 8);
const titles = {
  early: `Early intake (${run})`,
  low: `Low-risk order data (${run})`,
  critical: `Critical health data to BR (${run})`,
  active: `Active fulfilment flow (${run})`,
};
const ids: Record<keyof typeof titles, string> = { early: '', low: '', critical: '', active: '' };

beforeAll(async () => {
  A = await ui.stack.token(applicant);
  R = await ui.stack.token(reviewer);
  R3 = await ui.stack.token({ sub: 'rosa', role: 'reviewer', org: 'audit-firm' });
  P = await ui.stack.token(recipient);

  ids.early = await create(titles.early);
  ids.low = await create(titles.low);
  await post(`/v1/transfers/${ids.low}/completeness`, R, { decision: 'accept' });
  await post(`/v1/transfers/${ids.low}/review`, R, { checklist, decision: 'complete' });

  // standard contract, critical: sensitive health data to a tier-3 country, no encryption, two onward hops
  ids.critical = await create(titles.critical, {
    recipient: {
      id: 'eu-fulfil',
      name: 'EU Fulfil GmbH',
      country: 'BR',
      contactEmail: 'dpo@eufulfil.example',
      certifications: [],
    },
    dataCategories: [{ category: 'health records', sensitive: true, fields: ['diagnosis'] }],
    volume: { individualsYtd: 250_000, sensitiveIndividualsYtd: 5_000, importantData: false },
    safeguards: {
      encryptionInTransit: false,
      encryptionAtRest: false,
      keysHeldBy: 'recipient',
      pseudonymised: false,
    },
    transfer: {
      method: 'HTTPS API',
      frequency: 'continuous',
      storageLocation: 'São Paulo',
      retentionDays: 365,
      onwardTransfers: [
        { recipientName: 'Cloud A', country: 'US' },
        { recipientName: 'Support B', country: 'IN' },
      ],
    },
  });
  await post(`/v1/transfers/${ids.critical}/completeness`, R, { decision: 'accept' });
  const scored = await post(`/v1/transfers/${ids.critical}/review`, R, { checklist, decision: 'complete' });
  expect(scored.risk.level).toBe('critical');

  ids.active = await create(titles.active);
  await post(`/v1/transfers/${ids.active}/completeness`, R, { decision: 'accept' });
  await post(`/v1/transfers/${ids.active}/review`, R, { checklist, decision: 'complete' });
  await post(`/v1/transfers/${ids.active}/risk-decision`, R, { decision: 'approve' });
  const signed = await ui.stack.call('POST', '/v1/documents', {
    token: P,
    body: `signed agreement for ${ids.active}`,
    headers: { 'content-type': 'text/plain' },
  });
  await post(`/v1/transfers/${ids.active}/sign`, P, {
    documentId: signed.body.id,
    signerName: 'Erika Muster',
    signerTitle: 'Managing Director',
    signedAt: today(),
  });
  await post(`/v1/transfers/${ids.active}/countersign`, A);
  await post(`/v1/transfers/${ids.active}/file`, A, { effectiveDate: today() });
  const active = await post(`/v1/transfers/${ids.active}/filing-decision`, R, { decision: 'accept' });
  expect(active.status).toBe('active');
}, 180_000);

async function post(path: string, token: string, body: unknown = {}) {
  const res = await ui.stack.call('POST', path, { token, body });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function create(title: string, overrides: Record<string, unknown> = {}): Promise<string> {
  const materials = await uploadMaterials(ui.stack, A, standardContractKinds);
  const t = await post(
    '/v1/transfers',
    A,
    sampleApplication({ title, materials: materials as never, ...overrides }),
  );
  return t.id as string;
}

const rita = { role: 'reviewer', sub: 'rita', org: 'regulator' } as const;

describe('a reviewer', () => {
  let page: Page;
  beforeAll(async () => {
    page = await person();
  });

  test('sees the inbox filtered by phase, risk level and route, and a filter that matches nothing says so', async () => {
    await withScreenshots('inbox', async () => {
      await signInAs(page, '/inbox', rita);
      for (const key of ['early', 'low', 'critical'] as const)
        await page.getByRole('link', { name: titles[key] }).waitFor({ timeout: 30_000 });
      await expectAccessible(page, 'inbox');

      await page.getByLabel('Phase', { exact: true }).selectOption('risk_assessment');
      await page.getByRole('link', { name: titles.early }).waitFor({ state: 'detached' });
      expect(await page.getByRole('link', { name: titles.low }).count()).toBe(1);
      expect(await page.getByRole('link', { name: titles.critical }).count()).toBe(1);

      await page.getByLabel('Risk level', { exact: true }).selectOption('critical');
      await page.getByRole('link', { name: titles.low }).waitFor({ state: 'detached' });
      expect(await page.getByRole('link', { name: titles.critical }).count()).toBe(1);

      await page.getByLabel('Route', { exact: true }).selectOption('certification');
      await page.getByText(/None of the \d+ transfers in your inbox matches these filters/).waitFor();
      await page.getByRole('button', { name: 'Clear the filters' }).click();
      await page.getByRole('link', { name: titles.early }).waitFor();
    });
  }, 120_000);

  test('opens the case: sections, materials downloaded under their names, one risk bar per factor, the timeline and the chain status', async () => {
    await withScreenshots('case', async () => {
      await page.getByRole('link', { name: titles.low }).click();
      await statusIs(page, 'Risk assessment');
      await page.getByRole('heading', { name: 'Application', level: 2 }).waitFor();
      await page.getByRole('heading', { name: 'Automated findings', level: 2 }).waitFor();
      expect(await page.getByRole('region', { name: 'Application', exact: true }).textContent()).toContain(
        'Fulfilment of cross-border orders',
      );

      const materials = page.getByRole('region', { name: 'Materials', exact: true });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        materials.getByRole('button', { name: 'Download PIPIA report' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('pipia_report.txt');
      expect(readFileSync(await download.path(), 'utf8')).toMatch(/^pipia_report /);

      const { body } = await ui.stack.call('GET', `/v1/transfers/${ids.low}`, { token: R });
      const factors = body.risk.factors as { factor: string }[];
      expect(factors.length).toBeGreaterThan(0);
      expect(await page.getByTestId('risk-bar').count()).toBe(factors.length);
      const chart = page.getByRole('table', { name: /Each factor's contribution/ });
      expect(await chart.getByRole('row').count()).toBe(factors.length + 2); // header, one per factor, total

      const timeline = page.getByRole('region', { name: 'Lifecycle' });
      expect(await timeline.locator('[aria-current="step"]').textContent()).toContain('Risk assessment');
      expect(await page.getByTestId('deadline-substantive_review').textContent()).toMatch(
        /working days? left|Overdue/,
      );
      await page.getByTestId('chain-status').filter({ hasText: 'Hash chain intact' }).waitFor();
      await expectAccessible(page, 'case page (risk assessment)');
    });
  }, 120_000);

  test('four-eyes: the substantive reviewer is told a second reviewer decides; the first approver of a critical transfer too', async () => {
    const rob = await person();
    await withScreenshots('four-eyes', async () => {
      await page.goto(`${ui.stack.base}/transfers/${ids.critical}`);
      const eyes = page.getByTestId('four-eyes');
      await eyes.getByText('Needs a second reviewer: not you.').waitFor();
      expect(await eyes.textContent()).toContain('Not by: rita.');
      expect(await page.getByRole('form', { name: 'Risk decision' }).count()).toBe(0);

      await signInAs(rob, `/transfers/${ids.critical}`, { role: 'reviewer', sub: 'rob', org: 'regulator' });
      await rob.getByTestId('four-eyes').getByText('You may decide.').waitFor();
      const risk = rob.getByRole('form', { name: 'Risk decision' });
      await risk.getByRole('radio', { name: 'Approve with conditions' }).check();
      await risk
        .getByRole('textbox', { name: 'Conditions' })
        .fill('annual third-party audit\npseudonymise diagnosis codes');
      await risk.getByRole('button', { name: 'Record risk decision' }).click();
      const robEyes = rob.getByTestId('four-eyes');
      await robEyes.getByText('Approvals: 1 of 2 (rob).').waitFor();
      await robEyes.getByText('Needs a second reviewer: not you.').waitFor();
      await expectAccessible(rob, 'case page (four-eyes)');
    });
    // the second approver, through the API
    const t = await post(`/v1/transfers/${ids.critical}/risk-decision`, R3, {
      decision: 'approve_with_conditions',
      conditions: ['quarterly access log review'],
    });
    expect(t.status).toBe('awaiting_signature');
  }, 120_000);

  test('records a rectification order with the supervision form; a second one is refused and the 409 says what the transfer awaits', async () => {
    await withScreenshots('supervision', async () => {
      await page.goto(`${ui.stack.base}/transfers/${ids.active}`);
      await statusIs(page, 'Active');
      const form = page.getByRole('form', { name: 'Supervisory measure' });
      await form.getByLabel('Measure').selectOption('rectification_order');
      await form.getByLabel('Rectify by').waitFor();
      await form.getByLabel('Reason').fill('the retention schedule exceeds the declared 365 days');
      await form.getByRole('button', { name: 'Record the measure' }).click();
      await statusIs(page, 'Rectification ordered');
      await page
        .getByTestId('supervision-actions')
        .getByText(/Rectification order — rita: the retention schedule/)
        .waitFor();

      await form.getByRole('button', { name: 'Record the measure' }).click();
      const refusal = page.getByTestId('refusal');
      await refusal.waitFor();
      const text = await refusal.textContent();
      expect(text).toContain('Not possible in the current phase.');
      expect(text).toContain('The transfer is now: Rectification ordered.');
      expect(text).toContain('It awaits Respond to the rectification order from the Applicant.');
      await expectAccessible(page, 'case page (supervision, refusal)');
    });
  }, 120_000);

  test('opens the evidence pack: verified, with decisions, digests and the chain, and downloads it as JSON', async () => {
    await withScreenshots('evidence', async () => {
      await page.getByRole('link', { name: /Evidence pack/ }).click();
      await page.waitForURL((u) => u.pathname === `/transfers/${ids.active}/evidence`);
      const verification = page.getByTestId('verification');
      await verification.getByRole('heading', { name: 'Verified: the evidence is intact' }).waitFor();
      expect(await verification.textContent()).toMatch(/Audit chain: \d+ entries/);
      await page.getByRole('heading', { name: 'Audit chain', level: 2 }).waitFor();
      expect(await page.locator('code.digest').count()).toBeGreaterThan(5);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Download the pack (JSON)' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`evidence-${ids.active}.json`);
      const pack = JSON.parse(readFileSync(await download.path(), 'utf8')) as {
        transferId: string;
        verification: { ok: boolean };
      };
      expect(pack).toMatchObject({ transferId: ids.active, verification: { ok: true } });
      await expectAccessible(page, 'evidence');
    });
  }, 120_000);

  test('starts the codec session for the Temporal Web UI from the codec page', async () => {
    await withScreenshots('codec', async () => {
      const html = await fetch(`${ui.stack.base}/codec`);
      expect([html.status, html.headers.get('content-type')]).toEqual([
        200,
        expect.stringMatching(/^text\/html/),
      ]);
      await page.goto(`${ui.stack.base}/`);
      await page.getByRole('link', { name: 'Decode payloads in the Temporal Web UI' }).click();
      await page.getByRole('heading', { level: 1, name: 'Decode payloads in the Temporal Web UI' }).waitFor();
      expect(await page.getByTestId('codec-endpoint').textContent()).toBe(`${ui.stack.base}/codec`);
      await page.getByRole('button', { name: 'Start the codec session' }).click();
      await page.getByText('Codec session started for rita.').waitFor();
      const cookie = (await page.context().cookies(`${ui.stack.base}/codec/decode`)).find(
        (c) => c.name === 'xborder_codec',
      );
      expect(cookie).toMatchObject({ httpOnly: true, path: '/codec', sameSite: 'Strict' });
      await expectAccessible(page, 'codec');
    });
  }, 120_000);
});

describe('a recipient', () => {
  test('lists the transfers naming them, reads the agreement, signs and acknowledges the conditions', async () => {
    const page = await person();
    await withScreenshots('recipient', async () => {
      await signInAs(page, '/transfers', { role: 'recipient', sub: 'eve', recipient: 'eu-fulfil' });
      await page.getByRole('heading', { level: 1, name: 'Transfers naming you' }).waitFor();
      const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: titles.critical }) });
      await row.getByText('Sign the agreement').waitFor({ timeout: 30_000 });
      await expectAccessible(page, 'recipient list');

      await page.getByRole('link', { name: titles.critical }).click();
      await page
        .getByTestId('next-step')
        .getByText(/Awaited of you: .*Sign the agreement/)
        .waitFor();
      const agreement = page.getByRole('region', { name: 'Agreement', exact: true });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        agreement.getByRole('button', { name: 'Download the agreement' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('agreement.txt');
      expect(readFileSync(await download.path(), 'utf8')).toContain('EU Fulfil GmbH');
      await expectAccessible(page, 'case page (recipient)');

      const sign = page.getByRole('form', { name: 'Sign the agreement' });
      await sign.getByLabel('Signed copy').setInputFiles({
        name: 'signed-agreement.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from(`signed agreement for ${ids.critical}`),
      });
      await sign.getByLabel('Signer name').fill('Erika Muster');
      await sign.getByLabel('Signer title').fill('Managing Director');
      await sign.getByRole('button', { name: 'Upload and sign' }).click();

      const ack = page.getByRole('form', { name: 'Acknowledge conditions' });
      await ack.getByText('annual third-party audit').waitFor();
      await ack.getByRole('button', { name: 'Acknowledge the conditions' }).click();
      await page.getByText('Nothing awaits you on this transfer now.').waitFor();
      const conditions = page.getByRole('region', { name: 'Agreement', exact: true }).getByRole('listitem');
      expect(await conditions.count()).toBe(3);
      for (const text of await conditions.allTextContents())
        expect(text).toContain('acknowledged by the recipient');
    });
    const { body } = await ui.stack.call('GET', `/v1/transfers/${ids.critical}`, { token: A });
    expect(body.awaiting).toEqual([{ role: 'applicant', action: 'countersign' }]);
  }, 120_000);
});
