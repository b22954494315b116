/**
 * Supervision under rules 2: the applicant is awaited for a report only once its window opens; what the view
 * promises (API.md: supervision.nextReportDue, fines[]); applicants' reports keep their words as the reason;
 * one definition of overdue.
 */
import { isDeadlineOverdue } from '../../domain/deadlines';
import { awaiting, awaitingChangesAt, isOverdue, type TransferState } from '../../domain/transfer';
import { toTransferView } from '../../api/view';
import { applicant } from '../fixtures';
import { active, day, draft, rob, run, t0 } from './machine';

const opensAt = (s: TransferState) => Date.parse(s.supervision!.reportWindowOpensAt!);

describe('the supervision report is awaited in its window only (rules 2)', () => {
  test('an active transfer awaits nobody until the window opens, then the applicant’s report', () => {
    const s = active();
    expect(opensAt(s)).toBe(Date.parse(s.supervision!.periodEnd) - 30 * 86_400_000);
    expect(awaiting(s)).toEqual([]);
    expect(awaiting(s, opensAt(s) - 1)).toEqual([]);
    expect(awaiting(s, opensAt(s))).toEqual([{ role: 'applicant', action: 'report' }]);
  });

  test('the workflow learns when to wake up to publish it; nothing is ahead once the window is open', () => {
    const s = active();
    expect(awaitingChangesAt(s, t0)).toBe(s.supervision!.reportWindowOpensAt);
    expect(awaitingChangesAt(s, opensAt(s))).toBeNull();
  });

  test('a report closes the period; the next window is a year on, and nobody is awaited meanwhile', () => {
    const s = active();
    const inWindow = opensAt(s) + 86_400_000;
    const reported = run(
      s,
      [
        {
          type: 'report',
          actor: applicant,
          periodEnd: day(Date.parse(s.supervision!.periodEnd) - 1),
          individualsTransferred: 1000,
          sensitiveIndividualsTransferred: 0,
          incidents: [],
        },
      ],
      inWindow,
    );
    expect(awaiting(reported, inWindow)).toEqual([]);
    expect(opensAt(reported)).toBeGreaterThan(opensAt(s) + 300 * 86_400_000);
  });

  test('rules 1 (histories recorded before): the applicant is awaited all year, and nothing changes with time', () => {
    const s = active(draft(1));
    expect(s.rulesVersion).toBe(1);
    expect(awaiting(s)).toEqual([{ role: 'applicant', action: 'report' }]);
    expect(awaitingChangesAt(s, t0)).toBeNull();
  });

  test('a state without a rules version ran under rules 1', () => {
    const { rulesVersion: _v, ...old } = active();
    expect(awaiting(old as TransferState)).toEqual([{ role: 'applicant', action: 'report' }]);
  });
});

describe('the Transfer view’s supervision (API.md)', () => {
  const fined = () =>
    run(active(), [
      { type: 'supervise', actor: rob, kind: 'warning', reason: 'late data map' },
      {
        type: 'supervise',
        actor: rob,
        kind: 'fine',
        reason: 'repeat',
        amount: { amount: 50_000, currency: 'CNY' },
      },
    ]);

  test('nextReportDue is the running report deadline; fines[] lists the fines, beside every action', () => {
    const s = fined();
    const view = toTransferView(s, applicant, t0);
    expect(view.supervision?.nextReportDue).toBe(
      s.deadlines.find((d) => d.step === 'supervision_report')!.dueAt,
    );
    expect(view.supervision?.fines).toEqual([
      {
        at: new Date(t0).toISOString(),
        by: 'rob',
        reason: 'repeat',
        amount: { amount: 50_000, currency: 'CNY' },
      },
    ]);
    expect(view.supervision?.actions.map((a) => a.kind)).toEqual(['warning', 'fine']);
  });

  test('the view says whom the transfer awaits now', () => {
    const s = active();
    expect(toTransferView(s, applicant, t0).awaiting).toEqual([]);
    expect(toTransferView(s, applicant, opensAt(s)).awaiting).toEqual([
      { role: 'applicant', action: 'report' },
    ]);
  });
});

describe('applicants’ reports keep their words in the decision’s reason', () => {
  test('incident, change and rectification response', () => {
    const s = run(active(), [
      {
        type: 'report_incident',
        actor: applicant,
        severity: 'low',
        occurredAt: new Date(t0 - 3600_000).toISOString(),
        description: 'a misdirected e-mail',
      },
      {
        type: 'supervise',
        actor: rob,
        kind: 'rectification_order',
        reason: 'fix',
        deadline: day(t0 + 10 * 86_400_000),
      },
      { type: 'respond_rectification', actor: applicant, text: 'keys rotated' },
    ]);
    expect(s.decisions.at(-3)!.reason).toBe('a misdirected e-mail');
    expect(s.decisions.at(-1)!.reason).toBe('keys rotated');
    const changed = run(active(), [
      {
        type: 'report_change',
        actor: applicant,
        changes: [{ kind: 'retention', description: 'kept 30 days' }],
        application: { transfer: { retentionDays: 30 } },
      },
    ]);
    expect(changed.decisions.at(-1)!.reason).toBe('retention: kept 30 days');
  });
});

describe('overdue: one definition', () => {
  const running = { overdue: false, dueAt: '2026-12-01T16:00:00.000Z', paused: false };
  const due = Date.parse(running.dueAt);
  test('flagged when its timer fired; at an instant, also when its instant has passed', () => {
    expect(isDeadlineOverdue({ ...running, overdue: true })).toBe(true);
    expect(isDeadlineOverdue(running)).toBe(false);
    expect(isDeadlineOverdue(running, due - 1)).toBe(false);
    expect(isDeadlineOverdue(running, due)).toBe(true);
    expect(isDeadlineOverdue({ ...running, paused: true, dueAt: null }, due)).toBe(false);
  });
  test('the transfer, the view and the inbox agree', () => {
    const s = run(draft(), [{ type: 'submit', actor: applicant }]);
    const dueAt = Date.parse(s.deadlines[0]!.dueAt!);
    expect(isOverdue(s)).toBe(false);
    expect(isOverdue(s, dueAt)).toBe(true);
    const view = toTransferView(s, applicant, dueAt);
    expect(view.deadlines[0]!.overdue).toBe(true);
    expect(isDeadlineOverdue({ overdue: false, dueAt: s.deadlines[0]!.dueAt }, dueAt)).toBe(true);
  });
});
