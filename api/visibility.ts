/**
 * Temporal visibility queries. The scope part is rendered from `visibleScope` (domain/authz.ts), the one
 * description of who sees which transfer; values are quoted (single quotes doubled) although JWT claims are
 * already restricted to safe characters (api/auth.ts).
 */
import type { VisibleScope } from '../domain/authz';

export const quote = (v: string): string => `'${v.replace(/'/g, "''")}'`;

/** The visibility rendering of a scope: a conjunction over the transfer's search attributes. */
export function visibilityClause(visible: VisibleScope): string {
  if (visible.nothing) return `TransferStatus = '__none__'`;
  const clauses: string[] = [];
  if (visible.applicantOrg !== undefined) clauses.push(`ApplicantOrg = ${quote(visible.applicantOrg)}`);
  if (visible.applicantOrgNot !== undefined)
    clauses.push(`ApplicantOrg != ${quote(visible.applicantOrgNot)}`);
  if (visible.recipientId !== undefined) clauses.push(`RecipientId = ${quote(visible.recipientId)}`);
  if (visible.excludeDraft) clauses.push(`TransferStatus != 'draft'`);
  return clauses.length > 0 ? clauses.join(' AND ') : `TransferStatus != '__none__'`;
}
