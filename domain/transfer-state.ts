/** The transfer's state and the helpers every phase's transitions share. Pure. */
import type { MaterialKind, PartialApplication } from './application';
import type { Actor } from './authz';
import { materialsRequired, type Finding } from './completeness';
import type { Deadline } from './deadlines';
import type { Refusal } from './errors';
import { phaseOf, type Phase, type Role, type Status } from './lifecycle';
import type { DeadlineStep, PolicyPack } from './policy';
import type { RiskAssessment } from './risk';
import type { RouteDecision } from './routes';

export interface Decision {
  action: string;
  by: string;
  role: Role | 'system';
  at: string;
  reason?: string;
  details?: Record<string, unknown>;
  /** what produced a system decision: a deadline passing (its consequence) */
  kind?: 'deadline';
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

export interface TransferState {
  id: string;
  status: Status;
  /** the phase an open supplementation round belongs to */
  supplementPhase: Phase;
  policy: { id: string; version: string };
  /** the working-day calendar version this transfer computes its deadlines with */
  calendarVersion?: string;
  application: PartialApplication;
  createdBy: string;
  applicantOrg: string;
  route: RouteDecision | null;
  findings: Finding[];
  deadlines: Deadline[];
  decisions: Decision[];
  supplementRequests: SupplementRound[];
  escalations: Escalation[];
  /** the substantive review's checklist, once completed */
  review: Review | null;
  /** null until scored on entering risk assessment; re-scored on change */
  risk: RiskAssessment | null;
  /** approvals of the risk decision (two distinct reviewers for `critical`) */
  approvals: Approval[];
  /** reviewers who made a risk decision (first approval, approval or not passed): none of them decides a re-review */
  riskDeciders: string[];
  /** changes accepted in place since approval */
  changesAccepted: AcceptedChange[];
  conditions: Condition[];
  agreement: Agreement | null;
  filing: Filing | null;
  filingNumber: string | null;
  validity: Validity | null;
  supervision: Supervision | null;
  change: ChangeReview | null;
  extension: ExtensionRequest | null;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
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

export type Outcome = { ok: true; state: TransferState } | { ok: false; refusal: Refusal };

export function newTransfer(input: {
  id: string;
  application: PartialApplication;
  createdBy: Actor;
  pack: PolicyPack;
  nowMs: number;
}): TransferState {
  const at = new Date(input.nowMs).toISOString();
  return {
    id: input.id,
    status: 'draft',
    supplementPhase: 'completeness',
    policy: { id: input.pack.id, version: input.pack.version },
    calendarVersion: input.pack.calendar.version,
    application: input.application,
    createdBy: input.createdBy.sub,
    applicantOrg: input.createdBy.org ?? '',
    route: null,
    findings: [],
    deadlines: [],
    decisions: [],
    supplementRequests: [],
    escalations: [],
    review: null,
    risk: null,
    approvals: [],
    riskDeciders: [],
    changesAccepted: [],
    conditions: [],
    agreement: null,
    filing: null,
    filingNumber: null,
    validity: null,
    supervision: null,
    change: null,
    extension: null,
    createdAt: at,
    updatedAt: at,
    submittedAt: null,
    approvedAt: null,
  };
}

export function scopeOf(state: TransferState) {
  return {
    applicantOrg: state.applicantOrg,
    recipientId: state.application.recipient?.id,
    status: state.status,
  };
}

export function phase(state: TransferState): Phase {
  return phaseOf(state.status, state.supplementPhase);
}

export const refuse = (kind: Refusal['kind'], message: string, errors?: Refusal['errors']): Outcome => ({
  ok: false,
  refusal: { kind, message, errors },
});

export function withoutDeadline(state: TransferState, step: DeadlineStep): Deadline[] {
  return state.deadlines.filter((d) => d.step !== step);
}

export function record(
  state: TransferState,
  nowMs: number,
  decision: Omit<Decision, 'at'>,
  next: Partial<TransferState>,
): Outcome {
  const at = new Date(nowMs).toISOString();
  return {
    ok: true,
    state: { ...state, ...next, decisions: [...state.decisions, { ...decision, at }], updatedAt: at },
  };
}

export function zodErrors(
  issues: readonly { path: PropertyKey[]; message: string }[],
  prefix = '',
): { pointer: string; detail: string }[] {
  return issues.map((i) => ({ pointer: `${prefix}/${i.path.map(String).join('/')}`, detail: i.message }));
}
export function nextDeadline(state: TransferState): Deadline | undefined {
  return state.deadlines
    .filter((d) => !d.paused && !d.overdue && d.dueAt !== null)
    .sort((a, b) => Date.parse(a.dueAt!) - Date.parse(b.dueAt!))[0];
}

export function isOverdue(state: TransferState): boolean {
  return state.deadlines.some((d) => d.overdue);
}

/** The filing is accepted and its number not issued yet: the workflow issues one. */
export function needsFilingNumber(state: TransferState): boolean {
  return !!state.filing?.acceptedAt && !state.filingNumber;
}

/** A decision the engine made because a deadline passed (notified to the parties as such). */
export function isDeadlineConsequence(d: Decision): boolean {
  return d.kind === 'deadline';
}

/** Required materials for the route a transfer took. */
export function requiredMaterials(state: TransferState, pack: PolicyPack): MaterialKind[] {
  const r = state.route?.route;
  return r && r !== 'exempt' ? materialsRequired(r, pack) : [];
}
