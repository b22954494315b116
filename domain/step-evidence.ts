/**
 * What one step of a transfer leaves in the evidence store, as the workflow (code version 6 and later) and the API
 * both compute it from a state that is durably in the workflow's history (pure, deterministic).
 *
 * Keys are by content, not by position: an audit entry's key is the SHA-256 of the decision (or escalation) it
 * records, so a decision that was never kept can never take a kept one's place, and two writers (the API right
 * after an update returned, the workflow at its next step) write each entry once.
 */
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils';
import { awaiting, isDeadlineConsequence, type TransferState } from './transfer';
import { transferRow, type TransferRow } from './transfer-row';
import type { Decision, Escalation } from './transfer-state';
import {
  canonicalJson,
  decisionEntry,
  escalationEntry,
  type AuditEntryInput,
  type EvidenceCursor,
  type NotificationInput,
} from './evidence';

/** One idempotent write: the chain's facts, new audit entries, documents the parties may read, notifications. */
export interface StepEvidence {
  facts: {
    transferId: string;
    applicantOrg: string;
    recipientId: string | null;
    status: string;
    application?: unknown;
    at: string;
    /** decisions + escalations: facts of an older state never overwrite a newer one's */
    progress?: number;
  };
  entries: AuditEntryInput[];
  documentIds: string[];
  notifications: NotificationInput[];
  /** the transfer's row in the read model as of this step (absent in evidence written by older code) */
  view?: TransferRow;
}

const digest = (value: unknown): string => bytesToHex(sha256(utf8ToBytes(canonicalJson(value)))).slice(0, 32);

/** The content key of a decision's audit entry (what it says, by whom, when). */
export const decisionKey = (d: Decision): string => `d:${digest(d)}`;
export const escalationKey = (e: Escalation): string => `e:${digest(e)}`;

const tasksOf = (state: TransferState, nowMs: number): string =>
  awaiting(state, nowMs)
    .map((a) => `${a.role}:${a.action}`)
    .join(',');

/** Every document the transfer references (none while a draft). */
export function referencedDocuments(state: TransferState): string[] {
  if (state.status === 'draft') return [];
  const materials = (state.application.materials ?? []).map((m) => m.documentId);
  const answers = state.supplementRequests.flatMap((r) => r.items.map((i) => i.response?.documentId));
  const agreement = [state.agreement?.documentId, state.agreement?.signedDocumentId];
  return [...new Set([...materials, ...answers, ...agreement].filter((id): id is string => !!id))];
}

/**
 * The evidence for everything in `state` past `cursor`, and the cursor after it is written. `at` is the write's
 * instant (the chain facts' updated time), `application` is sent when the caller knows it changed.
 */
export function stepEvidence(
  state: TransferState,
  cursor: EvidenceCursor,
  at: string,
  application?: unknown,
): { evidence: StepEvidence; next: EvidenceCursor } {
  const decisions = state.decisions.slice(cursor.decisions);
  const escalations = state.escalations.slice(cursor.escalations);
  const entries: AuditEntryInput[] = [
    ...decisions.map((d) => decisionEntry(d, decisionKey(d))),
    ...escalations.map((e) => escalationEntry(e, escalationKey(e))),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));

  const base = {
    transferId: state.id,
    applicantOrg: state.applicantOrg,
    recipientId: state.application.recipient?.id ?? null,
  };
  const notifications: NotificationInput[] = [];
  for (const e of escalations) {
    const who = state.deadlines.find((d) => d.step === e.step)?.actor ?? 'reviewer';
    notifications.push({
      ...base,
      key: `${state.id}:escalation:${escalationKey(e)}`,
      audience: who,
      kind: who === 'reviewer' ? 'overdue' : 'warning',
      message: e.notice,
      createdAt: e.at,
    });
  }
  for (const d of state.decisions.slice(cursor.notifiedDecisions)) {
    if (isDeadlineConsequence(d))
      notifications.push({
        ...base,
        key: `${state.id}:deadline:${decisionKey(d)}`,
        audience: 'applicant',
        kind: d.action,
        message: d.reason ?? d.action,
        createdAt: d.at,
      });
    else if (d.role === 'reviewer')
      notifications.push({
        ...base,
        key: `${state.id}:decision:${decisionKey(d)}`,
        audience: 'applicant',
        kind: d.action.startsWith('supervise.') ? 'supervision' : 'decision',
        message: `${d.action}${d.reason ? `: ${d.reason}` : ''}`,
        createdAt: d.at,
      });
  }
  const nowMs = Date.parse(at);
  const tasks = tasksOf(state, nowMs);
  if (tasks !== cursor.tasks)
    for (const a of awaiting(state, nowMs)) {
      if (a.role === 'admin') continue;
      notifications.push({
        ...base,
        key: `${state.id}:task:${state.decisions.length}:${a.role}:${a.action}`,
        audience: a.role,
        kind: 'task',
        message: `${a.action} awaits you on "${state.application.title ?? state.id}"`,
        createdAt: state.updatedAt,
      });
    }
  return {
    evidence: {
      facts: {
        ...base,
        status: state.status,
        at,
        progress: state.decisions.length + state.escalations.length,
        ...(application !== undefined ? { application } : {}),
      },
      entries,
      documentIds: referencedDocuments(state),
      notifications,
      view: transferRow(state, nowMs),
    },
    next: {
      decisions: state.decisions.length,
      escalations: state.escalations.length,
      notifiedDecisions: state.decisions.length,
      tasks,
    },
  };
}
