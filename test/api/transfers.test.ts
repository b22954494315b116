/** The transfer endpoints against a real Temporal dev server and a real worker. */
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
  meaningfulHistory,
  existingWorkflows,
  watchWorkflowStarts,
} from '../helpers';
import { temporal } from '@temporalio/proto';
import { workflowIdFor } from '../../workflows/messages';

const EventType = temporal.api.enums.v1.EventType;
type EventType = temporal.api.enums.v1.EventType;

let stack: Stack;
const tokens: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  for (const [name, actor] of Object.entries({
    applicant,
    otherApplicant,
    reviewer,
    acmeReviewer,
    recipient,
    otherRecipient,
  }))
    tokens[name] = await stack.token(actor);
});
afterAll(async () => {
  await stack.stop();
});

async function submitted(overrides = {}) {
  const materials = await uploadMaterials(stack, tokens.applicant!, standardContractKinds);
  const res = await stack.call('POST', '/v1/transfers', {
    token: tokens.applicant,
    body: sampleApplication({ materials: materials as never, ...overrides }),
  });
  expect(res.status).toBe(201);
  return res.body;
}

describe('POST /v1/route-check', () => {
  test('when the application is in the contract band, then the route, the rule and the materials come back', async () => {
    const res = await stack.call('POST', '/v1/route-check', {
      token: tokens.applicant,
      body: sampleApplication(),
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      route: 'standard_contract',
      rules: [{ id: 'cn-2024/9' }],
      needsInfo: [],
      policy: { id: 'cn-2024' },
    });
    expect(res.body.materialsRequired).toEqual(standardContractKinds);
    expect(res.body.deadlines.map((d: { step: string }) => d.step)).toContain('completeness_decision');
  });

  test('when facts are missing, then route is null and needsInfo names them', async () => {
    const res = await stack.call('POST', '/v1/route-check', {
      token: tokens.applicant,
      body: { title: 'x' },
    });
    expect(res.status).toBe(200);
    expect(res.body.route).toBeNull();
    expect(res.body.needsInfo.map((n: { field: string }) => n.field)).toContain('volume.individualsYtd');
  });

  test('when a reviewer asks, then 403', async () => {
    const res = await stack.call('POST', '/v1/route-check', { token: tokens.reviewer, body: {} });
    expect(res.status).toBe(403);
    expect(res.body.type).toBe('urn:xborder:problem:forbidden-role');
  });
});

