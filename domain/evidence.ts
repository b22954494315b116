/**
 * What a step of a transfer leaves as evidence, computed from its state (pure, deterministic): audit entries for
 * the decisions and escalations not yet recorded, and notifications for whom the step concerns (a decision on
 * their transfer, a new task in their inbox). The workflow sends them to the evidence store in one idempotent
 * write and moves the cursor on once it is written.
 */
import { awaiting, type TransferState } from './transfer';
import type { Decision, Escalation } from './transfer-state';

/** How far a transfer's evidence is recorded; carried across continue-as-new. */
export interface EvidenceCursor {
  /** audit entries written for decisions[0..decisions) and escalations[0..escalations) */
  decisions: number;
  escalations: number;
  /** decision notifications sent for decisions[0..notifiedDecisions) */
  notifiedDecisions: number;
  /** the awaited role/action pairs last announced */
  tasks: string;
}

export interface AuditEntryInput {
  key: string;
  at: string;
  actor: string;
  role: string;
  action: string;
  summary: string;
  reason?: string;
  details?: Record<string, unknown>;
}

export interface NotificationInput {
  key: string;
  transferId: string;
  audience: 'applicant' | 'reviewer' | 'recipient';
  applicantOrg: string;
  recipientId: string | null;
  kind: string;
  message: string;
  createdAt: string;
}

/** JSON with object keys sorted at every level, so the same value always reads (and hashes) the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

const tasksOf = (state: TransferState, nowMs?: number): string =>
  awaiting(state, nowMs)
    .map((a) => `${a.role}:${a.action}`)
    .join(',');

/** A cursor for a transfer none of whose evidence is recorded yet (notifications: from now on only). */
export function cursorFor(state: TransferState, backfillAudit: boolean): EvidenceCursor {
  return backfillAudit
    ? { decisions: 0, escalations: 0, notifiedDecisions: state.decisions.length, tasks: tasksOf(state) }
    : { decisions: 0, escalations: 0, notifiedDecisions: 0, tasks: '' };
}

/** A decision's audit entry under `key` (what was decided, by whom, when, why). */
export function decisionEntry(d: Decision, key: string): AuditEntryInput {
  return {
    key,
    at: d.at,
    actor: d.by,
    role: d.role,
    action: d.action,
    summary: `${d.action}${d.reason ? `: ${d.reason}` : ''}${
      d.details && Object.keys(d.details).length ? ` (${canonicalJson(d.details)})` : ''
    }`,
    ...(d.reason ? { reason: d.reason } : {}),
    ...(d.details ? { details: d.details } : {}),
  };
}

/** An escalation's audit entry under `key`. */
export function escalationEntry(e: Escalation, key: string): AuditEntryInput {
  return {
    key,
    at: e.at,
    actor: 'system',
    role: 'system',
    action: `escalation.${e.step}`,
    summary: e.notice,
  };
}

/** `nowMs`: the instant whose tasks to announce (default: the state's `updatedAt`). */
export function pendingEvidence(
  state: TransferState,
  cursor: EvidenceCursor,
  nowMs?: number,
): { entries: AuditEntryInput[]; notifications: NotificationInput[]; next: EvidenceCursor } {
  const entries = [
    ...state.decisions.slice(cursor.decisions).map((d, i) => decisionEntry(d, `d:${cursor.decisions + i}`)),
    ...state.escalations
      .slice(cursor.escalations)
      .map((e, i) => escalationEntry(e, `e:${cursor.escalations + i}`)),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const base = {
    transferId: state.id,
    applicantOrg: state.applicantOrg,
    recipientId: state.application.recipient?.id ?? null,
  };
  const notifications: NotificationInput[] = [];
  state.decisions.slice(cursor.notifiedDecisions).forEach((d, i) => {
    if (d.role !== 'reviewer') return; // the applicant's own acts and system steps are notified elsewhere
    notifications.push({
      ...base,
      key: `${state.id}:decision:${cursor.notifiedDecisions + i}`,
      audience: 'applicant',
      kind: d.action.startsWith('supervise.') ? 'supervision' : 'decision',
      message: `${d.action}${d.reason ? `: ${d.reason}` : ''}`,
      createdAt: d.at,
    });
  });
  const tasks = tasksOf(state, nowMs);
  if (tasks !== cursor.tasks) {
    awaiting(state, nowMs).forEach((a) => {
      if (a.role === 'admin') return;
      notifications.push({
        ...base,
        key: `${state.id}:task:${state.decisions.length}:${a.role}:${a.action}`,
        audience: a.role,
        kind: 'task',
        message: `${a.action} awaits you on "${state.application.title ?? state.id}"`,
        createdAt: state.updatedAt,
      });
    });
  }
  return {
    entries,
    notifications,
    next: {
      decisions: state.decisions.length,
      escalations: state.escalations.length,
      notifiedDecisions: state.decisions.length,
      tasks,
    },
  };
}
