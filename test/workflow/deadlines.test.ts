/**
 * transferWorkflow's clocks on the time-skipping test server (the pinned `temporal-test-server`): weeks of
 * working days pass in seconds.
 */
import { act, query, startTimeSkipping, startTransfer, type TimeSkipping } from '../time-skipping';
import { applicant, reviewer } from '../fixtures';
import type { Actor } from '../../domain/authz';

let ts: TimeSkipping;

beforeAll(async () => {
  ts = await startTimeSkipping();
});
afterAll(async () => {
  await ts.stop();
});

async function submittedTransfer() {
  const handle = await startTransfer(ts);
  await act(handle, 'submit', { actor: applicant });
  return handle;
}

/** Notifications about deadlines (tasks and decisions are notified too, and tested in test/api/evidence.test.ts). */
const deadlineNotices = async (actor: Actor, transferId: string) =>
  (await ts.store.notifications.forActor(actor)).filter(
    (n) => n.transferId === transferId && n.kind !== 'task' && n.kind !== 'decision',
  );

describe('deadlines', () => {
  test('supplement answer: no answer within 10 working days → terminated', async () => {
    const handle = await submittedTransfer();
    await act(handle, 'completeness', {
      actor: reviewer,
      decision: 'request_supplement',
      items: [{ field: 'purpose', request: 'be precise' }],
    });
    const final = await handle.result();
    expect(final.status).toBe('terminated');
    expect(final.decisions.at(-1)).toMatchObject({ action: 'deadline.supplement_answer', by: 'system' });
    expect(final.supplementRequests[0]?.status).toBe('expired');
    expect(await deadlineNotices(applicant, final.id)).toEqual([
      expect.objectContaining({ kind: 'deadline.supplement_answer', audience: 'applicant' }),
    ]);
    const asked = Date.parse(final.supplementRequests[0]!.requestedAt);
    const ended = Date.parse(final.decisions.at(-1)!.at);
    const dueAt = Date.parse(final.supplementRequests[0]!.dueAt!);
    expect(ended).toBeGreaterThanOrEqual(dueAt);
    expect(ended).toBeLessThan(dueAt + 60_000);
    expect(ended - asked).toBeGreaterThanOrEqual(12 * 86_400_000); // 10 working days span at least two weekends
  });

  test('supplement answer: answered in time → back to completeness_check, clock resumed', async () => {
    const handle = await submittedTransfer();
    await act(handle, 'completeness', {
      actor: reviewer,
      decision: 'request_supplement',
      items: [{ field: 'purpose', request: 'be precise' }],
    });
    await ts.env.sleep('6 days');
    const state = await act(handle, 'supplement', {
      actor: applicant,
      responses: [{ itemId: 'r1-1', text: 'orders only' }],
    });
    expect(state.status).toBe('completeness_check');
    expect(state.deadlines).toEqual([
      expect.objectContaining({ step: 'completeness_decision', paused: false, overdue: false }),
    ]);
  });

  test('completeness decision: a missed reviewer deadline flags and escalates, and decides nothing', async () => {
    const handle = await submittedTransfer();
    await ts.env.sleep('10 days');
    const state = await query(handle);
    expect(state.status).toBe('completeness_check');
    expect(state.deadlines[0]).toMatchObject({ step: 'completeness_decision', overdue: true });
    expect(state.escalations).toEqual([expect.objectContaining({ step: 'completeness_decision' })]);
    // the escalation went to the reviewers' notification outbox, once
    const notices = await deadlineNotices(reviewer, state.id);
    expect(notices).toEqual([expect.objectContaining({ kind: 'overdue', audience: 'reviewer' })]);
    expect(await deadlineNotices(applicant, state.id)).toEqual([]);
    const refused = await act(handle, 'completeness', {
      actor: reviewer,
      decision: 'refuse',
      reason: 'late, but refused on the merits',
    });
    expect(refused.status).toBe('refused');
    expect((await handle.result()).status).toBe('refused');
  });

  test('completeness decision: decided in time → no escalation', async () => {
    const handle = await submittedTransfer();
    await ts.env.sleep('2 days');
    const state = await act(handle, 'completeness', { actor: reviewer, decision: 'accept' });
    expect(state.status).toBe('under_review');
    expect(state.escalations).toEqual([]);
  });
});
