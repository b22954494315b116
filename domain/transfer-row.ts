/**
 * What lists and inboxes know of a transfer: its row in the read model (store/transfers.ts) and, the same facts,
 * its search attributes (workflows/transfer/publish.ts). One function computes both, so a list and visibility
 * never disagree on whom a transfer awaits. Pure and deterministic (the workflow calls it with its own clock).
 */
import { awaiting, awaitingChangesAt, rulesVersionOf, type TransferState } from './transfer';
import type { Phase } from './lifecycle';
import { isOverdue, nextDeadline, phase } from './transfer-state';

export interface TransferRow {
  transferId: string;
  status: string;
  phase: Phase;
  route: string | null;
  country: string | null;
  applicantOrg: string;
  recipientId: string | null;
  riskLevel: string | null;
  /** the first role awaited now, or the role whose task opens with time alone at `awaitedFrom` */
  awaitingRole: string | null;
  awaitingAction: string | null;
  /** when the awaited task opens (a report window); null when it is open already */
  awaitedFrom: string | null;
  nextDeadline: string | null;
  /** the workflow's own overdue flag (a read also counts a deadline that passed since: isDeadlineOverdue) */
  overdue: boolean;
  title: string | null;
  createdAt: string;
  updatedAt: string;
  /** decisions + escalations: a row of an older state never overwrites a newer one's */
  progress: number;
}

export function transferRow(state: TransferState, nowMs: number): TransferRow {
  const next = nextDeadline(state);
  // Whom it awaits. Some tasks open with time alone (rules 2: the report window): then the role is given with the
  // instant its task opens, and the inbox shows it from then on — no timer, no event.
  const opens = rulesVersionOf(state) >= 2 ? awaitingChangesAt(state, nowMs) : null;
  const task = awaiting(state, nowMs)[0] ?? (opens ? awaiting(state, Date.parse(opens))[0] : undefined);
  return {
    transferId: state.id,
    status: state.status,
    phase: phase(state),
    route: state.route?.route ?? null,
    country: state.application.recipient?.country ?? null,
    applicantOrg: state.applicantOrg,
    recipientId: state.application.recipient?.id ?? null,
    riskLevel: state.risk?.level ?? null,
    awaitingRole: task?.role ?? null,
    awaitingAction: task?.action ?? null,
    awaitedFrom: opens && task ? opens : null,
    nextDeadline: next?.dueAt ?? null,
    overdue: isOverdue(state),
    title: state.application.title ?? null,
    createdAt: state.createdAt,
    updatedAt: state.updatedAt,
    progress: state.decisions.length + state.escalations.length,
  };
}
