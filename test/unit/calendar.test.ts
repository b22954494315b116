import {
  addCalendarDays,
  addWorkingDays,
  dayNumber,
  isWorkingDay,
  workingDaysLeft,
} from '../../domain/calendar';
import { pauseDeadline, resumeDeadline, startDeadline, viewDeadline } from '../../domain/deadlines';
import { activePolicy } from '../../domain/policy';

const cal = activePolicy.calendar;
const at = (iso: string) => Date.parse(iso);

describe('working-day calendar (cn-mainland)', () => {
  test('holidays are not working days; adjusted weekends are', () => {
    expect(isWorkingDay(dayNumber('2026-10-01'), cal)).toBe(false);
    expect(isWorkingDay(dayNumber('2026-10-10'), cal)).toBe(true); // Saturday worked (调休)
    expect(isWorkingDay(dayNumber('2026-02-14'), cal)).toBe(true); // Saturday before Spring Festival
    expect(isWorkingDay(dayNumber('2026-02-23'), cal)).toBe(false); // Monday in Spring Festival
    expect(isWorkingDay(dayNumber('2025-01-26'), cal)).toBe(true); // Sunday worked
    expect(isWorkingDay(dayNumber('2026-11-28'), cal)).toBe(false); // ordinary Saturday
  });

  test('the start day never counts, whatever the hour, and the period ends 24:00 Asia/Shanghai', () => {
    // Monday 2026-11-23 09:00 Shanghai (01:00 UTC) + 5 WD → Monday 2026-11-30 24:00 Shanghai
    expect(addWorkingDays(at('2026-11-23T01:00:00Z'), 5, cal)).toMatchObject({
      dueDate: '2026-11-30',
      dueAt: '2026-11-30T16:00:00.000Z',
      approximate: false,
    });
    // Monday 23:59 Shanghai is still Monday
    expect(addWorkingDays(at('2026-11-23T15:59:00Z'), 5, cal).dueDate).toBe('2026-11-30');
    // Monday 16:00 UTC is Tuesday 00:00 in Shanghai: the count starts a day later
    expect(addWorkingDays(at('2026-11-23T16:00:00Z'), 5, cal).dueDate).toBe('2026-12-01');
  });

  test('counts across the National Day holiday and its working Saturday', () => {
    // Tuesday 2026-09-29 + 3 WD: Wed 30 Sep (1), 1–7 Oct off, Thu 8 (2), Fri 9 (3)
    expect(addWorkingDays(at('2026-09-29T02:00:00Z'), 3, cal).dueDate).toBe('2026-10-09');
    // + 4 WD lands on the worked Saturday 10 Oct
    expect(addWorkingDays(at('2026-09-29T02:00:00Z'), 4, cal).dueDate).toBe('2026-10-10');
  });

  test('a year without a published schedule counts Monday–Friday and says so', () => {
    const due = addWorkingDays(at('2026-12-28T02:00:00Z'), 10, cal);
    expect(due.approximate).toBe(true);
    expect(due.dueDate).toBe('2027-01-11');
    expect(due.calendarVersion).toBe(`cn-mainland@${cal.version}`);
  });

  test('calendar days end at 24:00 of the N-th day', () => {
    expect(addCalendarDays(at('2026-11-28T10:00:00Z'), 30, cal)).toMatchObject({
      dueDate: '2026-12-28',
      dueAt: '2026-12-28T16:00:00.000Z',
    });
  });

  test('working days left counts the working days after today up to the due day', () => {
    const dueAt = at('2026-11-30T16:00:00Z'); // end of Monday 30 Nov
    expect(workingDaysLeft(at('2026-11-23T01:00:00Z'), dueAt, cal)).toBe(5);
    expect(workingDaysLeft(at('2026-11-28T01:00:00Z'), dueAt, cal)).toBe(1); // Saturday: only Monday left
    expect(workingDaysLeft(at('2026-11-30T08:00:00Z'), dueAt, cal)).toBe(0); // due today
    expect(workingDaysLeft(at('2026-12-01T02:00:00Z'), dueAt, cal)).toBe(-1);
  });

  test('a paused clock keeps its working days and re-arms on resume', () => {
    const started = startDeadline('completeness_decision', at('2026-11-23T01:00:00Z'), activePolicy); // due Mon 30 Nov
    const paused = pauseDeadline(started, at('2026-11-25T01:00:00Z'), activePolicy); // Wed: Thu, Fri, Mon left
    expect(paused).toMatchObject({ paused: true, remainingWorkingDays: 3, dueAt: null });
    expect(viewDeadline(paused, at('2026-12-20T00:00:00Z'), activePolicy)).toMatchObject({
      paused: true,
      workingDaysLeft: 3,
      overdue: false,
    });
    const resumed = resumeDeadline(paused, at('2026-12-07T01:00:00Z'), activePolicy); // Mon 7 Dec + 3 WD
    expect(resumed).toMatchObject({ paused: false, dueDate: '2026-12-10' });
  });

  test('bad inputs are refused', () => {
    expect(() => addWorkingDays(0, -1, cal)).toThrow(RangeError);
    expect(() => addWorkingDays(0, 1.5, cal)).toThrow(RangeError);
  });
});

