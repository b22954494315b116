/** Statuses, phases and who is awaited in each (DOMAIN.md "Lifecycle"), word for word. */

export const statuses = [
  'draft',
  'completeness_check',
  'awaiting_supplement',
  'under_review',
  'risk_assessment',
  'not_passed',
  're_review',
  'awaiting_signature',
  'filing_review',
  'filing_returned',
  'active',
  'change_review',
  'rectification_ordered',
  'suspended',
  'extension_requested',
  'exempt',
  'withdrawn',
  'refused',
  'terminated',
  'rejected',
  'lapsed',
  'revoked',
  'expired',
] as const;
export type Status = (typeof statuses)[number];

export const terminalStatuses: ReadonlySet<Status> = new Set([
  'withdrawn',
  'refused',
  'terminated',
  'rejected',
  'lapsed',
  'revoked',
  'expired',
]);

export const phases = [
  'application',
  'completeness',
  'substantive_review',
  'risk_assessment',
  'signing',
  'filing',
  'supervision',
  'closed',
] as const;
export type Phase = (typeof phases)[number];

export type Role = 'applicant' | 'reviewer' | 'recipient' | 'admin';
export const roles: readonly Role[] = ['applicant', 'reviewer', 'recipient', 'admin'];

/** The phase a status belongs to; a supplementation round belongs to the phase that opened it. */
export function phaseOf(status: Status, supplementPhase: Phase = 'completeness'): Phase {
  switch (status) {
    case 'draft':
      return 'application';
    case 'completeness_check':
      return 'completeness';
    case 'awaiting_supplement':
      return supplementPhase;
    case 'under_review':
      return 'substantive_review';
    case 'risk_assessment':
    case 'not_passed':
    case 're_review':
      return 'risk_assessment';
    case 'awaiting_signature':
      return 'signing';
    case 'filing_review':
    case 'filing_returned':
      return 'filing';
    case 'active':
    case 'change_review':
    case 'rectification_ordered':
    case 'suspended':
    case 'extension_requested':
    case 'exempt':
      return 'supervision';
    default:
      return 'closed';
  }
}

export function isTerminal(status: Status): boolean {
  return terminalStatuses.has(status);
}
