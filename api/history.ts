/**
 * A transfer's history as API.md shapes it: who did what when, with reasons, each entry hash-chained to the one
 * before (SHA-256 over the canonical JSON of the entry and the previous hash). Derived from the workflow's record.
 */
import { createHash } from 'node:crypto';
import type { TransferState } from '../domain/transfer';

export interface HistoryEntry {
  seq: number;
  at: string;
  actor: string;
  role: string;
  action: string;
  summary: string;
  hash: string;
  prevHash: string | null;
}

/** JSON with object keys sorted at every level, so the same entry always hashes the same. */
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

function summaryOf(d: TransferState['decisions'][number]): string {
  const details = d.details && Object.keys(d.details).length ? ` (${canonicalJson(d.details)})` : '';
  return `${d.action}${d.reason ? `: ${d.reason}` : ''}${details}`;
}

export function historyOf(state: TransferState): HistoryEntry[] {
  const events = [
    ...state.decisions.map((d) => ({
      at: d.at,
      actor: d.by,
      role: d.role,
      action: d.action,
      summary: summaryOf(d),
    })),
    ...state.escalations.map((e) => ({
      at: e.at,
      actor: 'system',
      role: 'system',
      action: `escalation.${e.step}`,
      summary: e.notice,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const out: HistoryEntry[] = [];
  let prevHash: string | null = null;
  events.forEach((e, i) => {
    const body = { seq: i + 1, ...e, prevHash };
    const hash = createHash('sha256').update(canonicalJson(body)).digest('hex');
    out.push({ ...body, hash });
    prevHash = hash;
  });
  return out;
}
