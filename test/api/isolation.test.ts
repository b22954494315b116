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
    const answers = [];
    for (const id of [acmeTransfer, globexTransfer]) {
      const res = await get(who.actor, `/v1/transfers/${id}`);
      answers.push({
        id,
        status: res.status,
        body: res.status === 200 ? 'the transfer' : sansInstance(res.body),
      });
    }
    expect(answers).toEqual(
      [
        [acmeTransfer, who.acme],
        [globexTransfer, who.globex],
      ].map(([id, visible]) => ({
        id,
        ...(visible
          ? { status: 200, body: 'the transfer' }
          : { status: 404, body: sansInstance(missing.body) }),
      })),
    );
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
    // what the inbox and filtered lists show of the transfers outside the caller's scope: nothing
    const outside = (seen: string[]) => seen.filter((id) => hidden.includes(id));
    const hidden = [...(who.acme ? [] : [acmeTransfer]), ...(who.globex ? [] : [globexTransfer])];
    const leaks: Record<string, string[]> = {
      inbox: outside(ids(await get(who.actor, '/v1/inbox'))),
    };
    for (const filter of ['status=awaiting_signature', 'country=US', 'route=standard_contract'])
      leaks[filter] = outside(ids(await get(who.actor, `/v1/transfers?${filter}&pageSize=100`)));
    expect(leaks).toEqual({
      inbox: [],
      'status=awaiting_signature': [],
      'country=US': [],
      'route=standard_contract': [],
    });
  });

  test('documents: the exporter’s materials for its org and reviewers; the agreement also for its recipient', async () => {
    await eventually(async () => (await get(reviewer, `/v1/documents/${acmeMaterial}`)).status === 200);
    const material = await get(who.actor, `/v1/documents/${acmeMaterial}`);
    const materialVisible = who.acme && who.actor.role !== 'recipient';
    expect(material.status).toBe(materialVisible ? 200 : 404);
    const contract = await get(who.actor, `/v1/documents/${agreement}`);
    expect(contract.status).toBe(who.acme ? 200 : 404);
    // outside its readers, a document answers exactly like one that does not exist
    const missing = await get(who.actor, `/v1/documents/sha256:${'0'.repeat(64)}`);
    expect(material.status === 200 ? 'the bytes' : sansInstance(material.body)).toEqual(
      materialVisible ? 'the bytes' : sansInstance(missing.body),
    );
  });

  test('notifications name only transfers in scope', async () => {
    const res = await get(who.actor, '/v1/notifications');
    expect(res.status).toBe(200);
    const named = res.body.items.map((n: { transferId: string }) => n.transferId) as string[];
    const hidden = [...(who.acme ? [] : [acmeTransfer]), ...(who.globex ? [] : [globexTransfer])];
    expect(named.filter((id) => hidden.includes(id))).toEqual([]);
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
