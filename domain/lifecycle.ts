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
  'cancelled',
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
  // closed from outside the engine (an operator cancelled the workflow in the Temporal UI or CLI)
  'cancelled',
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

/**
 * Every transition DOMAIN.md's lifecycle allows (from → to); anything else is a bug. Any open transfer may also be
 * closed from outside the engine (`cancelled`).
 */
export const transitions: Readonly<Record<Status, readonly Status[]>> = {
  draft: ['completeness_check', 'exempt', 'withdrawn', 'cancelled'],
  completeness_check: ['under_review', 'awaiting_supplement', 'refused', 'withdrawn', 'cancelled'],
  awaiting_supplement: ['completeness_check', 'under_review', 'terminated', 'withdrawn', 'cancelled'],
  // eu-gdpr: the privacy office approves (to signature, or active with a register number) or rejects
  under_review: [
    'risk_assessment',
    'awaiting_supplement',
    'awaiting_signature',
    'active',
    'rejected',
    'withdrawn',
    'cancelled',
  ],
  risk_assessment: ['awaiting_signature', 'not_passed', 'withdrawn', 'cancelled'],
  not_passed: ['re_review', 'rejected', 'withdrawn', 'cancelled'],
  re_review: ['awaiting_signature', 'rejected', 'withdrawn', 'cancelled'],
  // eu-gdpr: no filing, countersigned → active with a register number
  awaiting_signature: ['filing_review', 'active', 'lapsed', 'withdrawn', 'cancelled'],
  filing_review: ['filing_returned', 'active', 'withdrawn', 'cancelled'],
  filing_returned: ['filing_review', 'terminated', 'withdrawn', 'cancelled'],
  active: [
    'change_review',
    'rectification_ordered',
    'suspended',
    'extension_requested',
    'revoked',
    'expired',
    'cancelled',
  ],
  change_review: ['active', 'suspended', 'revoked', 'expired', 'cancelled'],
  rectification_ordered: ['active', 'suspended', 'revoked', 'expired', 'cancelled'],
  suspended: ['active', 'revoked', 'expired', 'terminated', 'cancelled'],
  extension_requested: ['active', 'suspended', 'revoked', 'expired', 'cancelled'],
  exempt: ['withdrawn', 'cancelled'],
  withdrawn: [],
  refused: [],
  terminated: [],
  rejected: [],
  lapsed: [],
  revoked: [],
  expired: [],
  cancelled: [],
};