describe('POST /v1/transfers', () => {
  test('when complete, then 201 with Location, status completeness_check and a 5-WD reviewer deadline', async () => {
    const materials = await uploadMaterials(stack, tokens.applicant!, standardContractKinds);
    const res = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: sampleApplication({ materials: materials as never }),
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(`/v1/transfers/${res.body.id}`);
    expect(res.body).toMatchObject({
      status: 'completeness_check',
      phase: 'completeness',
      route: { route: 'standard_contract' },
      findings: [],
    });
    expect(res.body.deadlines).toEqual([
      expect.objectContaining({
        step: 'completeness_decision',
        actor: 'reviewer',
        paused: false,
        overdue: false,
      }),
    ]);
    expect(res.body.deadlines[0].workingDaysLeft).toBeGreaterThanOrEqual(4);
    expect(res.body.awaiting).toEqual([{ role: 'reviewer', action: 'completeness' }]);
  });

  test('when the same Idempotency-Key is repeated, then the same transfer comes back and only one exists', async () => {
    const body = sampleApplication({ title: `idem ${Date.now()}` });
    const headers = { 'Idempotency-Key': `create-${Date.now()}` };
    const starts = watchWorkflowStarts(stack);
    try {
      const [a, b] = await Promise.all([
        stack.call('POST', '/v1/transfers', { token: tokens.applicant, body, headers }),
        stack.call('POST', '/v1/transfers', { token: tokens.applicant, body, headers }),
      ]);
      expect(a.status).toBe(201);
      expect(b.status).toBe(201);
      expect(b.body.id).toBe(a.body.id);
      const again = await stack.call('POST', '/v1/transfers', { token: tokens.applicant, body, headers });
      expect(again.body.id).toBe(a.body.id);
      const other = await stack.call('POST', '/v1/transfers', {
        token: tokens.applicant,
        body: { ...body, title: 'changed' },
        headers,
      });
      expect(other.status).toBe(422);
      expect(other.body.type).toBe('urn:xborder:problem:idempotency-key-reuse');

      // only one exists: every workflow start the four requests asked for names the one transfer, and it is there
      const asked = [...new Set(starts.ids())];
      expect(asked).toEqual([workflowIdFor(a.body.id)]);
      expect(await existingWorkflows(stack, asked)).toEqual(asked);
      // … and it was created once: one run, one create (its update applied once)
      const { events } = await stack.client.workflow.getHandle(asked[0]!).fetchHistory();
      const count = (type: EventType) => (events ?? []).filter((e) => e.eventType === type).length;
      expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)).toBe(1);
      expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED)).toBe(1);
    } finally {
      starts.stop();
    }
  });

  test('when the route needs facts, then 422 needs-info and nothing is created', async () => {
    const body = sampleApplication({ routePreference: undefined });
    const starts = watchWorkflowStarts(stack);
    const res = await stack
      .call('POST', '/v1/transfers', { token: tokens.applicant, body })
      .finally(starts.stop);
    expect(starts.ids()).toEqual([]); // no workflow was even asked for
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:xborder:problem:needs-info');
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/routePreference' })]);
  });

  test('when exempt, then recorded as exempt with the rule that fired', async () => {
    const res = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: sampleApplication({
        volume: { individualsYtd: 90, sensitiveIndividualsYtd: 0, importantData: false },
      }),
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: 'exempt',
      route: { route: 'exempt', rules: [{ id: 'cn-2024/10' }] },
      deadlines: [expect.objectContaining({ step: 'exempt_recheck', actor: 'applicant' })],
      awaiting: [{ role: 'applicant', action: 'confirm-exemption' }],
    });
  });

  test('when materials reference a document of another organisation, then 422 and nothing is created', async () => {
    const [foreign] = await uploadMaterials(stack, tokens.otherApplicant!, ['pipia_report']);
    const starts = watchWorkflowStarts(stack);
    const res = await stack
      .call('POST', '/v1/transfers', {
        token: tokens.applicant,
        body: sampleApplication({ materials: [foreign as never] }),
      })
      .finally(starts.stop);
    expect(starts.ids()).toEqual([]); // no workflow was even asked for
    // well-formed (the schema cannot know which documents exist): a rule, not the shape
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:xborder:problem:rule-violation');
    expect(res.body.errors[0].pointer).toBe('/materials/0/documentId');
  });

  test('when exporter.org is not the caller’s organisation, then 422 rule-violation at /exporter/org', async () => {
    const app = sampleApplication();
    const res = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: { ...app, exporter: { ...app.exporter, org: 'globex' } },
    });
    expect(res.status).toBe(422);
    expect(res.body.type).toBe('urn:xborder:problem:rule-violation');
    expect(res.body.errors).toEqual([expect.objectContaining({ pointer: '/exporter/org' })]);
  });

  test('when the body has unknown keys or bad fields, then 400 with pointers', async () => {
    const res = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: {
        ...sampleApplication(),
        recipient: { ...sampleApplication().recipient, country: 'Germany' },
        extra: 1,
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:xborder:problem:validation');
    // each error at the field it concerns, an unknown key at that key
    expect(res.body.errors).toEqual([
      { pointer: '/recipient/country', detail: expect.any(String) },
      { pointer: '/extra', detail: 'not a field of this object' },
    ]);
  });
});

