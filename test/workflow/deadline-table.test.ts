/**
 * Every row of DOMAIN.md's deadline table past completeness, met and missed, on the time-skipping server.
 * (Completeness and supplementation rows: deadlines.test.ts; report and expiry met: long-life.test.ts.)
 */
import type { Actor } from '../../domain/authz';
import {
  act,
  driveTo,
  query,
  shanghaiDay,
  startTimeSkipping,
  startTransfer,
  type TimeSkipping,
} from '../time-skipping';
import { applicant, recipient, reviewer, sampleApplication } from '../fixtures';

let ts: TimeSkipping;
const DAY = 86_400_000;
const rob: Actor = { sub: 'rob', role: 'reviewer', org: 'regulator' };
const rosa: Actor = { sub: 'rosa', role: 'reviewer', org: 'audit-firm' };

beforeAll(async () => {
  ts = await startTimeSkipping();
});
afterAll(async () => {
  await ts.stop();
});

const sleepDays = (n: number) => ts.env.sleep(n * DAY);

describe('substantive review + risk decision (45 WD, reviewer)', () => {
  test('missed: flagged overdue and escalated, nothing decided', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'under_review');
    await sleepDays(70);
    const s = await query(h);
    expect(s.status).toBe('under_review');
    expect(s.deadlines.find((d) => d.step === 'substantive_review')).toMatchObject({ overdue: true });
    expect(s.escalations).toEqual([expect.objectContaining({ step: 'substantive_review' })]);
  });

  test('met, with an extension granted with a reason: no escalation', async () => {
    const h = await startTransfer(ts);
    const s0 = await driveTo(h, 'under_review');
    const due0 = s0.deadlines.find((d) => d.step === 'substantive_review')!.dueAt!;
    const ext = await act(h, 'extend_review', {
      actor: reviewer,
      workingDays: 10,
      reason: 'awaiting a foreign-law opinion',
    });
    const due1 = ext.deadlines.find((d) => d.step === 'substantive_review')!;
    expect(Date.parse(due1.dueAt!)).toBeGreaterThan(Date.parse(due0));
    expect(due1.extensions).toEqual([
      expect.objectContaining({ workingDays: 10, reason: 'awaiting a foreign-law opinion' }),
    ]);
    await sleepDays(60); // past the original 45 WD, within the extended period
    const s = await act(h, 'review', {
      actor: reviewer,
      decision: 'complete',
      checklist: (await import('../time-skipping')).fullChecklist(),
    });
    expect(s.status).toBe('risk_assessment');
    expect(s.escalations).toEqual([]);
  });
});

describe('re-review request (15 WD, applicant)', () => {
  test('missed: rejected', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'not_passed');
    const final = await h.result();
    expect(final.status).toBe('rejected');
    expect(final.decisions.at(-1)).toMatchObject({ action: 'deadline.re_review_request', by: 'system' });
  });

  test('met: re_review, then a reviewer not involved decides', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'not_passed');
    await sleepDays(10);
    const s = await act(h, 'request_re_review', { actor: applicant, reason: 'new safeguards' });
    expect(s.status).toBe('re_review');
    const approved = await act(h, 're_review_decision', {
      actor: rosa,
      decision: 'approve',
      reason: 'safeguards suffice',
    });
    expect(approved.status).toBe('awaiting_signature');
  });
});

describe('signature and countersignature (30 calendar days)', () => {
  test('missed: lapsed', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'awaiting_signature');
    const final = await h.result();
    expect(final.status).toBe('lapsed');
    const approved = Date.parse(final.approvedAt!);
    const lapsed = Date.parse(final.decisions.at(-1)!.at);
    expect(lapsed - approved).toBeGreaterThanOrEqual(30 * DAY);
    expect(lapsed - approved).toBeLessThanOrEqual(31 * DAY);
  });

  test('met: filing_review', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'awaiting_signature');
    await sleepDays(20);
    const s = await query(h);
    await act(h, 'sign', {
      actor: recipient,
      documentId: `sha256:${'e'.repeat(64)}`,
      signerName: 'E',
      signerTitle: 'MD',
      signedAt: shanghaiDay(Date.parse(s.updatedAt) + 20 * DAY),
    });
    const c = await act(h, 'countersign', { actor: applicant });
    expect(c.status).toBe('filing_review');
  });
});

