/** From submission to `active` over HTTP, driven only through API.md actions, with several identities. */
import {
  applicant,
  eventually,
  recipient,
  reviewer,
  sampleApplication,
  standardContractKinds,
  startStack,
  uploadMaterials,
  type Stack,
} from '../helpers';
import { checklist, today } from '../drive';

let stack: Stack;
let A: string; // applicant
let R: string; // reviewer rita
let R2: string; // reviewer rob
let R3: string; // reviewer rosa
let P: string; // recipient

beforeAll(async () => {
  stack = await startStack();
  A = await stack.token(applicant);
  R = await stack.token(reviewer);
  R2 = await stack.token({ sub: 'rob', role: 'reviewer', org: 'regulator' });
  R3 = await stack.token({ sub: 'rosa', role: 'reviewer', org: 'audit-firm' });
  P = await stack.token(recipient);
});
afterAll(async () => {
  await stack.stop();
});

async function post(path: string, token: string, body: unknown = {}) {
  const res = await stack.call('POST', path, { token, body });
  if (res.status !== 200 && res.status !== 201)
    throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

async function signAndFile(id: string, conditions: boolean) {
  const signed = await stack.call('POST', '/v1/documents', {
    token: P,
    body: `signed agreement for ${id}`,
    headers: { 'content-type': 'text/plain' },
  });
  let t = await post(`/v1/transfers/${id}/sign`, P, {
    documentId: signed.body.id,
    signerName: 'Erika Muster',
    signerTitle: 'Managing Director',
    signedAt: today(),
  });
  expect(t.agreement).toMatchObject({ signedDocumentId: signed.body.id, signer: 'Erika Muster' });
  if (conditions) {
    expect(t.awaiting).toEqual([{ role: 'recipient', action: 'acknowledge-conditions' }]);
    t = await post(`/v1/transfers/${id}/acknowledge-conditions`, P);
  }
  expect(t.awaiting).toEqual([{ role: 'applicant', action: 'countersign' }]);
  t = await post(`/v1/transfers/${id}/countersign`, A);
  expect(t).toMatchObject({ status: 'filing_review', awaiting: [{ role: 'applicant', action: 'file' }] });
  t = await post(`/v1/transfers/${id}/file`, A, { effectiveDate: today() });
  expect(t.awaiting).toEqual([{ role: 'reviewer', action: 'filing-decision' }]);
  t = await post(`/v1/transfers/${id}/filing-decision`, R, { decision: 'accept' });
  return t;
}

describe('happy paths to active', () => {
  test('standard contract: review → low risk approve → sign → countersign → file → accepted with a filing number', async () => {
    const materials = await uploadMaterials(stack, A, standardContractKinds);
    let t = await post('/v1/transfers', A, sampleApplication({ materials: materials as never }));
    const id = t.id as string;
    t = await post(`/v1/transfers/${id}/completeness`, R, { decision: 'accept' });
    expect(t.awaiting).toEqual([{ role: 'reviewer', action: 'review' }]);
    t = await post(`/v1/transfers/${id}/review`, R, { checklist, decision: 'complete' });
    expect(t.status).toBe('risk_assessment');
    expect(t.risk).toMatchObject({ level: 'low', gates: [] });
    expect(t.risk.factors.map((f: { factor: string }) => f.factor)).toEqual([
      'destination',
      'sensitivity',
      'volume',
      'recipient_capability',
      'onward_transfers',
      'mitigation',
    ]);
    t = await post(`/v1/transfers/${id}/risk-decision`, R, { decision: 'approve' });
    expect(t.status).toBe('awaiting_signature');
    expect(t.agreement.digest).toMatch(/^[0-9a-f]{64}$/);
    const agreement = await stack.call('GET', `/v1/documents/${t.agreement.documentId}`, { token: P });
    expect(agreement.status).toBe(200);
    expect(agreement.body).toContain('EU Fulfil GmbH');

    t = await signAndFile(id, false);
    expect(t.status).toBe('active');
    expect(t.filingNumber).toMatch(/^XB-\d{4}-\d{6}$/);
    expect(t.validity.until.slice(0, 4)).toBe(String(new Date(t.validity.from).getUTCFullYear() + 3)); // 36-month term
    expect(Date.parse(t.validity.extensionWindowOpensAt)).toBeLessThan(Date.parse(t.validity.until));
    const seen = await eventually(async () =>
      (await stack.call('GET', `/v1/transfers?status=active`, { token: A })).body.items.find(
        (i: { id: string }) => i.id === id,
      ),
    );
    expect(seen.riskLevel).toBe('low');
  });

  test('security assessment, high risk: four-eyes on the risk decision, conditions acknowledged by the recipient', async () => {
    const kinds = [
      'declaration_form',
      'self_assessment_report',
      'legal_documents',
      'business_licence',
      'legal_representative_id',
      'authorisation_letter',
    ];
    const uploaded = await uploadMaterials(stack, A, kinds);
    const materials = uploaded.map((m) =>
      m.kind === 'self_assessment_report' ? { ...m, issuedOn: today() } : m,
    );
    const app = sampleApplication({
      recipient: {
        id: 'eu-fulfil',
        name: 'EU Fulfil GmbH',
        country: 'BR',
        contactEmail: 'dpo@eufulfil.example',
        certifications: [],
      },
      dataCategories: [{ category: 'health records', sensitive: true, fields: ['diagnosis'] }],
      volume: { individualsYtd: 2_000_000, sensitiveIndividualsYtd: 20_000, importantData: false },
      materials: materials as never,
    });
    let t = await post('/v1/transfers', A, app);
    const id = t.id as string;
    expect(t.route.route).toBe('security_assessment');
    await post(`/v1/transfers/${id}/completeness`, R, { decision: 'accept' });
    t = await post(`/v1/transfers/${id}/review`, R, {
      checklist: checklist.map((c) =>
        c.item === 'destination_environment'
          ? { ...c, result: 'concern', note: 'onward access by authorities' }
          : c,
      ),
      decision: 'complete',
    });
    expect(['high', 'critical']).toContain(t.risk.level);

    const same = await stack.call('POST', `/v1/transfers/${id}/risk-decision`, {
      token: R,
      body: { decision: 'approve_with_conditions', conditions: ['annual audit'] },
    });
    expect(same.status).toBe(422);
    expect(same.body.type).toBe('urn:xborder:problem:separation-of-duties');
    const plain = await stack.call('POST', `/v1/transfers/${id}/risk-decision`, {
      token: R2,
      body: { decision: 'approve' },
    });
    expect(plain.status).toBe(422);

    // DOMAIN.md: a critical transfer needs two distinct approving reviewers, a high one a single one; the
    // first approver cannot count twice
    const critical = t.risk.level === 'critical';
    const first = await post(`/v1/transfers/${id}/risk-decision`, R2, {
      decision: 'approve_with_conditions',
      conditions: ['annual third-party audit', 'pseudonymise diagnosis codes'],
    });
    const riskDecision = (token: string, conditions: string[]) =>
      stack.call('POST', `/v1/transfers/${id}/risk-decision`, {
        token,
        body: { decision: 'approve_with_conditions', conditions },
      });
    const sameAgain = critical ? (await riskDecision(R2, ['x'])).status : undefined;
    const second = critical ? await riskDecision(R3, ['quarterly access log review']) : undefined;
    expect({ first: first.status, sameAgain, second: second?.status }).toEqual(
      critical
        ? { first: 'risk_assessment', sameAgain: 422, second: 200 }
        : { first: 'awaiting_signature', sameAgain: undefined, second: undefined },
    );
    t = second?.body ?? first;
    expect(t.status).toBe('awaiting_signature');
    expect(t.conditions.map((c: { text: string }) => c.text)).toContain('annual third-party audit');
    expect((await stack.call('POST', `/v1/transfers/${id}/countersign`, { token: A, body: {} })).status).toBe(
      409,
    );

    t = await signAndFile(id, true);
    expect(t.status).toBe('active');
    expect(t.validity).not.toBeNull();
  });
});

describe('not passed and re-review', () => {
  test('not_passed → re-review request → decided by someone not involved', async () => {
    const materials = await uploadMaterials(stack, A, standardContractKinds);
    const { id } = await post('/v1/transfers', A, sampleApplication({ materials: materials as never }));
    await post(`/v1/transfers/${id}/completeness`, R, { decision: 'accept' });
    await post(`/v1/transfers/${id}/review`, R, { checklist, decision: 'complete' });
    let t = await post(`/v1/transfers/${id}/risk-decision`, R2, {
      decision: 'not_passed',
      reason: 'the recipient cannot show deletion at term end',
    });
    expect(t).toMatchObject({
      status: 'not_passed',
      awaiting: [{ role: 'applicant', action: 'request-re-review' }],
    });
    expect(t.deadlines.map((d: { step: string }) => d.step)).toEqual(['re_review_request']);
    t = await post(`/v1/transfers/${id}/request-re-review`, A, { reason: 'deletion certificate attached' });
    expect(t.status).toBe('re_review');
    for (const involved of [R, R2]) {
      const res = await stack.call('POST', `/v1/transfers/${id}/re-review-decision`, {
        token: involved,
        body: { decision: 'approve', reason: 'ok' },
      });
      expect(res.status).toBe(422);
    }
    t = await post(`/v1/transfers/${id}/re-review-decision`, R3, {
      decision: 'reject',
      reason: 'certificate does not cover backups',
    });
    expect(t.status).toBe('rejected');
  });

  test('a filing returned with reasons is filed again', async () => {
    const materials = await uploadMaterials(stack, A, standardContractKinds);
    const { id } = await post('/v1/transfers', A, sampleApplication({ materials: materials as never }));
    await post(`/v1/transfers/${id}/completeness`, R, { decision: 'accept' });
    await post(`/v1/transfers/${id}/review`, R, { checklist, decision: 'complete' });
    await post(`/v1/transfers/${id}/risk-decision`, R, { decision: 'approve' });
    const signed = await stack.call('POST', '/v1/documents', {
      token: P,
      body: `signed ${id}`,
      headers: { 'content-type': 'text/plain' },
    });
    await post(`/v1/transfers/${id}/sign`, P, {
      documentId: signed.body.id,
      signerName: 'E',
      signerTitle: 'MD',
      signedAt: today(),
    });
    await post(`/v1/transfers/${id}/countersign`, A);
    await post(`/v1/transfers/${id}/file`, A, { effectiveDate: today() });
    let t = await post(`/v1/transfers/${id}/filing-decision`, R, {
      decision: 'return',
      reason: 'the signed copy misses page 3',
    });
    expect(t).toMatchObject({ status: 'filing_returned', awaiting: [{ role: 'applicant', action: 'file' }] });
    expect(t.deadlines.map((d: { step: string }) => d.step)).toEqual(['filing_resubmission']);
    t = await post(`/v1/transfers/${id}/file`, A, { effectiveDate: today() });
    expect(t.status).toBe('filing_review');
    t = await post(`/v1/transfers/${id}/filing-decision`, R, { decision: 'accept' });
    expect(t.status).toBe('active');
  });
});

describe('supervision over HTTP', () => {
  test('incidents, a change that stays on its route, measures, and the hash-chained history', async () => {
    const materials = await uploadMaterials(stack, A, standardContractKinds);
    const { id } = await post('/v1/transfers', A, sampleApplication({ materials: materials as never }));
    await post(`/v1/transfers/${id}/completeness`, R, { decision: 'accept' });
    await post(`/v1/transfers/${id}/review`, R, { checklist, decision: 'complete' });
    await post(`/v1/transfers/${id}/risk-decision`, R, { decision: 'approve' });
    let t = await signAndFile(id, false);
    expect(t.status).toBe('active');

    t = await post(`/v1/transfers/${id}/report-incident`, A, {
      severity: 'medium',
      occurredAt: new Date(Date.now() - 3600_000).toISOString(),
      description: 'a misrouted export file',
    });
    expect(t.supervision.incidents).toHaveLength(1);

    t = await post(`/v1/transfers/${id}/report-change`, A, {
      changes: [{ kind: 'retention', description: 'shorter' }],
      application: { transfer: { retentionDays: 90 } },
    });
    expect(t.status).toBe('change_review');
    expect(t.change.diff).toEqual([{ path: 'transfer.retentionDays', before: 365, after: 90 }]);
    expect(t.change.risk).not.toBeNull();
    const recipientView = await stack.call('GET', `/v1/transfers/${id}`, { token: P });
    expect(recipientView.body.change).toBeNull();
    t = await post(`/v1/transfers/${id}/change-decision`, R2, {
      decision: 'accept',
      reason: 'less retention, less risk',
    });
    expect(t).toMatchObject({ status: 'active', application: { transfer: { retentionDays: 90 } } });

    const crossing = await post(`/v1/transfers/${id}/report-change`, A, {
      changes: [{ kind: 'scope', description: 'all customers' }],
      application: { volume: { individualsYtd: 3_000_000 } },
    });
    expect(crossing.change.route.route).toBe('security_assessment');
    const refused = await stack.call('POST', `/v1/transfers/${id}/change-decision`, {
      token: R2,
      body: { decision: 'accept', reason: 'fine' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body.detail).toMatch(/re-routes/);
    t = await post(`/v1/transfers/${id}/change-decision`, R2, {
      decision: 'require_new_application',
      reason: 'crosses the security-assessment threshold',
    });
    expect(t.status).toBe('active');
    expect(t.application.volume.individualsYtd).toBe(250_000);

    t = await post(`/v1/transfers/${id}/supervise`, R, {
      kind: 'fine',
      reason: 'late incident notice',
      amount: { amount: 50_000, currency: 'CNY' },
    });
    expect(t.status).toBe('active');
    expect(t.supervision.actions.at(-1)).toMatchObject({
      kind: 'fine',
      amount: { amount: 50_000, currency: 'CNY' },
    });
    expect(
      (
        await stack.call('POST', `/v1/transfers/${id}/supervise`, {
          token: A,
          body: { kind: 'warning', reason: 'x' },
        })
      ).status,
    ).toBe(403);
    expect(
      (
        await stack.call('POST', `/v1/transfers/${id}/supervise`, {
          token: R,
          body: { kind: 'resume', reason: 'x' },
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await stack.call('POST', `/v1/transfers/${id}/request-extension`, {
          token: A,
          body: { expectedIndividuals: 1 },
        })
      ).status,
    ).toBe(409);

    const history = await stack.call('GET', `/v1/transfers/${id}/history`, { token: R });
    expect(history.status).toBe(200);
    const entries = history.body.entries as {
      seq: number;
      action: string;
      hash: string;
      prevHash: string | null;
      actor: string;
    }[];
    expect(entries[0]).toMatchObject({ seq: 1, action: 'submit', actor: 'alice', prevHash: null });
    entries.slice(1).forEach((e, i) => expect(e.prevHash).toBe(entries[i]!.hash));
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['filing_number_issued', 'change_decision.accept', 'supervise.fine']),
    );
    expect((await stack.call('GET', `/v1/transfers/${id}/history`, { token: P })).status).toBe(403);
  });
});

describe('reminders before applicant deadlines', () => {
  test('the sweep writes one reminder when 2 working days are left, and never twice', async () => {
    const materials = await uploadMaterials(stack, A, standardContractKinds);
    const { id } = await post('/v1/transfers', A, sampleApplication({ materials: materials as never }));
    const asked = await post(`/v1/transfers/${id}/completeness`, R, {
      decision: 'request_supplement',
      items: [{ field: 'purpose', request: 'be precise' }],
    });
    const due = Date.parse(
      asked.deadlines.find((d: { step: string }) => d.step === 'supplement_answer').dueAt,
    );
    const { createActivities } = await import('../../activities');
    const activities = createActivities({ store: stack.store, client: stack.client });
    const mine = async () =>
      (await stack.call('GET', '/v1/notifications', { token: A })).body.items.filter(
        (n: { transferId: string; kind: string }) => n.transferId === id && n.kind === 'reminder',
      );

    await eventually(async () =>
      (await stack.call('GET', `/v1/transfers?status=awaiting_supplement`, { token: A })).body.items.some(
        (i: { id: string }) => i.id === id,
      ),
    );
    await activities.sweepReminders({ taskQueue: stack.taskQueue, nowMs: Date.now() });
    expect(await mine()).toEqual([]); // 10 working days left: too early
    await activities.sweepReminders({ taskQueue: stack.taskQueue, nowMs: due - 36 * 3600_000 }); // a day and a half before: ≤ 2 working days left
    await activities.sweepReminders({ taskQueue: stack.taskQueue, nowMs: due - 30 * 3600_000 });
    const reminders = await mine();
    expect(reminders).toHaveLength(1);
    expect(reminders[0].message).toMatch(/^supplement_answer is due/);
    expect(
      (await stack.call('GET', '/v1/notifications', { token: R })).body.items.some(
        (n: { transferId: string; kind: string }) => n.transferId === id && n.kind === 'reminder',
      ),
    ).toBe(false);
  });
});
