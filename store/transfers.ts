/**
 * The transfer read model behind GET /v1/transfers and GET /v1/inbox: one row per transfer (domain/transfer-row.ts,
 * the same facts the workflow publishes as search attributes), upserted by the evidence step after every workflow
 * step and by the API right after an answered action (a row of an older step never overwrites a newer one's:
 * `progress`). Pages are keyset pages on indexed columns, scoped in SQL by the one scope description
 * (`visibleScope` → store/scope.ts), so a page costs the same at 100,000 transfers as at 10.
 */
import type { Kysely } from 'kysely';
import type { VisibleScope } from '../domain/authz';
import type { TransferRow } from '../domain/transfer-row';
import type { DB, TransferViewsTable } from './schema';
import { scopeWhere } from './scope';

export interface TransferView extends TransferRow {
  /** the execution was closed from outside (terminated, timed out) while it still awaited someone */
  closed: boolean;
}

/** Filters of a list page (AND); `overdue` counts a deadline that passed since the row was written (`now`). */
export interface TransferViewFilter {
  status?: string;
  phase?: string;
  route?: string;
  country?: string;
  riskLevel?: string;
  awaitingRole?: string;
  overdue?: boolean;
}

/** the position after the last row of a list page (newest first) */
export interface ListCursor {
  createdAt: string;
  transferId: string;
}

/** the position after the last row of an inbox page (overdue first, then the nearest deadline) */
export interface InboxCursor {
  overdue: boolean;
  dueSort: string;
  transferId: string;
}

/** rows without a deadline sort after every deadline */
const NO_DEADLINE = '9999-12-31T23:59:59.999Z';

const toRow = (v: TransferRow): TransferViewsTable => ({
  transfer_id: v.transferId,
  status: v.status,
  phase: v.phase,
  route: v.route,
  country: v.country,
  applicant_org: v.applicantOrg,
  recipient_id: v.recipientId,
  risk_level: v.riskLevel,
  awaiting_role: v.awaitingRole,
  awaiting_action: v.awaitingAction,
  awaited_from: v.awaitedFrom,
  next_deadline: v.nextDeadline,
  due_sort: v.nextDeadline ?? NO_DEADLINE,
  overdue: v.overdue ? 1 : 0,
  closed: 0,
  title: v.title,
  created_at: v.createdAt,
  updated_at: v.updatedAt,
  progress: v.progress,
});
const fromRow = (r: TransferViewsTable): TransferView => ({
  transferId: r.transfer_id,
  status: r.status,
  phase: r.phase as TransferView['phase'],
  route: r.route,
  country: r.country,
  applicantOrg: r.applicant_org,
  recipientId: r.recipient_id,
  riskLevel: r.risk_level,
  awaitingRole: r.awaiting_role,
  awaitingAction: r.awaiting_action,
  awaitedFrom: r.awaited_from,
  nextDeadline: r.next_deadline,
  overdue: Number(r.overdue) === 1,
  closed: Number(r.closed) === 1,
  title: r.title,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  progress: Number(r.progress),
});

export async function upsertTransferViewIn(db: Kysely<DB>, v: TransferRow): Promise<void> {
  const row = toRow(v);
  // every column but the key; `closed` back to 0: a workflow that writes runs (e.g. after an operator's reset)
  const { transfer_id: _id, ...changed } = row;
  await db
    .insertInto('transfer_views')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('transfer_id')
        .doUpdateSet((eb) =>
          Object.fromEntries(
            Object.keys(changed).map((k) => [k, eb.ref(`excluded.${k}` as 'excluded.status')]),
          ),
        )
        .where((eb) => eb('excluded.progress', '>=', eb.ref('transfer_views.progress'))),
    )
    .execute();
}

/** `limit + 1` rows read: the page, and the cursor after its last row when there is more */
function pageOf<C>(
  rows: TransferViewsTable[],
  limit: number,
  cursorOf: (r: TransferViewsTable) => C,
): { items: TransferView[]; next?: C } {
  const items = rows.slice(0, limit).map(fromRow);
  const last = rows[limit - 1];
  return rows.length > limit && last ? { items, next: cursorOf(last) } : { items };
}

const scopeColumns = { applicantOrg: 'applicant_org', recipientId: 'recipient_id', status: 'status' };