/** Issue 9, point 8: an invalid body names the offending field, whichever shape (union branch) it is. */
describe('invalid bodies name their fields', () => {
  const pointers = (res: { body: { errors?: { pointer: string }[] } }) =>
    (res.body.errors ?? []).map((e) => e.pointer);
  const app = sampleApplication();

  test('POST /v1/transfers, full application: each bad field, not "/"', async () => {
    const res = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: {
        ...app,
        recipient: { ...app.recipient, country: 'de' },
        dataCategories: [{ category: '  ', sensitive: false }],
        volume: { ...app.volume, individualsYtd: -1 },
      },
    });
    expect(res.status).toBe(400);
    expect(res.body.type).toBe('urn:xborder:problem:validation');
    expect(pointers(res).sort()).toEqual(
      ['/dataCategories/0/category', '/recipient/country', '/volume/individualsYtd'].sort(),
    );
  });

  test('POST /v1/transfers, full application with a part missing: that part', async () => {
    const { purpose: _p, ...rest } = app;
    const res = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: { ...rest, draft: false, safeguards: { ...app.safeguards, keysHeldBy: 'nobody' } },
    });
    expect(res.status).toBe(400);
    expect(pointers(res).sort()).toEqual(['/purpose', '/safeguards/keysHeldBy']);
  });

  test('POST /v1/transfers, draft: the draft shape is checked, at the field', async () => {
    const res = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: {
        draft: true,
        title: 'a draft',
        recipient: { country: 'Germany' },
        transfer: { retentionDays: 0 },
      },
    });
    expect(res.status).toBe(400);
    expect(pointers(res).sort()).toEqual(['/recipient/country', '/transfer/retentionDays']);
  });

  test('POST /v1/transfers with a draft flag that is neither true nor false: /draft', async () => {
    const res = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: { ...app, draft: 'yes' },
    });
    expect(res.status).toBe(400);
    expect(pointers(res)).toEqual(['/draft']);
  });

  test('PATCH and the decision actions: pointers into the branch the body chose', async () => {
    const t = await submitted();
    const call = (method: string, path: string, token: string, body: unknown) =>
      stack.call(method, `/v1/transfers/${t.id}${path}`, { token, body });
    const patch = await call('PATCH', '', tokens.applicant!, { recipient: { contactEmail: 'not-an-email' } });
    expect(patch.status).toBe(400);
    expect(pointers(patch)).toEqual(['/recipient/contactEmail']);

    // request_supplement needs items, each naming exactly one material or field
    const noItems = await call('POST', '/completeness', tokens.reviewer!, { decision: 'request_supplement' });
    expect(noItems.status).toBe(400);
    expect(pointers(noItems)).toEqual(['/items']);
    const badItem = await call('POST', '/completeness', tokens.reviewer!, {
      decision: 'request_supplement',
      items: [
        { field: 'purpose', request: 'more' },
        { material: 'passport', request: 'the scan' },
      ],
    });
    expect(badItem.status).toBe(400);
    expect(pointers(badItem)).toEqual(['/items/1/material']);
    const noReason = await call('POST', '/completeness', tokens.reviewer!, {
      decision: 'refuse',
      reason: ' ',
    });
    expect(noReason.status).toBe(400);
    expect(pointers(noReason)).toEqual(['/reason']);

    // the other actions' cross-field rules, answered before the phase is looked at
    for (const [path, body, expected] of [
      ['/risk-decision', { decision: 'approve_with_conditions', conditions: [] }, ['/conditions']],
      ['/risk-decision', { decision: 'not_passed' }, ['/reason']],
      ['/supervise', { kind: 'rectification_order', reason: 'logs' }, ['/deadline']],
      [
        '/supervise',
        { kind: 'fine', reason: 'late', amount: { amount: 0, currency: 'CNY' } },
        ['/amount/amount'],
      ],
      ['/supervise', { kind: 'warning', reason: 'late', deadline: '2030-01-01' }, ['/deadline']],
      ['/supervise', { kind: 'ban', reason: 'x' }, ['/kind']],
      ['/filing-decision', { decision: 'return' }, ['/reason']],
      [
        '/review',
        {
          decision: 'complete',
          checklist: [{ item: 'purpose', result: 'concern' }],
        },
        ['/checklist', '/checklist/0/note'],
      ],
    ] as const) {
      const res = await call('POST', path, tokens.reviewer!, body);
      expect({ path, body, status: res.status, pointers: [...new Set(pointers(res))].sort() }).toEqual({
        path,
        body,
        status: 400,
        pointers: [...expected].sort(),
      });
    }
  });
});

