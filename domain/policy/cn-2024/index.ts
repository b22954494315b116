/**
 * Policy pack `cn-2024`: the mainland China rules after the 2024 Provisions on Promoting and Regulating
 * Cross-Border Data Flows. Data, not code: a regulator's change is a new version of this file.
 */
import type { PolicyPack } from '../types';
import { cnCalendar } from './calendar-data';

export const cn2024: PolicyPack = {
  id: 'cn-2024',
  version: '2024.1',
  thresholds: {
    securityAssessmentIndividuals: 1_000_000,
    securityAssessmentSensitive: 10_000,
    contractIndividuals: 100_000,
    contractSensitive: 1,
  },
  deadlines: [
    {
      step: 'completeness_decision',
      actor: 'reviewer',
      length: { workingDays: 5 },
      whenMissed: 'overdue flag and escalation; never auto-decided',
    },
    { step: 'supplement_answer', actor: 'applicant', length: { workingDays: 10 }, whenMissed: 'terminated' },
    {
      step: 'substantive_review',
      actor: 'reviewer',
      length: { workingDays: 45 },
      whenMissed: 'overdue flag and escalation',
    },
    { step: 're_review_request', actor: 'applicant', length: { workingDays: 15 }, whenMissed: 'rejected' },
    { step: 'signature', actor: 'recipient', length: { calendarDays: 30 }, whenMissed: 'lapsed' },
    {
      step: 'filing',
      actor: 'applicant',
      length: { workingDays: 10 },
      whenMissed: 'overdue flag and warning',
    },
    { step: 'filing_check', actor: 'reviewer', length: { workingDays: 15 }, whenMissed: 'escalation' },
    {
      step: 'filing_resubmission',
      actor: 'applicant',
      length: { workingDays: 10 },
      whenMissed: 'terminated',
    },
    {
      step: 'supervision_report',
      actor: 'applicant',
      length: { workingDays: 20 },
      whenMissed: 'automatic warning',
    },
    {
      step: 'suspension_unresolved',
      actor: 'reviewer',
      length: { months: 1 },
      whenMissed: 'escalation to revoke or resume',
    },
    {
      step: 'extension_window',
      actor: 'applicant',
      length: { workingDays: 60 },
      whenMissed: 'expired at expiry',
    },
  ],
  materials: {
    security_assessment: [
      { kind: 'declaration_form', required: true },
      { kind: 'self_assessment_report', required: true, maxAgeMonths: 3 },
      { kind: 'legal_documents', required: true },
      { kind: 'business_licence', required: true },
      { kind: 'legal_representative_id', required: true },
      { kind: 'authorisation_letter', required: true },
      { kind: 'data_link_description', required: false },
    ],
    standard_contract: [
      { kind: 'pipia_report', required: true },
      { kind: 'standard_contract', required: true },
      { kind: 'business_licence', required: true },
      { kind: 'legal_representative_id', required: true },
      { kind: 'authorisation_letter', required: true },
      { kind: 'undertaking_letter', required: true },
    ],
    certification: [
      { kind: 'pipia_report', required: true },
      { kind: 'certification_application', required: true },
      { kind: 'certificate', required: true, atFiling: true },
    ],
  },
  calendar: cnCalendar,
};