describe('filing (10 WD from the agreement taking effect, applicant)', () => {
  test('missed: overdue flag and a warning; the applicant can still file', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'filing_review');
    await sleepDays(20);
    const s = await query(h);
    expect(s.status).toBe('filing_review');
    expect(s.escalations).toEqual([
      expect.objectContaining({ step: 'filing', notice: expect.stringMatching(/^warning/) }),
    ]);
    const filed = await act(h, 'file', {
      actor: applicant,
      effectiveDate: shanghaiDay(Date.parse(s.agreement!.countersignedAt!)),
    });
    expect(filed.filing?.filedAt).toBeDefined();
  });

  test('met: no warning', async () => {
    const h = await startTransfer(ts);
    const s = await driveTo(h, 'filed');
    expect(s.escalations).toEqual([]);
    expect(s.deadlines.map((d) => d.step)).toEqual(['filing_check']);
  });
});

describe('filing check (15 WD, reviewer)', () => {
  test('missed: escalation', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'filed');
    await sleepDays(30);
    const s = await query(h);
    expect(s.escalations).toEqual([expect.objectContaining({ step: 'filing_check' })]);
    expect(s.status).toBe('filing_review');
  });

  test('met: active with a filing number', async () => {
    const h = await startTransfer(ts);
    const s = await driveTo(h, 'active');
    expect(s.status).toBe('active');
    expect(s.filingNumber).toMatch(/^XB-\d{4}-\d{6}$/);
  });
});

describe('filing resubmission (10 WD from return, applicant)', () => {
  test('missed: terminated', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'filed');
    await act(h, 'filing_decision', { actor: reviewer, decision: 'return', reason: 'page missing' });
    const final = await h.result();
    expect(final.status).toBe('terminated');
    expect(final.decisions.at(-1)).toMatchObject({ action: 'deadline.filing_resubmission' });
  });

  test('met: back in filing review', async () => {
    const h = await startTransfer(ts);
    const filed = await driveTo(h, 'filed');
    await act(h, 'filing_decision', { actor: reviewer, decision: 'return', reason: 'page missing' });
    await sleepDays(5);
    const s = await act(h, 'file', { actor: applicant, effectiveDate: filed.filing!.effectiveDate! });
    expect(s.status).toBe('filing_review');
  });
});

describe('supervision report (20 WD after each period, applicant)', () => {
  test('missed: automatic warning, and the next period opens', async () => {
    const h = await startTransfer(ts);
    const active = await driveTo(h, 'active');
    const periodEnd = Date.parse(active.supervision!.periodEnd);
    await ts.env.sleep(periodEnd - Date.parse(active.updatedAt) + 40 * DAY);
    const s = await query(h);
    expect(s.status).toBe('active');
    expect(s.supervision!.actions).toEqual([
      expect.objectContaining({ kind: 'warning', automatic: true, by: 'system' }),
    ]);
    expect(Date.parse(s.supervision!.periodEnd)).toBeGreaterThan(periodEnd);
  });
});

describe('rectification (deadline set by the reviewer, applicant)', () => {
  test('missed: suspended, with the one-month suspension clock', async () => {
    const h = await startTransfer(ts);
    const active = await driveTo(h, 'active');
    await act(h, 'supervise', {
      actor: reviewer,
      kind: 'rectification_order',
      reason: 'logs incomplete',
      deadline: shanghaiDay(Date.parse(active.updatedAt) + 10 * DAY),
    });
    await sleepDays(12);
    const s = await query(h);
    expect(s.status).toBe('suspended');
    expect(s.deadlines.map((d) => d.step)).toContain('suspension_unresolved');
  });

  test('met: response accepted → active', async () => {
    const h = await startTransfer(ts);
    const active = await driveTo(h, 'active');
    await act(h, 'supervise', {
      actor: reviewer,
      kind: 'rectification_order',
      reason: 'logs incomplete',
      deadline: shanghaiDay(Date.parse(active.updatedAt) + 10 * DAY),
    });
    await sleepDays(5);
    await act(h, 'respond_rectification', { actor: applicant, text: 'fixed' });
    const s = await act(h, 'rectification_decision', { actor: rob, decision: 'accept', reason: 'verified' });
    expect(s.status).toBe('active');
    expect(s.deadlines.map((d) => d.step)).not.toContain('rectification');
  });
});

