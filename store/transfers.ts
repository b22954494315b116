/**
 * The transfer read model: one row per transfer with what lists and inboxes filter and sort on, upserted by the
 * evidence step after every workflow step (a row from an older step never overwrites a newer one's: `progress`),
 * read with keyset pagination on (updated_at, transfer_id) so a page costs the same at any depth.
 */
import type { Kysely } from 'kysely';
import type { DB, TransferViewsTable } from './schema';

export interface TransferView {
  transferId: string;
  status: string;
  phase: string | null;
  route: string | null;
  applicantOrg: string;
  recipientId: string | null;
  riskLevel: string | null;
  awaitingRole: string | null;
  awaitingAction: string | null;
  nextDeadline: string | null;
  overdue: boolean;
  title: string | null;
  /** how far the transfer has come (decisions + escalations); an upsert with less changes nothing */
  progress: number | null;
  updatedAt: string;
}

export interface TransferViewFilter {
  applicantOrg?: string;
  /** reviewers: transfers of organisations other than their own */
  notApplicantOrg?: string;
  recipientId?: string;
  status?: string;
  awaitingRole?: string;
  overdue?: boolean;
}

/** the position after the last row of a page */
export interface TransferViewCursor {
  updatedAt: string;
  transferId: string;
}

const toRow = (v: TransferView): TransferViewsTable => ({
  transfer_id: v.transferId,
  status: v.status,
  phase: v.phase,
  route: v.route,
  applicant_org: v.applicantOrg,
  recipient_id: v.recipientId,
  risk_level: v.riskLevel,
  awaiting_role: v.awaitingRole,
  awaiting_action: v.awaitingAction,
  next_deadline: v.nextDeadline,
  overdue: v.overdue ? 1 : 0,
  title: v.title,
  progress: v.progress,
  updated_at: v.updatedAt,
});
const fromRow = (r: TransferViewsTable): TransferView => ({
  transferId: r.transfer_id,
  status: r.status,
  phase: r.phase,
  route: r.route,
  applicantOrg: r.applicant_org,
  recipientId: r.recipient_id,
  riskLevel: r.risk_level,
  awaitingRole: r.awaiting_role,
  awaitingAction: r.awaiting_action,
  nextDeadline: r.next_deadline,
  overdue: Number(r.overdue) === 1,
  title: r.title,
  progress: r.progress === null ? null : Number(r.progress),
  updatedAt: r.updated_at,
});

export async function upsertTransferViewIn(db: Kysely<DB>, v: TransferView): Promise<void> {
  await db
    .insertInto('transfer_views')
    .values(toRow(v))
    .onConflict((oc) =>
      oc
        .column('transfer_id')
        .doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          phase: eb.ref('excluded.phase'),
          route: eb.ref('excluded.route'),
          applicant_org: eb.ref('excluded.applicant_org'),
          recipient_id: eb.ref('excluded.recipient_id'),
          risk_level: eb.ref('excluded.risk_level'),
          awaiting_role: eb.ref('excluded.awaiting_role'),
          awaiting_action: eb.ref('excluded.awaiting_action'),
          next_deadline: eb.ref('excluded.next_deadline'),
          overdue: eb.ref('excluded.overdue'),
          title: eb.ref('excluded.title'),
          progress: eb.ref('excluded.progress'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where((eb) =>
          eb.or([
            eb('excluded.progress', 'is', null),
            eb('transfer_views.progress', 'is', null),
            eb('excluded.progress', '>=', eb.ref('transfer_views.progress')),
          ]),
        ),
    )
    .execute();
}

export class TransferViewRepository {
  constructor(private readonly db: Kysely<DB>) {}

  upsert(v: TransferView): Promise<void> {
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

  /** A page, newest first (updated_at, then id, descending); `next` is the cursor of the following page. */
  async list(
    filter: TransferViewFilter,
    page: { limit: number; after?: TransferViewCursor },
  ): Promise<{ items: TransferView[]; next?: TransferViewCursor }> {
    let q = this.db.selectFrom('transfer_views').selectAll();
    if (filter.applicantOrg !== undefined) q = q.where('applicant_org', '=', filter.applicantOrg);
    if (filter.notApplicantOrg !== undefined) q = q.where('applicant_org', '<>', filter.notApplicantOrg);
    if (filter.recipientId !== undefined) q = q.where('recipient_id', '=', filter.recipientId);
    if (filter.status !== undefined) q = q.where('status', '=', filter.status);
    if (filter.awaitingRole !== undefined) q = q.where('awaiting_role', '=', filter.awaitingRole);
    if (filter.overdue !== undefined) q = q.where('overdue', '=', filter.overdue ? 1 : 0);
    const after = page.after;
    if (after)
      q = q.where((eb) =>
        eb.or([
          eb('updated_at', '<', after.updatedAt),
          eb.and([eb('updated_at', '=', after.updatedAt), eb('transfer_id', '<', after.transferId)]),
        ]),
      );
    const rows = await q
      .orderBy('updated_at', 'desc')
      .orderBy('transfer_id', 'desc')
      .limit(page.limit + 1)
      .execute();
    const items = rows.slice(0, page.limit).map(fromRow);
    const last = items[items.length - 1];
    return rows.length > page.limit && last
      ? { items, next: { updatedAt: last.updatedAt, transferId: last.transferId } }
      : { items };
  }
}
