/**
 * The eu-gdpr lifecycle over HTTP against the real stack (issue 13 item 3, 4; EU-GDPR.md §4.4, §7, §9), written
 * from the rule text: the exporter's privacy office (a reviewer of the exporter's DPO service; the submitter never
 * decides) checks completeness and reviews the route, the TIA and the §9 checklist of the route; an SCC transfer
 * goes to the agreement phase (the importer signs, the exporter countersigns); there is no regulator filing, so
 * the approved transfer becomes `active` with an internal register number `EU-GDPR-<year>-<seq>` and its TIA review
 * is scheduled (12 months). An adequacy transfer relying on the DPF becomes active without an agreement; the DPF
 * listing of its importer turning inactive (an operator's event) re-opens it; the privacy office cannot confirm it
 * on a TIA "not effective" (EU-5), and confirms it on SCCs with an effective TIA.
 */
import type { Actor } from '../../domain/authz';
import {
  applicant,
  otherRecipient,
  recipient,
  reviewer,
  startStack,
  uploadMaterials,
  type Stack,
} from '../helpers';
import { eventually } from '../helpers';
import { effectiveTia, facts, importer, scc } from '../domain/eu-gdpr-fixtures';

jest.setTimeout(120_000);

/** The exporter's DPO service: a reviewer of another organisation than the exporter (house scoping). */
const dpo: Actor = { sub: 'dora', role: 'reviewer', org: 'dpo-service' };
const admin: Actor = { sub: 'olga', role: 'admin' };

let stack: Stack;
const tokens: Record<string, string> = {};
beforeAll(async () => {
  stack = await startStack();
  for (const a of [applicant, dpo, recipient, otherRecipient, admin, reviewer])
    tokens[a.sub] = await stack.token(a);
});
afterAll(async () => {
  await stack.stop();
});

const today = () => new Date().toISOString().slice(0, 10);
type Body = Record<string, unknown>;
const post = (path: string, who: Actor, body: Body = {}) =>
  stack.call('POST', path, { token: tokens[who.sub], body });
const view = async (id: string, who: Actor = applicant) =>
  (await stack.call('GET', `/v1/transfers/${id}`, { token: tokens[who.sub] })).body;

/** Upload every material the route check requires, and submit the application. */
async function submit(f: Body, recipientParty: { id: string; country: string }, extra: Body = {}) {
  const check = await post('/v1/route-check', applicant, { policy: 'eu-gdpr', ...f });
  expect(check.status).toBe(200);
  const kinds = (check.body.materials as { kind: string; required: boolean }[])
    .filter((m) => m.required)
    .map((m) => m.kind);
  const materials = await uploadMaterials(stack, tokens[applicant.sub]!, kinds);
  const res = await post('/v1/transfers', applicant, {
    policy: 'eu-gdpr',
    title: 'EU customer data to a service provider',
    exporter: { org: 'acme', name: 'Acme GmbH' },
    recipient: { ...recipientParty, name: 'Importer Ltd', contactEmail: 'privacy@importer.example' },
    purpose: 'customer support',
    dataCategories: [{ category: 'customer contact data', sensitive: false, fields: ['name', 'email'] }],
    materials,
    facts: f,
    ...extra,
  });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, created: res.body, kinds, materials };
}

const checklist = (items: string[], fail?: string) =>
  items.map((item) =>
    item === fail ? { item, result: 'fail', note: 'not shown' } : { item, result: 'pass' },
  );
const GENERAL = ['is_transfer', 'roles', 'lawful_basis', 'onward_hops', 'minimised'];
/** The §9 checklist items of a route, as GET /v1/policy?id=eu-gdpr publishes them. */
async function itemsOf(route: string): Promise<string[]> {
  const res = await stack.call('GET', '/v1/policy?id=eu-gdpr', { token: tokens[dpo.sub] });
  return (res.body.reviewChecklist as { route: string; item: string }[])
    .filter((c) => c.route === 'all' || c.route === route)
    .map((c) => c.item);
}

