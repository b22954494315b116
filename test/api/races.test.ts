/**
 * No run is ever left open (REVIEW.md E1 and its siblings): a terminal action that lands while the workflow waits
 * on an activity still ends the execution, and the audit trail holds both decisions. A transfer closed from
 * outside (cancelled or terminated in the Temporal UI/CLI) is `cancelled` and in nobody's inbox.
 */
import { Driver, checklist, rita, today } from '../drive';
import { applicant, eventually, recipient, startStack, type Stack } from '../helpers';

jest.setTimeout(180_000);

const SLOW_MS = 3_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let stack: Stack;
let drive: Driver;

beforeAll(async () => {
  const slow =
    <A extends unknown[], R>(fn: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R> => {
      await sleep(SLOW_MS);
      return fn(...a);
    };
  stack = await startStack({
    wrapActivities: (a) => ({
      ...a,
      scoreRisk: slow((i: Parameters<typeof a.scoreRisk>[0]) => a.scoreRisk(i)),
      issueFilingNumber: slow((i: Parameters<typeof a.issueFilingNumber>[0]) => a.issueFilingNumber(i)),
    }),
  });
  drive = new Driver(stack);
});
afterAll(() => stack.stop());

const handle = (id: string) => stack.client.workflow.getHandle(`transfer-${id}`);
const post = async (id: string, action: string, actor: Parameters<Driver['token']>[0], body: unknown) =>
  stack.call('POST', `/v1/transfers/${id}/${action}`, { token: await drive.token(actor), body });

/** The execution ends (not Running) within the time a worker needs; its final status. */
async function closed(id: string): Promise<string> {
  return eventually(async () => {
    const status = (await handle(id).describe()).status.name;
    return status !== 'RUNNING' && status;
  }, 30_000);
}

const chainActions = async (id: string) => (await stack.store.audit.chain(id)).map((e) => e.action);

describe('a terminal action while the workflow awaits an activity', () => {
  test('withdraw while the risk score is computed (E1): both 200, the execution completes, both decisions in the audit trail', async () => {
    const id = await drive.reach('under_review');
    const review = post(id, 'review', rita, { checklist, decision: 'complete' });
    await sleep(800);
    const withdraw = await post(id, 'withdraw', applicant, { reason: 'changed plans' });
    expect(withdraw.status).toBe(200);
    expect((await review).status).toBe(200);
    expect(await closed(id)).toBe('COMPLETED');
    expect((await drive.view(id)).status).toBe('withdrawn');
    await eventually(async () => (await chainActions(id)).includes('withdraw'));
    const actions = await chainActions(id);
    expect(actions.filter((a) => a.startsWith('review')).length).toBe(1);
    expect(actions.filter((a) => a === 'withdraw').length).toBe(1);
  });

  test('revoke while a reported change is scored: the execution completes as revoked, both decisions recorded', async () => {
    const id = await drive.reach('active');
    const change = post(id, 'report-change', applicant, {
      changes: [{ kind: 'retention', description: 'shorter' }],
      application: { transfer: { retentionDays: 90 } },
    });
    await sleep(800);
    const revoke = await post(id, 'supervise', rita, { kind: 'revoke', reason: 'repeated violations' });
    expect(revoke.status).toBe(200);
    expect((await change).status).toBe(200);
    expect(await closed(id)).toBe('COMPLETED');
    expect((await drive.view(id)).status).toBe('revoked');
    await eventually(async () => (await chainActions(id)).some((a) => a.includes('revoke')));
    const actions = await chainActions(id);
    expect(actions.filter((a) => a.startsWith('report_change')).length).toBe(1);
    expect(actions.filter((a) => a.includes('revoke')).length).toBe(1);
  });

  test('actions while the filing number is issued: one number, the transfer active, the late ones refused', async () => {
    const id = await drive.reach('filing_review');
    const accept = post(id, 'filing-decision', rita, { decision: 'accept' });
    await sleep(800);
    const late = await Promise.all([
      post(id, 'withdraw', applicant, { reason: 'the recipient was sold' }),
      post(id, 'filing-decision', rita, { decision: 'accept' }),
    ]);
    const accepted = await accept;
    expect(accepted.status).toBe(200);
    expect(accepted.body.status).toBe('active');
    expect(accepted.body.filingNumber).toMatch(/^XB-\d{4}-\d{6}$/);
    expect(late.map((r) => r.status)).toEqual([409, 409]);
    const view = await drive.view(id);
    expect(view.status).toBe('active');
    expect(view.filingNumber).toBe(accepted.body.filingNumber);
    expect((await handle(id).describe()).status.name).toBe('RUNNING');
    await eventually(async () => (await chainActions(id)).includes('filing_decision.accept'));
    expect((await chainActions(id)).filter((a) => a === 'filing_decision.accept').length).toBe(1);
  });
});

describe('closed from outside', () => {
  const inInbox = async (id: string, actor: Parameters<Driver['token']>[0]) => {
    const res = await stack.call('GET', '/v1/inbox', { token: await drive.token(actor) });
    expect(res.status).toBe(200);
    return (res.body.items as { id: string }[]).some((i) => i.id === id);
  };

  test('Request Cancellation (UI/CLI): the transfer is cancelled, recorded, in no inbox', async () => {
    const id = await drive.reach('under_review');
    await eventually(() => inInbox(id, rita));
    await handle(id).cancel();
    expect(await closed(id)).toBe('CANCELLED');
    const view = await drive.view(id);
    expect(view.status).toBe('cancelled');
    expect(view.awaiting).toEqual([]);
    expect(view.deadlines).toEqual([]);
    await eventually(async () => (await chainActions(id)).includes('cancel_execution'));
    const entry = (await stack.store.audit.chain(id)).find((e) => e.action === 'cancel_execution')!;
    expect(entry.actor).toBe('temporal');
    await eventually(async () => !(await inInbox(id, rita)));
    const list = await stack.call('GET', `/v1/transfers?status=cancelled`, {
      token: await drive.token(applicant),
    });
    expect(list.status).toBe(200);
  });

  test('termination (no workflow code runs): reads say cancelled, no inbox offers it', async () => {
    const id = await drive.reach('awaiting_signature');
    await eventually(() => inInbox(id, recipient));
    await handle(id).terminate('operator cleanup');
    expect(await closed(id)).toBe('TERMINATED');
    const view = await drive.view(id);
    expect(view.status).toBe('cancelled');
    expect(view.awaiting).toEqual([]);
    await eventually(async () => !(await inInbox(id, recipient)));
    const sign = await post(id, 'sign', recipient, {
      documentId: `sha256:${'a'.repeat(64)}`,
      signerName: 'Erika Muster',
      signerTitle: 'Managing Director',
      signedAt: today(),
    });
    expect(sign.status).toBe(409);
  });
});
