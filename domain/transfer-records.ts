/** The records a transfer's state is made of: decisions, supplementation rounds, agreement, supervision… Pure types. */
import type { MaterialKind, PartialApplication } from './application';
import type { Phase, Role } from './lifecycle';
import type { DeadlineStep } from './policy';
import type { RiskAssessment } from './risk';
import type { RouteDecision } from './routes';

export interface Decision {
  action: string;
  by: string;
  role: Role | 'system';
  at: string;
  reason?: string;
  details?: Record<string, unknown>;
  /**
   * What produced a system decision: a deadline passing (its consequence), or an act outside the engine (a
   * cancellation of the workflow)
   */
  kind?: 'deadline' | 'external';
}

export interface SupplementItem {
  itemId: string;
  material?: MaterialKind;
  field?: string;
  request: string;
  response?: { text?: string; documentId?: string; at: string };
}

export interface SupplementRound {
  round: number;
  phase: Phase;
  requestedBy: string;
  requestedAt: string;
  items: SupplementItem[];
  dueAt: string | null;
  status: 'open' | 'answered' | 'expired' | 'withdrawn';
}

export interface Escalation {
  step: DeadlineStep;
  at: string;
  notice: string;
}

export interface Review {
  by: string;
  at: string;
  checklist: { item: string; result: 'pass' | 'concern' | 'fail'; note?: string }[];
}

export interface Approval {
  by: string;
  at: string;
  decision: 'approve' | 'approve_with_conditions';
  conditions: string[];
  reason?: string;
}

export interface Condition {
  id: string;
  text: string;
  acknowledgedAt?: string;
}

export interface Agreement {
  documentId: string;
  digest: string;
  signedDocumentId?: string;
  signer?: string;
  signerTitle?: string;
  signedAt?: string;
  countersignedAt?: string;
  countersignedBy?: string;
}

export interface Filing {
  effectiveDate?: string;
  filedAt?: string;
  /** when the reviewer accepted the filing (the filing number follows) */
  acceptedAt?: string;
  returns: { at: string; by: string; reason: string }[];
}

export interface SupervisionAction {
  kind: 'warning' | 'interview' | 'rectification_order' | 'fine' | 'suspend' | 'resume' | 'revoke';
  by: string;
  at: string;
  reason: string;
  deadline?: string;
  scheduledAt?: string;
  amount?: { amount: number; currency: string };
  automatic?: boolean;
}

export interface Supervision {
  periodStart: string;
  periodEnd: string;
  reports: {
    periodEnd: string;
    at: string;
    individualsTransferred: number;
    sensitiveIndividualsTransferred: number;
    incidents: string[];
    notes?: string;
  }[];
  actions: SupervisionAction[];
  incidents: {
    severity: 'low' | 'medium' | 'high' | 'major';
    occurredAt: string;
    description: string;
    reportedAt: string;
  }[];
  rectification: {
    orderedAt: string;
    deadline: string;
    responses: { at: string; text: string; documentIds: string[] }[];
  } | null;
  suspendedAt: string | null;
  /** when the open period's report may be sent (and, under rules 2, the applicant is awaited for it) */
  reportWindowOpensAt?: string;
}

export interface ChangeReview {
  requestedAt: string;
  changes: { kind: string; description: string }[];
  proposed: PartialApplication;
  /** dotted paths whose values differ from the approved application */
  diff: { path: string; before: unknown; after: unknown }[];
  route: RouteDecision;
  risk: RiskAssessment | null;
}

export interface AcceptedChange {
  at: string;
  by: string;
  kinds: string[];
}

export interface ExtensionRequest {
  requestedAt: string;
  expectedIndividuals: number;
  notes?: string;
  eligibility: {
    eligible: boolean;
    samePurposeScopeParties: boolean;
    growth: number;
    noMajorIncident: boolean;
    reasons: string[];
  };
}

export interface Validity {
  from: string;
  until: string;
  extensionWindowOpensAt: string;
}

/** A re-evaluation of an active eu-gdpr transfer (EU-GDPR.md §7): why it opened, the answer, the decision. */
export interface EuReEvaluation {
  trigger: 'tia_review' | 'dpf_list_check' | 'event' | 'suspension' | 'use_report';
  reason: string;
  /** the operator's event that re-opened it (a DPF listing or adequacy decision that changed) */
  event?: string;
  by?: string;
  openedAt: string;
  answeredAt?: string;
  answeredBy?: string;
  note?: string;
  /** the route the answered facts give */
  route?: string;
  decision?: 'confirm' | 'suspend' | 'end';
  decidedAt?: string;
  decidedBy?: string;
}

/** What an eu-gdpr transfer carries beyond the generic state (domain/policy/eu-gdpr/lifecycle.ts). */
export interface EuTransferRecord {
  tiaRequired: boolean | null;
  /** the TIA's evaluation at the last approval or confirmation */
  tia?: string;
  /** approved: the workflow issues the internal register number, which makes it active */
  registerDue?: boolean;
  activeSince?: string;
  /** derogation-based transfers: uses reported, and the last one's day */
  uses?: number;
  lastUseOn?: string;
  reEvaluations: EuReEvaluation[];
}