describe('an SCC transfer (Module 2, India) to active', () => {
  let id: string;
  let sccKinds: string[];
  const sccFacts = facts({ importer: importer('IN'), scc: scc('M2'), tia: effectiveTia });

  test('submitted: route scc with its rules and sources, the privacy office awaited at completeness', async () => {
    const s = await submit(
      sccFacts,
      { id: recipient.recipient!, country: 'IN' },
      { privacyOffice: { org: dpo.org } },
    );
    id = s.id;
    sccKinds = s.kinds;
    expect(s.kinds).toEqual(expect.arrayContaining(['scc_signed', 'tia_report']));
    expect(s.created).toMatchObject({
      status: 'completeness_check',
      policy: { id: 'eu-gdpr', version: '2026.1' },
      route: { route: 'scc' },
      findings: [],
      awaiting: [{ role: 'reviewer', action: 'completeness' }],
      filingNumber: null,
      registerNumber: null,
      eu: { tiaRequired: true, reEvaluations: [] },
    });
    expect(s.created.route.rules.map((r: { id: string }) => r.id)).toContain('EU-3');
    expect(s.created.route.rules[0].reason).toMatch(/\[E\d+\]|Art\./);
    expect(s.created.materialsRequired).toEqual(expect.arrayContaining(s.kinds));
    // calendar days (EU-GDPR.md §7): the intake period is 10 days, no working-day calendar
    const intake = s.created.deadlines.find((d: { step: string }) => d.step === 'completeness_decision');
    expect(intake.calendarVersion).toMatch(/^calendar-days-utc@/);
  });

  test('completeness accepted by the privacy office the application names; another reviewer and the submitter cannot decide', async () => {
    const outsider = await post(`/v1/transfers/${id}/completeness`, reviewer, { decision: 'accept' });
    expect(outsider.status).toBe(403);
    expect(outsider.body.detail).toMatch(/privacy office \(dpo-service\)/);
    expect((await post(`/v1/transfers/${id}/completeness`, dpo, { decision: 'accept' })).status).toBe(200);
    const v = await view(id);
    expect(v).toMatchObject({
      status: 'under_review',
      awaiting: [{ role: 'reviewer', action: 'privacy-review' }],
    });
    const own = await post(`/v1/transfers/${id}/privacy-review`, applicant, {
      decision: 'approve',
      checklist: checklist(GENERAL),
    });
    expect(own.status).toBe(403);
    // cn-2024's substantive review is not a step of this lifecycle
    const cnReview = await post(`/v1/transfers/${id}/review`, dpo, {
      decision: 'request_supplement',
      items: [{ field: 'purpose', request: 'more detail' }],
    });
    expect(cnReview.status).toBe(409);
  });

  test('the checklist of the route (§9) is complete, and a failed item blocks approval; nothing changes', async () => {
    const before = await view(id);
    const partial = await post(`/v1/transfers/${id}/privacy-review`, dpo, {
      decision: 'approve',
      checklist: checklist(GENERAL),
    });
    expect(partial.status).toBe(422);
    expect(partial.body.errors).toContainEqual({
      pointer: '/checklist',
      detail: 'item tia_coverage is not assessed',
    });
    const sccItems = await itemsOf('scc');
    expect(sccItems).toEqual(
      expect.arrayContaining([...GENERAL, 'module_version', 'tia_coverage', 'clause_15']),
    );
    const withFail = await post(`/v1/transfers/${id}/privacy-review`, dpo, {
      decision: 'approve',
      checklist: checklist(sccItems, 'clause_15'),
    });
    expect(withFail.status).toBe(422);
    expect(withFail.body.detail).toMatch(/failed checklist item blocks approval \(clause_15\)/);
    expect((await view(id)).decisions).toEqual(before.decisions);
    const approved = await post(`/v1/transfers/${id}/privacy-review`, dpo, {
      decision: 'approve',
      checklist: checklist(sccItems),
      reason: 'SCC M2 with an effective TIA',
    });
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({
      status: 'awaiting_signature',
      eu: { tia: 'effective' },
      awaiting: [{ role: 'recipient', action: 'sign' }],
    });
    expect(approved.body.agreement.documentId).toBeDefined();
    expect(approved.body.decisions.at(-1)).toMatchObject({ action: 'privacy-review.approve', by: 'dora' });
  });

  test('the importer signs, the exporter countersigns: active with an internal register number, TIA review in 12 months', async () => {
    const [signed] = await uploadMaterials(stack, tokens[recipient.sub]!, ['scc_annexes_signed']);
    const sign = await post(`/v1/transfers/${id}/sign`, recipient, {
      documentId: signed!.documentId,
      signerName: 'Priya Raman',
      signerTitle: 'Director',
      signedAt: today(),
    });
    expect(sign.status).toBe(200);
    expect(sign.body.awaiting).toEqual([{ role: 'applicant', action: 'countersign' }]);
    expect((await post(`/v1/transfers/${id}/countersign`, applicant)).status).toBe(200);
    const active = await eventually(async () => {
      const v = await view(id);
      if (v.status !== 'active') throw new Error(`still ${v.status}`);
      return v;
    });
    const year = new Date().getUTCFullYear();
    expect(active.registerNumber).toMatch(new RegExp(`^EU-GDPR-${year}-\\d{6}$`));
    expect(active.filingNumber).toBeNull();
    expect(active.awaiting).toEqual([]);
    const review = active.deadlines.find((d: { step: string }) => d.step === 'tia_review');
    expect(review.actor).toBe('applicant');
    const months = (Date.parse(review.dueAt) - Date.now()) / (30.44 * 86_400_000);
    expect(months).toBeGreaterThan(11.5);
    expect(months).toBeLessThan(12.5);
    expect(active.decisions.map((d: { action: string }) => d.action)).toEqual([
      'submit',
      'completeness.accept',
      'privacy-review.approve',
      'sign',
      'countersign',
      'register_number_issued',
    ]);
    // no filing: cn-2024's filing step is refused
    expect((await post(`/v1/transfers/${id}/file`, applicant, { effectiveDate: today() })).status).toBe(409);
    expect(sccKinds.length).toBeGreaterThan(0);
  });

  test('the audit trail holds every step and verifies', async () => {
    const res = await stack.call('GET', `/v1/transfers/${id}/history`, { token: tokens[applicant.sub] });
    expect(res.status).toBe(200);
    const actions = JSON.stringify(res.body);
    for (const a of ['privacy', 'countersign', 'register_number_issued']) expect(actions).toContain(a);
  });
});