export class TransferViewRepository {
  constructor(private readonly db: Kysely<DB>) {}

  upsert(v: TransferRow): Promise<void> {
    return upsertTransferViewIn(this.db, v);
  }

  async get(transferId: string): Promise<TransferView | undefined> {
    const row = await this.db
      .selectFrom('transfer_views')
      .selectAll()
      .where('transfer_id', '=', transferId)
      .executeTakeFirst();
    return row && fromRow(row);
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('transfer_views')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A page of what `scope` sees, newest first (created_at, then id, descending). */
  async list(
    scope: VisibleScope,
    filter: TransferViewFilter,
    page: { limit: number; now: string; after?: ListCursor },
  ): Promise<{ items: TransferView[]; next?: ListCursor }> {
    let q = this.db.selectFrom('transfer_views').selectAll().where(scopeWhere(scope, scopeColumns));
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.phase !== undefined) q = q.where('phase', '=', filter.phase);
    if (filter.route !== undefined) q = q.where('route', '=', filter.route);
    if (filter.country !== undefined) q = q.where('country', '=', filter.country);
    if (filter.riskLevel !== undefined) q = q.where('risk_level', '=', filter.riskLevel);
    if (filter.awaitingRole !== undefined)
      q = q.where('awaiting_role', '=', filter.awaitingRole).where('closed', '=', 0);
    if (filter.overdue === true)
      q = q.where((eb) => eb.or([eb('overdue', '=', 1), eb('due_sort', '<', page.now)]));
    if (filter.overdue === false) q = q.where('overdue', '=', 0).where('due_sort', '>=', page.now);
    const after = page.after;
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('transfer_id', '<', after.transferId)]),
        ]),
      );
    const rows = await q
      .orderBy('created_at', 'desc')
      .orderBy('transfer_id', 'desc')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows, page.limit, (r) => ({ createdAt: r.created_at, transferId: r.transfer_id }));
  }

  /**
   * A page of what awaits `role` within `scope` now (a task that opens with time alone from when it opens; never a
   * closed execution): overdue first, then the nearest deadline, then id.
   */
  async inbox(
    scope: VisibleScope,
    role: string,
    filter: Pick<TransferViewFilter, 'phase' | 'route' | 'riskLevel'>,
    page: { limit: number; now: string; after?: InboxCursor },
  ): Promise<{ items: TransferView[]; next?: InboxCursor }> {
    let q = this.db
      .selectFrom('transfer_views')
      .selectAll()
      .where(scopeWhere(scope, scopeColumns))
      .where('awaiting_role', '=', role)
      .where('closed', '=', 0)
      .where((eb) => eb.or([eb('awaited_from', 'is', null), eb('awaited_from', '<=', page.now)]));
    if (filter.phase !== undefined) q = q.where('phase', '=', filter.phase);
    if (filter.route !== undefined) q = q.where('route', '=', filter.route);
    if (filter.riskLevel !== undefined) q = q.where('risk_level', '=', filter.riskLevel);
    const after = page.after;
    if (after) {
      const overdue = after.overdue ? 1 : 0;
      q = q.where((eb) =>
        eb.or([
          eb('overdue', '<', overdue),
          eb.and([
            eb('overdue', '=', overdue),
            eb.or([
              eb('due_sort', '>', after.dueSort),
              eb.and([eb('due_sort', '=', after.dueSort), eb('transfer_id', '>', after.transferId)]),
            ]),
          ]),
        ]),
      );
    }
    const rows = await q
      .orderBy('overdue', 'desc')
      .orderBy('due_sort', 'asc')
      .orderBy('transfer_id', 'asc')
      .limit(page.limit + 1)
      .execute();
    return pageOf(rows, page.limit, (r) => ({
      overdue: Number(r.overdue) === 1,
      dueSort: r.due_sort,
      transferId: r.transfer_id,
    }));
  }

  /** Executions found closed from outside: never offered as a task again. */
  async markClosed(transferIds: string[]): Promise<void> {
    if (transferIds.length === 0) return;
    await this.db
      .updateTable('transfer_views')
      .set({ closed: 1 })
      .where('transfer_id', 'in', transferIds)
      .execute();
  }
}
