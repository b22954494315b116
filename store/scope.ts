/**
 * The SQL rendering of who sees which transfer (`visibleScope` in domain/authz.ts, the one description; its other
 * rendering is `canSee`). test/scope/scope.test.ts runs both, and the read model that uses this one, on one table.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { VisibleScope } from '../domain/authz';

/** The columns a table names the scope's facts by (a table without a status column holds no drafts). */
export interface ScopeColumns {
  applicantOrg: string;
  recipientId: string;
  status?: string;
}

export function scopeWhere(visible: VisibleScope, cols: ScopeColumns): RawBuilder<SqlBool> {
  if (visible.nothing) return sql<SqlBool>`1 = 0`;
  const parts: RawBuilder<unknown>[] = [];
  if (visible.applicantOrg !== undefined)
    parts.push(sql`${sql.ref(cols.applicantOrg)} = ${visible.applicantOrg}`);
  if (visible.applicantOrgNot !== undefined)
    parts.push(sql`${sql.ref(cols.applicantOrg)} <> ${visible.applicantOrgNot}`);
  if (visible.recipientId !== undefined)
    parts.push(sql`${sql.ref(cols.recipientId)} = ${visible.recipientId}`);
  if (visible.excludeDraft && cols.status !== undefined) parts.push(sql`${sql.ref(cols.status)} <> 'draft'`);
  return parts.length > 0 ? sql<SqlBool>`(${sql.join(parts, sql` and `)})` : sql<SqlBool>`1 = 1`;
}