describe('suspension unresolved (1 month, reviewer)', () => {
  test('missed: escalation to revoke or resume', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'active');
    await act(h, 'supervise', { actor: reviewer, kind: 'suspend', reason: 'incident under investigation' });
    await sleepDays(35);
    const s = await query(h);
    expect(s.status).toBe('suspended');
    expect(s.escalations).toEqual([expect.objectContaining({ step: 'suspension_unresolved' })]);
  });

  test('met: resumed → active', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'active');
    await act(h, 'supervise', { actor: reviewer, kind: 'suspend', reason: 'incident under investigation' });
    await sleepDays(10);
    const s = await act(h, 'supervise', { actor: reviewer, kind: 'resume', reason: 'remediated' });
    expect(s.status).toBe('active');
    expect(s.escalations).toEqual([]);
  });
});

describe('extension window / expiry', () => {
  test('missed: expired at the end of validity', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'active');
    const final = await h.result();
    expect(final.status).toBe('expired');
    expect(Date.parse(final.decisions.at(-1)!.at)).toBeGreaterThanOrEqual(Date.parse(final.validity!.until));
    expect(final.supervision!.actions.filter((a) => a.automatic).length).toBeGreaterThanOrEqual(2); // unreported years
  });

  test('a request before the window opens is refused', async () => {
    const h = await startTransfer(ts);
    await driveTo(h, 'active');
    await expect(
      act(h, 'request_extension', { actor: applicant, expectedIndividuals: 1 }),
    ).rejects.toMatchObject({ cause: { type: 'wrong-phase' } });
  });
});

describe('exempt re-check (yearly, applicant)', () => {
  const exemptApp = () =>
    sampleApplication({ volume: { individualsYtd: 50, sensitiveIndividualsYtd: 0, importantData: false } });

  test('missed: overdue flag and a warning; the exemption stands', async () => {
    const h = await startTransfer(ts, exemptApp());
    const s0 = await act(h, 'submit', { actor: applicant });
    expect(s0).toMatchObject({
      status: 'exempt',
      deadlines: [expect.objectContaining({ step: 'exempt_recheck', actor: 'applicant' })],
    });
    await sleepDays(380);
    const s = await query(h);
    expect(s.status).toBe('exempt');
    expect(s.escalations).toEqual([
      expect.objectContaining({ step: 'exempt_recheck', notice: expect.stringMatching(/^warning/) }),
    ]);
  });

  test('met: confirmed facts renew the clock; facts that no longer exempt are refused', async () => {
    const h = await startTransfer(ts, exemptApp());
    const s0 = await act(h, 'submit', { actor: applicant });
    await sleepDays(300);
    const s = await act(h, 'confirm_exemption', {
      actor: applicant,
      application: { volume: { individualsYtd: 80 } },
    });
    expect(Date.parse(s.deadlines[0]!.dueAt!)).toBeGreaterThan(Date.parse(s0.deadlines[0]!.dueAt!));
    expect(s.escalations).toEqual([]);
    await expect(
      act(h, 'confirm_exemption', { actor: applicant, application: { volume: { individualsYtd: 150_000 } } }),
    ).rejects.toMatchObject({
      cause: { type: 'rule-violation' },
    });
    const w = await act(h, 'withdraw', {
      actor: applicant,
      reason: 'replaced by a standard-contract application',
    });
    expect(w.status).toBe('withdrawn');
  });
});