describe('drafts', () => {
  test('a draft is saved without a clock, edited with PATCH, then submitted', async () => {
    const created = await stack.call('POST', '/v1/transfers', {
      token: tokens.applicant,
      body: { draft: true, title: 'draft one', exporter: { org: 'acme' } },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      status: 'draft',
      phase: 'application',
      deadlines: [],
      awaiting: [{ role: 'applicant', action: 'submit' }],
    });
    const id = created.body.id as string;

    const early = await stack.call('POST', `/v1/transfers/${id}/submit`, {
      token: tokens.applicant,
      body: {},
    });
    // the (empty) request is well-formed; the draft is not ready: a rule, not the shape
    expect(early.status).toBe(422);
    expect(early.body.errors.map((e: { pointer: string }) => e.pointer)).toContain('/application/purpose');

    const { title: _t, ...rest } = sampleApplication();
    const patched = await stack.call('PATCH', `/v1/transfers/${id}`, { token: tokens.applicant, body: rest });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      status: 'draft',
      title: 'draft one',
      application: { purpose: rest.purpose },
    });

    expect((await stack.call('GET', `/v1/transfers/${id}`, { token: tokens.reviewer })).status).toBe(404);

    const sub = await stack.call('POST', `/v1/transfers/${id}/submit`, { token: tokens.applicant, body: {} });
    expect(sub.status).toBe(200);
    expect(sub.body.status).toBe('completeness_check');
    expect(sub.body.findings.map((f: { material: string }) => f.material)).toEqual(standardContractKinds);

    const late = await stack.call('PATCH', `/v1/transfers/${id}`, {
      token: tokens.applicant,
      body: { title: 'too late' },
    });
    expect(late.status).toBe(409);
    expect(late.body.type).toBe('urn:xborder:problem:wrong-phase');
  });
});

