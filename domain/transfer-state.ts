/** The transfer's state and the helpers every phase's transitions share. Pure. */
import type { MaterialKind, PartialApplication } from './application';
import type { Actor } from './authz';
import { materialsRequired, type Finding } from './completeness';
import { isDeadlineOverdue, type Deadline } from './deadlines';
import type { Refusal } from './errors';
import { phaseOf, type Phase, type Status } from './lifecycle';
import type { DeadlineStep, PolicyPack } from './policy';
import type { RiskAssessment } from './risk';
import type { RouteDecision } from './routes';
import type {
  AcceptedChange,
  Agreement,
  Approval,
  ChangeReview,
  Condition,
  Decision,
  Escalation,
  EuTransferRecord,
  ExtensionRequest,
  Filing,
  Review,
  SupplementRound,
  Supervision,
  Validity,
} from './transfer-records';

export * from './transfer-records';

export interface TransferState {
  id: string;
  status: Status;
  /** the phase an open supplementation round belongs to */
  supplementPhase: Phase;
  policy: { id: string; version: string };
  /** the working-day calendar version this transfer computes its deadlines with */
  calendarVersion?: string;
  /**
   * The engine's rules revision this transfer runs under (absent: 1, the first rules). A revision that changes
   * what the workflow publishes or does applies only to transfers started under it, so recorded histories replay.
   */
  rulesVersion?: number;
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
  /** eu-gdpr transfers only: their TIA, register number issuance and re-evaluations */
  eu?: EuTransferRecord;
  createdAt: string;
  updatedAt: string;
  submittedAt: string | null;
  approvedAt: string | null;
}

/**
 * The newest rules revision. 2: a critical transfer's re-review needs the pack's number of approvers (two), not
 * one; the applicant is awaited for a supervision report only once the report window is open.
 */
export const RULES_VERSION = 2;

/** The rules revision a transfer runs under (a state without one ran under the first). */
export const rulesVersionOf = (state: Pick<TransferState, 'rulesVersion'>): number => state.rulesVersion ?? 1;

export type Outcome = { ok: true; state: TransferState } | { ok: false; refusal: Refusal };

export function newTransfer(input: {
  id: string;
  application: PartialApplication;
  createdBy: Actor;
  pack: PolicyPack;
  nowMs: number;
  /** the rules revision to run under; the newest unless replaying a history recorded under older rules */
  rulesVersion?: number;
}): TransferState {
  const at = new Date(input.nowMs).toISOString();
  return {
    id: input.id,
    status: 'draft',
    supplementPhase: 'completeness',
    rulesVersion: input.rulesVersion ?? RULES_VERSION,
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

/** Whether any deadline of the transfer is overdue (at `nowMs`; without it, as its state flags them). */
export function isOverdue(state: TransferState, nowMs?: number): boolean {
  return state.deadlines.some((d) => isDeadlineOverdue(d, nowMs));
}

/** The filing is accepted and its number not issued yet (and the case not closed meanwhile): the workflow issues one. */
export function needsFilingNumber(state: TransferState): boolean {
  return state.status === 'filing_review' && !!state.filing?.acceptedAt && !state.filingNumber;
}

/** A decision the engine made because a deadline passed (notified to the parties as such). */
export function isDeadlineConsequence(d: Decision): boolean {
  return d.kind === 'deadline';
}

/** Required materials for the route a transfer took. */
export function requiredMaterials(state: TransferState, pack: PolicyPack): MaterialKind[] {
  if (pack.flow) return pack.flow.materialsRequired(state) as MaterialKind[];
  const r = state.route?.route;
  return r && r !== 'exempt' ? materialsRequired(r, pack) : [];
}
