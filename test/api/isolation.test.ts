/**
 * Tenant isolation (API.md "Scoping") on every read path, with two applicant organisations, two recipients and
 * a reviewer who works for an applicant organisation: outside your scope is a 404 with the body of a missing
 * id, lists and inboxes never show another tenant's transfer, recipients get the redacted application.
 */
import type { Actor } from '../../domain/authz';
import { Driver } from '../drive';
import {
  acmeReviewer,
  applicant,
  eventually,
  otherApplicant,
  otherRecipient,
  recipient,
  reviewer,
  sampleApplication,
  standardContractKinds,
  startStack,
  uploadMaterials,
  type Stack,
} from '../helpers';

let stack: Stack;
let drive: Driver;
let acmeTransfer: string; // acme → eu-fulfil, awaiting signature (materials and an agreement)
let globexTransfer: string; // globex → us-cloud, in completeness check
let acmeMaterial: string;
let agreement: string;
const globexReviewer: Actor = { sub: 'gina', role: 'reviewer', org: 'globex' };
const MISSING = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  stack = await startStack();
  drive = new Driver(stack);
  acmeTransfer = await drive.reach('awaiting_signature');
  const view = await drive.view(acmeTransfer);
  acmeMaterial = view.application.materials[0].documentId;
  agreement =
    view.agreement?.documentId ??
    (await eventually(async () => (await drive.view(acmeTransfer)).agreement?.documentId));
  const materials = await uploadMaterials(stack, await drive.token(otherApplicant), standardContractKinds);
  const created = await drive.post(
    '/v1/transfers',
    otherApplicant,
    sampleApplication({
      title: 'Globex payroll to US cloud',
      exporter: { org: 'globex', name: 'Globex Trading', creditCode: '91310000MA1FL8XQ3D', isCIIO: false },
      recipient: {
        id: 'us-cloud',
        name: 'US Cloud Inc.',
        country: 'US',
        contactEmail: 'privacy@uscloud.example',
        certifications: [],
      },
      materials: materials as never,
    }),
  );
  globexTransfer = created.id;
}, 60_000);
afterAll(async () => {
  await stack.stop();
});

/** Who may see which of the two transfers. */
const sees: { name: string; actor: Actor; acme: boolean; globex: boolean }[] = [
  { name: 'acme applicant', actor: applicant, acme: true, globex: false },
  { name: 'globex applicant', actor: otherApplicant, acme: false, globex: true },
  { name: 'regulator reviewer', actor: reviewer, acme: true, globex: true },
  { name: 'acme’s own reviewer', actor: acmeReviewer, acme: false, globex: true },
  { name: 'globex’s own reviewer', actor: globexReviewer, acme: true, globex: false },
  { name: 'recipient eu-fulfil', actor: recipient, acme: true, globex: false },
  { name: 'recipient us-cloud', actor: otherRecipient, acme: false, globex: true },
];

const get = async (actor: Actor, path: string) =>
  stack.call('GET', path, { token: await drive.token(actor) });
const sansInstance = (body: Record<string, unknown>) => ({ ...body, instance: undefined });

describe.each(sees.map((s) => [s.name, s]))('%s', (_name, who) => {
  test('GET /v1/transfers/:id: 200 in scope; outside it the very answer of a missing id', async () => {
    const missing = await get(who.actor, `/v1/transfers/${MISSING}`);
    expect(missing.status).toBe(404);
    for (const [id, visible] of [
      [acmeTransfer, who.acme],
      [globexTransfer, who.globex],
    ] as const) {
      const res = await get(who.actor, `/v1/transfers/${id}`);
      if (visible) {
        expect(res.status).toBe(200);
      } else {
        expect({ status: res.status, body: sansInstance(res.body) }).toEqual({
          status: 404,
          body: sansInstance(missing.body),
        });
      }
    }
  });

  test('history: the same rule (recipients: 403 on their own transfer, 404 elsewhere)', async () => {
    for (const [id, visible] of [
      [acmeTransfer, who.acme],
      [globexTransfer, who.globex],
    ] as const) {
      const res = await get(who.actor, `/v1/transfers/${id}/history`);
      const expected = !visible ? 404 : who.actor.role === 'recipient' ? 403 : 200;
      expect(res.status).toBe(expected);
    }
  });

  test('lists and inboxes show only transfers in scope', async () => {
    // visibility is eventually consistent: wait until the caller's list shows what it should
    const ids = (r: { body: { items: { id: string }[] } }) => r.body.items.map((i) => i.id);
    const listed = await eventually(async () => {
      const res = await get(who.actor, '/v1/transfers?pageSize=100');
      const seen = ids(res);
      const complete =
        (!who.acme || seen.includes(acmeTransfer)) && (!who.globex || seen.includes(globexTransfer));
      return complete && seen;
    });
    expect(listed.includes(acmeTransfer)).toBe(who.acme);
    expect(listed.includes(globexTransfer)).toBe(who.globex);
    const inbox = ids(await get(who.actor, '/v1/inbox'));
    if (!who.acme) expect(inbox).not.toContain(acmeTransfer);
    if (!who.globex) expect(inbox).not.toContain(globexTransfer);
    for (const filter of ['status=awaiting_signature', 'country=US', 'route=standard_contract']) {
      const filtered = ids(await get(who.actor, `/v1/transfers?${filter}&pageSize=100`));
      if (!who.acme) expect(filtered).not.toContain(acmeTransfer);
      if (!who.globex) expect(filtered).not.toContain(globexTransfer);
    }
  });

  test('documents: the exporter’s materials for its org and reviewers; the agreement also for its recipient', async () => {
    await eventually(async () => (await get(reviewer, `/v1/documents/${acmeMaterial}`)).status === 200);
    const material = await get(who.actor, `/v1/documents/${acmeMaterial}`);
    const materialVisible = who.acme && who.actor.role !== 'recipient';
    expect(material.status).toBe(materialVisible ? 200 : 404);
    const contract = await get(who.actor, `/v1/documents/${agreement}`);
    expect(contract.status).toBe(who.acme ? 200 : 404);
    if (!materialVisible) {
      const missing = await get(who.actor, `/v1/documents/sha256:${'0'.repeat(64)}`);
      expect(sansInstance(material.body)).toEqual(sansInstance(missing.body));
    }
  });

  test('notifications name only transfers in scope', async () => {
    const res = await get(who.actor, '/v1/notifications');
    expect(res.status).toBe(200);
    const transfers = new Set(res.body.items.map((n: { transferId: string }) => n.transferId));
    if (!who.acme) expect(transfers.has(acmeTransfer)).toBe(false);
    if (!who.globex) expect(transfers.has(globexTransfer)).toBe(false);
  });
});

test('a recipient’s view is the redacted application: no materials, volumes, or exporter internals', async () => {
  const res = await get(recipient, `/v1/transfers/${acmeTransfer}`);
  expect(Object.keys(res.body.application).sort()).toEqual(
    [
      'contractTermMonths',
      'dataCategories',
      'exporter',
      'purpose',
      'recipient',
      'safeguards',
      'title',
      'transfer',
    ].sort(),
  );
  expect(res.body.application.exporter).toEqual({ name: 'Acme Commerce' });
  expect(res.body.findings).toEqual([]);
  expect(res.body.risk).toBeNull();
});