describe('scoping of reads', () => {
  test('GET /v1/transfers/:id answers 404 outside scope, exactly like a missing id; recipients get a redacted view', async () => {
    const t = await submitted();
    const missing = await stack.call('GET', '/v1/transfers/00000000-0000-4000-8000-000000000000', {
      token: tokens.otherApplicant,
    });
    for (const who of ['otherApplicant', 'acmeReviewer', 'otherRecipient']) {
      const res = await stack.call('GET', `/v1/transfers/${t.id}`, { token: tokens[who] });
      expect(res.status).toBe(404);
      expect({ ...res.body, instance: undefined }).toEqual({ ...missing.body, instance: undefined });
    }
    expect((await stack.call('GET', `/v1/transfers/${t.id}`, { token: tokens.reviewer })).status).toBe(200);
    const asRecipient = await stack.call('GET', `/v1/transfers/${t.id}`, { token: tokens.recipient });
    expect(asRecipient.status).toBe(200);
    expect(asRecipient.body.application.materials).toBeUndefined();
    expect(asRecipient.body.application.exporter).toEqual({ name: 'Acme Commerce' });
    expect(asRecipient.body.application.volume).toBeUndefined();
  });

  test('GET /v1/transfers lists only what the caller may see', async () => {
    const t = await submitted();
    const mine = await eventually(async () => {
      const res = await stack.call('GET', '/v1/transfers?pageSize=100', { token: tokens.applicant });
      return res.body.items.some((i: { id: string }) => i.id === t.id) && res;
    });
    expect(mine.status).toBe(200);
    const seen = await eventually(async () => {
      const res = await stack.call(
        'GET',
        '/v1/transfers?status=completeness_check&awaitingMe=true&pageSize=100',
        { token: tokens.reviewer },
      );
      return res.body.items.find((i: { id: string }) => i.id === t.id);
    });
    expect(seen).toMatchObject({
      status: 'completeness_check',
      route: 'standard_contract',
      destinationCountry: 'DE',
      awaitingRole: 'reviewer',
      title: 'Order data to EU fulfilment',
    });
    for (const who of ['otherApplicant', 'acmeReviewer', 'otherRecipient']) {
      const res = await stack.call('GET', '/v1/transfers?pageSize=100', { token: tokens[who] });
      expect(res.body.items.some((i: { id: string }) => i.id === t.id)).toBe(false);
    }
    const bad = await stack.call('GET', '/v1/transfers?pageSize=1000', { token: tokens.applicant });
    expect(bad.status).toBe(400);
  });

  test('GET /v1/transfers pages with nextPageToken', async () => {
    await submitted();
    await submitted();
    const first = await eventually(async () => {
      const res = await stack.call('GET', '/v1/transfers?pageSize=1', { token: tokens.applicant });
      return res.body.nextPageToken && res;
    });
    const second = await stack.call('GET', `/v1/transfers?pageSize=1&pageToken=${first.body.nextPageToken}`, {
      token: tokens.applicant,
    });

    expect(second.status).toBe(200);
    expect(second.body.items[0].id).not.toBe(first.body.items[0].id);
  });

  test('GET /v1/inbox lists what awaits the caller, nearest deadline first', async () => {
    const t = await submitted();
    const inbox = await eventually(async () => {
      const res = await stack.call('GET', '/v1/inbox', { token: tokens.reviewer });
      return res.body.items.some((i: { id: string }) => i.id === t.id) && res.body.items;
    });
    const deadlines = inbox.map((i: { nextDeadline: string }) => i.nextDeadline);
    expect([...deadlines].sort()).toEqual(deadlines);
    const applicantInbox = await stack.call('GET', '/v1/inbox', { token: tokens.applicant });
    expect(applicantInbox.body.items.some((i: { id: string }) => i.id === t.id)).toBe(false);
  });

  test('GET /v1/inbox pages: a page at a time gives the whole inbox once, in order; a token of other filters is a 400', async () => {
    await submitted();
    await submitted();
    const whole = await stack.call('GET', '/v1/inbox?pageSize=100', { token: tokens.reviewer });
    expect(whole.status).toBe(200);
    expect(whole.body.items.length).toBeGreaterThanOrEqual(2);
    expect(whole.body.items[0]).toMatchObject({
      awaitingRole: 'reviewer',
      awaitingAction: expect.any(String),
    });
    const paged: string[] = [];
    let token: string | null = null;
    do {
      const res = await stack.call('GET', `/v1/inbox?pageSize=1${token ? `&pageToken=${token}` : ''}`, {
        token: tokens.reviewer,
      });
      expect(res.status).toBe(200);
      paged.push(...res.body.items.map((i: { id: string }) => i.id));
      token = res.body.nextPageToken;
    } while (token);
    expect(paged).toEqual(whole.body.items.map((i: { id: string }) => i.id));

    const first = await stack.call('GET', '/v1/inbox?pageSize=1', { token: tokens.reviewer });
    const foreign = await stack.call(
      'GET',
      `/v1/inbox?pageSize=1&route=exempt&pageToken=${first.body.nextPageToken}`,
      { token: tokens.reviewer },
    );
    expect(foreign.status).toBe(400);
    expect(foreign.body.errors).toEqual([expect.objectContaining({ pointer: '/query/pageToken' })]);
    const applicants = await stack.call('GET', `/v1/inbox?pageToken=${first.body.nextPageToken}`, {
      token: tokens.applicant,
    });
    expect(applicants.status).toBe(400); // bound to the reviewer's inbox
  });

  test('GET /v1/notifications pages newest first: the pages give the whole list once', async () => {
    await submitted();
    const whole = await stack.call('GET', '/v1/notifications', { token: tokens.reviewer });
    expect(whole.status).toBe(200);
    expect(whole.body.items.length).toBeGreaterThanOrEqual(2);
    const ids: number[] = [];
    let token: string | null = null;
    do {
      const res = await stack.call(
        'GET',
        `/v1/notifications?pageSize=1${token ? `&pageToken=${token}` : ''}`,
        {
          token: tokens.reviewer,
        },
      );
      ids.push(...res.body.items.map((n: { id: number }) => n.id));
      token = res.body.nextPageToken;
    } while (token && ids.length < whole.body.items.length + 5);
    expect(ids).toEqual(whole.body.items.map((n: { id: number }) => n.id));
    expect([...ids].sort((a, b) => b - a)).toEqual(ids);
  });
});