describe('a newer calendar', () => {
  test('a transfer keeps the calendar it pinned until its deadlines are recomputed, and the change is recorded', async () => {
    const { decide, newTransfer } = await import('../../domain/transfer');
    const { sampleApplication, placeholderMaterials, applicant } = await import('../fixtures');
    // 2027's notice "published": 4 January 2027 (a Monday) is a holiday in this made-up version
    const newer = {
      ...cal,
      version: '2027.1',
      years: { ...cal.years, 2027: { source: 'test notice', holidays: ['2027-01-04'], workingWeekends: [] } },
    };
    const updated = {
      ...activePolicy,
      calendar: newer,
      calendars: { ...activePolicy.calendars, [newer.version]: newer },
    };
    const t = Date.parse('2026-12-28T02:00:00Z'); // Monday; 5 WD → Monday 4 January 2027, approximately
    const draft = newTransfer({
      id: 'x',
      application: sampleApplication({ materials: placeholderMaterials() }),
      createdBy: applicant,
      pack: activePolicy,
      nowMs: t,
    });
    const submitted = decide(draft, { type: 'submit', actor: applicant }, t, activePolicy);
    if (!submitted.ok) throw new Error(submitted.refusal.message);
    expect(submitted.state.deadlines[0]).toMatchObject({ dueDate: '2027-01-04', calendarApproximate: true });

    // replaying with the newer code computes the same instants: the transfer pinned its calendar
    const replayed = decide(draft, { type: 'submit', actor: applicant }, t, updated);
    expect(replayed.ok && replayed.state.deadlines[0]?.dueDate).toBe('2027-01-04');

    const recomputed = decide(submitted.state, { type: 'recompute_deadlines' }, t + 3600_000, updated);
    if (!recomputed.ok) throw new Error(recomputed.refusal.message);
    expect(recomputed.state.calendarVersion).toBe('2027.1');
    expect(recomputed.state.deadlines[0]).toMatchObject({
      dueDate: '2027-01-05',
      calendarApproximate: false,
      calendarVersion: 'cn-mainland@2027.1',
    });
    expect(recomputed.state.decisions.at(-1)).toMatchObject({
      action: 'deadline.recomputed',
      details: {
        changes: [
          expect.objectContaining({
            step: 'completeness_decision',
            before: '2027-01-04T16:00:00.000Z',
            after: '2027-01-05T16:00:00.000Z',
          }),
        ],
      },
    });
    const again = decide(recomputed.state, { type: 'recompute_deadlines' }, t + 7200_000, updated);
    expect(again.ok).toBe(false);
  });
});
