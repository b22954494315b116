/**
 * The eu-gdpr pack as the transfer workflow computes with it: its calendar (calendar days), the lifecycle's periods,
 * the §9 checklist, and its own steps (`flow`, ./lifecycle.ts). Pure data.
 */
import type { CalendarData } from '../../calendar';
import { cn2024 } from '../cn-2024';
import type { PolicyPack } from '../types';
import { euReviewChecklist } from './checklist';
import type { EuGdprPack } from './index';
import { euFlow } from './lifecycle';

/**
 * eu-gdpr counts in calendar days and months (EU-GDPR.md §7): no holiday calendar. Days are UTC days (the pack
 * has no single member-state time zone).
 */
export const euCalendar: CalendarData = {
  id: 'calendar-days-utc',
  version: 'utc-1',
  timeZone: 'UTC',
  utcOffsetMinutes: 0,
  years: {},
};

/**
 * The pack the transfer workflow computes with: the periods of the lifecycle (the intake and review periods are
 * the privacy office's own service levels, a pack policy choice; the re-evaluation periods are §7's), the §9
 * checklist, and `flow`. The volume thresholds, risk weights and approver counts of the generic shape are never
 * read under this lifecycle (no risk scoring, one privacy-office approval).
 */
export function euWorkflowPack(eu: EuGdprPack): PolicyPack {
  const months = (m: number) => ({ months: m });
  return {
    id: eu.id,
    version: eu.version,
    thresholds: cn2024.thresholds,
    routes: [],
    deadlines: [
      {
        step: 'completeness_decision',
        actor: 'reviewer',
        length: { calendarDays: 10 },
        whenMissed: 'escalated',
      },
      {
        step: 'supplement_answer',
        actor: 'applicant',
        length: { calendarDays: 30 },
        whenMissed: 'terminated',
      },
      {
        step: 'substantive_review',
        actor: 'reviewer',
        length: { calendarDays: 30 },
        whenMissed: 'escalated',
      },
      { step: 'signature', actor: 'recipient', length: { calendarDays: 30 }, whenMissed: 'lapsed' },
      {
        step: 'tia_review',
        actor: 'applicant',
        length: months(eu.options.tiaReviewMonths),
        whenMissed: 're-evaluation (change_review)',
      },
      {
        step: 'dpf_list_check',
        actor: 'applicant',
        length: months(eu.options.dpfCheckIntervalMonths),
        whenMissed: 're-evaluation (change_review)',
      },
      { step: 're_evaluation', actor: 'applicant', length: { calendarDays: 30 }, whenMissed: 'suspended' },
      {
        step: 're_evaluation_review',
        actor: 'reviewer',
        length: { calendarDays: 30 },
        whenMissed: 'escalated',
      },
      {
        step: 'suspension_unresolved',
        actor: 'reviewer',
        length: months(eu.options.suspensionTerminateMonths),
        whenMissed: 'terminated (SCC Clause 16(c)(i))',
      },
    ],
    materials: { security_assessment: [], standard_contract: [], certification: [] },
    calendar: euCalendar,
    calendars: { [euCalendar.version]: euCalendar },
    reviewChecklist: euReviewChecklist.map(({ item, text: t }) => ({ item, text: t })),
    risk: cn2024.risk,
    approvers: cn2024.approvers,
    validityYears: cn2024.validityYears,
    supervisionPeriodMonths: eu.options.tiaReviewMonths,
    reportWindowDays: cn2024.reportWindowDays,
    extensionWindowWorkingDays: cn2024.extensionWindowWorkingDays,
    remindAtWorkingDaysLeft: cn2024.remindAtWorkingDaysLeft,
    extensionGrowthLimit: cn2024.extensionGrowthLimit,
    flow: euFlow(eu),
  };
}