describe('POST /v1/transfers/:id/completeness', () => {
  test('accept → under_review', async () => {
    const t = await submitted();
    const res = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: { decision: 'accept' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'under_review', phase: 'substantive_review' });
    expect(res.body.decisions.at(-1)).toMatchObject({
      action: 'completeness.accept',
      by: 'rita',
      role: 'reviewer',
    });
    expect(res.body.deadlines.map((d: { step: string }) => d.step)).toEqual(['substantive_review']);
  });

  test('refuse needs a reason; with one → refused (terminal)', async () => {
    const t = await submitted();
    const noReason = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: { decision: 'refuse' },
    });
    expect(noReason.status).toBe(400);
    const res = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: { decision: 'refuse', reason: 'exporter not registered' },
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'refused', phase: 'closed', deadlines: [] });
    const again = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: { decision: 'accept' },
    });
    expect(again.status).toBe(409);
  });

  test('request_supplement → awaiting_supplement (clock paused); supplement answering every item → completeness_check', async () => {
    const t = await submitted();
    const asked = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: {
        decision: 'request_supplement',
        items: [
          { field: 'purpose', request: 'name the carriers' },
          { material: 'pipia_report', request: 'the signed PIPIA' },
        ],
      },
    });
    expect(asked.status).toBe(200);
    expect(asked.body.status).toBe('awaiting_supplement');
    expect(asked.body.awaiting).toEqual([{ role: 'applicant', action: 'supplement' }]);
    expect(
      asked.body.deadlines.find((d: { step: string }) => d.step === 'completeness_decision'),
    ).toMatchObject({ paused: true });
    expect(asked.body.supplementRequests[0].items.map((i: { itemId: string }) => i.itemId)).toEqual([
      'r1-1',
      'r1-2',
    ]);

    const partial = await stack.call('POST', `/v1/transfers/${t.id}/supplement`, {
      token: tokens.applicant,
      body: { responses: [{ itemId: 'r1-1', text: 'DHL' }] },
    });
    expect(partial.status).toBe(422);
    expect(partial.body.errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ detail: 'item r1-2 is not answered' })]),
    );

    const [pipia] = await uploadMaterials(stack, tokens.applicant!, ['pipia_report']);
    const answered = await stack.call('POST', `/v1/transfers/${t.id}/supplement`, {
      token: tokens.applicant,
      body: {
        responses: [
          { itemId: 'r1-1', text: 'DHL and UPS' },
          { itemId: 'r1-2', documentId: pipia!.documentId },
        ],
      },
    });
    expect(answered.status).toBe(200);
    expect(answered.body.status).toBe('completeness_check');
    expect(answered.body.deadlines).toEqual([
      expect.objectContaining({ step: 'completeness_decision', paused: false }),
    ]);
    expect(
      answered.body.application.materials.find((m: { kind: string }) => m.kind === 'pipia_report').documentId,
    ).toBe(pipia!.documentId);
  });

  test('wrong role → 403, wrong phase → 409, the applicant org’s own reviewer → 404, invalid body → 400', async () => {
    const t = await submitted();
    const asApplicant = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.applicant,
      body: { decision: 'accept' },
    });
    expect(asApplicant.status).toBe(403);
    const own = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.acmeReviewer,
      body: { decision: 'accept' },
    });
    expect(own.status).toBe(404);
    const invalid = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: { decision: 'maybe' },
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].pointer).toBe('/decision');
    const supplementNow = await stack.call('POST', `/v1/transfers/${t.id}/supplement`, {
      token: tokens.applicant,
      body: { responses: [{ itemId: 'r1-1', text: 'x' }] },
    });
    expect(supplementNow.status).toBe(409);
  });

  test('the workflow validator is the last word: a refused update leaves no trace in history', async () => {
    const t = await submitted();
    const handle = stack.client.workflow.getHandle(`transfer-${t.id}`);
    const meaningful = async () => (await meaningfulHistory(stack, t.id)).length;
    const before = await meaningful();
    const { completenessUpdate } = await import('../../workflows/messages');
    await expect(
      handle.executeUpdate(completenessUpdate, { args: [{ actor: applicant, decision: 'accept' }] }),
    ).rejects.toMatchObject({ cause: { type: 'forbidden-role' } });
    await expect(
      handle.executeUpdate(completenessUpdate, { args: [{ actor: acmeReviewer, decision: 'accept' }] }),
    ).rejects.toMatchObject({ cause: { type: 'not-found' } });
    expect(await meaningful()).toBe(before);
    expect((await stack.gateway.get(t.id)).status).toBe('completeness_check');
  });

  test('two reviewers racing the same decision: exactly one succeeds', async () => {
    const t = await submitted();
    const other = await stack.token({ sub: 'rob', role: 'reviewer', org: 'regulator' });
    const results = await Promise.all([
      stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
        token: tokens.reviewer,
        body: { decision: 'accept' },
      }),
      stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
        token: other,
        body: { decision: 'refuse', reason: 'no' },
      }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    const state = await stack.gateway.get(t.id);
    expect(state.decisions.filter((d) => d.action.startsWith('completeness'))).toHaveLength(1);
  });

  test('a retried decision with the same Idempotency-Key is applied once and answered the same', async () => {
    const t = await submitted();
    const headers = { 'Idempotency-Key': `accept-${t.id}` };
    const a = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: { decision: 'accept' },
      headers,
    });
    const b = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: { decision: 'accept' },
      headers,
    });
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(b.body.status).toBe('under_review');
    expect(
      b.body.decisions.filter((d: { action: string }) => d.action === 'completeness.accept'),
    ).toHaveLength(1);
    const reused = await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
      token: tokens.reviewer,
      body: { decision: 'refuse', reason: 'x' },
      headers,
    });
    expect(reused.status).toBe(422);
    expect(reused.body.type).toBe('urn:xborder:problem:idempotency-key-reuse');
    expect((await stack.gateway.get(t.id)).status).toBe('under_review');
  });
});