describe('an adequacy transfer (DPF) re-opened when its importer leaves the DPF List', () => {
  let id: string;
  const dpfFacts = facts({
    hrData: false,
    importer: importer('US', {
      scopeFacts: {
        dpf: { status: 'active', framework: 'eu-us', coveredData: ['non_hr'], entityMatches: true },
      },
    }),
  });

  test('approved without an agreement: active with a register number, the DPF List check scheduled', async () => {
    const s = await submit(dpfFacts, { id: otherRecipient.recipient!, country: 'US' });
    id = s.id;
    expect(s.created.route.route).toBe('adequacy');
    expect((await post(`/v1/transfers/${id}/completeness`, dpo, { decision: 'accept' })).status).toBe(200);
    const items = await itemsOf('adequacy');
    expect(items).toEqual(expect.arrayContaining([...GENERAL, 'decision_in_force', 'dpf_record']));
    const res = await post(`/v1/transfers/${id}/privacy-review`, dpo, {
      decision: 'approve',
      checklist: checklist(items),
    });
    expect(res.status).toBe(200);
    const active = await eventually(async () => {
      const v = await view(id);
      if (v.status !== 'active') throw new Error(`still ${v.status}`);
      return v;
    });
    expect(active.registerNumber).toMatch(/^EU-GDPR-\d{4}-\d{6}$/);
    expect(active.deadlines.map((d: { step: string }) => d.step)).toEqual(['dpf_list_check']);
  });

  test('the operator records the DPF listing inactive: the transfer moves to re-evaluation, audited; sent twice, once', async () => {
    const event = {
      kind: 'dpf_status',
      recipientId: otherRecipient.recipient,
      status: 'inactive',
      on: today(),
      reason: 'the DPF List shows the importer inactive',
    };
    expect((await post('/v1/admin/eu-gdpr/events', applicant, event)).status).toBe(403);
    const res = await post('/v1/admin/eu-gdpr/events', admin, event);
    expect(res.status).toBe(200);
    expect(res.body.reopened).toEqual([{ id, status: 'change_review' }]);
    const again = await post('/v1/admin/eu-gdpr/events', admin, event);
    expect(again.body.reopened).toEqual([]);
    const v = await view(id);
    expect(v).toMatchObject({
      status: 'change_review',
      awaiting: [{ role: 'applicant', action: 're-evaluate' }],
      eu: {
        reEvaluations: [{ trigger: 'event', event: expect.stringContaining('dpf_status:us-cloud:inactive') }],
      },
    });
    expect(v.decisions.filter((d: { action: string }) => d.action === 'reopen')).toHaveLength(1);
    expect(v.deadlines.map((d: { step: string }) => d.step)).toEqual(['re_evaluation']);
  });

  test('answered with a TIA "not effective": the privacy office cannot confirm (EU-5); with SCCs and an effective TIA it can', async () => {
    const inactive = {
      status: 'inactive' as const,
      framework: 'eu-us' as const,
      coveredData: ['non_hr' as const],
      entityMatches: true,
    };
    const notEffective = facts({
      hrData: false,
      transferDate: today(),
      importer: importer('US', { scopeFacts: { dpf: inactive } }),
      scc: scc('M2'),
      tia: { ...effectiveTia, outcome: 'not_effective' },
    });
    const answered = await post(`/v1/transfers/${id}/re-evaluate`, applicant, { facts: notEffective });
    expect(answered.status).toBe(200);
    expect(answered.body.awaiting).toEqual([{ role: 'reviewer', action: 're-evaluation-decision' }]);
    const blocked = await post(`/v1/transfers/${id}/re-evaluation-decision`, dpo, { decision: 'confirm' });
    expect(blocked.status).toBe(422);
    expect(blocked.body.detail).toMatch(/not permitted|not_effective/);
    expect((await view(id)).status).toBe('change_review');

    const effective = { ...notEffective, tia: effectiveTia };
    expect((await post(`/v1/transfers/${id}/re-evaluate`, applicant, { facts: effective })).status).toBe(200);
    const confirmed = await post(`/v1/transfers/${id}/re-evaluation-decision`, dpo, {
      decision: 'confirm',
      reason: 'SCC M2 replace the DPF; TIA effective',
    });
    expect(confirmed.status).toBe(200);
    expect(confirmed.body).toMatchObject({
      status: 'active',
      route: { route: 'scc' },
      eu: { tia: 'effective', reEvaluations: [{ decision: 'confirm', decidedBy: 'dora' }] },
    });
    expect(confirmed.body.deadlines.map((d: { step: string }) => d.step)).toEqual(['tia_review']);
  });
});
