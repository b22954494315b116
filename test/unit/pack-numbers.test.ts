/**
 * Policy numbers are pack data (DOMAIN.md marks them policy): the route table, the report window, the extension
 * window and the reminder threshold come from the pack; cn-2024 keeps the values DOMAIN.md gives.
 */
import type { PolicyPack } from '../../domain/policy';
import { remindersDue } from '../../domain/reminders';
import { determineRoute } from '../../domain/routes';
import { validityWindow } from '../../domain/phases/extension';
import { startSupervision } from '../../domain/phases/supervision';
import { applicant, reviewer, sampleApplication } from '../fixtures';
import { draft, filed, pack, run, t0 } from './machine';

const with_ = (over: Partial<PolicyPack>): PolicyPack => ({ ...pack, ...over });

test('cn-2024 carries the numbers DOMAIN.md gives', () => {
  expect(pack.reportWindowDays).toBe(30);
  expect(pack.extensionWindowWorkingDays).toBe(60);
  expect(pack.remindAtWorkingDaysLeft).toBe(2);
  expect(pack.routes.map((r) => r.id)).toEqual(Array.from({ length: 11 }, (_, i) => `cn-2024/${i}`));
  const report = pack.deadlines.find((d) => d.step === 'supervision_report')!;
  expect(report.length).toEqual({ workingDays: 20 });
});

test('the route table is the pack’s', () => {
  const everythingExempt = with_({
    routes: [{ id: 'test/0', route: 'exempt', reason: 'a test pack', test: () => ({ match: true }) }],
  });
  expect(determineRoute(sampleApplication(), pack).route).toBe('standard_contract');
  expect(determineRoute(sampleApplication(), everythingExempt)).toMatchObject({
    route: 'exempt',
    rules: [{ id: 'test/0', reason: 'a test pack' }],
  });
});

test('the extension window and the report window are the pack’s', () => {
  const other = with_({ extensionWindowWorkingDays: 10, reportWindowDays: 10 });
  const [from, until] = ['2026-11-23T01:00:00.000Z', '2029-11-23T16:00:00.000Z'];
  expect(Date.parse(validityWindow(from, until, other).extensionWindowOpensAt)).toBeGreaterThan(
    Date.parse(validityWindow(from, until, pack).extensionWindowOpensAt) + 40 * 86_400_000,
  );
  const supervised = (p: PolicyPack) => startSupervision(filed(), { from, until }, t0, p).supervision!;
  const end = Date.parse(supervised(pack).periodEnd);
  expect(Date.parse(supervised(pack).reportWindowOpensAt!)).toBe(end - 30 * 86_400_000);
  expect(Date.parse(supervised(other).reportWindowOpensAt!)).toBe(end - 10 * 86_400_000);
});

test('reminders come the pack’s working days before a deadline', () => {
  const asked = run(draft(), [
    { type: 'submit', actor: applicant },
    {
      type: 'completeness',
      actor: reviewer,
      decision: 'request_supplement',
      items: [{ field: 'purpose', request: 'why' }],
    },
  ]);
  const fiveLeft =
    Date.parse(asked.deadlines.find((d) => d.step === 'supplement_answer')!.startedAt) + 86_400_000;
  expect(remindersDue(asked, fiveLeft, pack)).toEqual([]);
  expect(remindersDue(asked, fiveLeft, with_({ remindAtWorkingDaysLeft: 10 })).map((r) => r.step)).toEqual([
    'supplement_answer',
  ]);
});