describe('POST /v1/transfers/:id/withdraw', () => {
  test('the applicant withdraws with a reason; afterwards nothing else is possible', async () => {
    const t = await submitted();
    const res = await stack.call('POST', `/v1/transfers/${t.id}/withdraw`, {
      token: tokens.applicant,
      body: { reason: 'business case dropped' },
    });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('withdrawn');
    expect(
      (
        await stack.call('POST', `/v1/transfers/${t.id}/completeness`, {
          token: tokens.reviewer,
          body: { decision: 'accept' },
        })
      ).status,
    ).toBe(409);
    expect((await stack.call('GET', `/v1/transfers/${t.id}`, { token: tokens.applicant })).body.status).toBe(
      'withdrawn',
    );
  });
});

describe('search attributes', () => {
  test('carry opaque ids and statuses only', async () => {
    const t = await submitted();
    const desc = await stack.client.workflow.getHandle(`transfer-${t.id}`).describe();
    const attrs = Object.fromEntries(desc.typedSearchAttributes.getAll().map((p) => [p.key.name, p.value]));
    expect(attrs).toMatchObject({
      TransferStatus: 'completeness_check',
      TransferPhase: 'completeness',
      TransferRoute: 'standard_contract',
      ApplicantOrg: 'acme',
      RecipientId: 'eu-fulfil',
      DestinationCountry: 'DE',
      AwaitingRole: 'reviewer',
      Overdue: false,
    });
    expect(attrs.NextDeadline).toBeInstanceOf(Date);
    expect(JSON.stringify(attrs)).not.toMatch(/EU Fulfil GmbH|dpo@|Acme Commerce|Fulfilment/);
  });
});
