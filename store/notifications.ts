/** The notification outbox: one row per key (a retried activity writes nothing twice), read per audience. */
import type { Kysely } from 'kysely';
import { visibleScope, type Actor } from '../domain/authz';
import { scopeWhere } from './scope';
import type { NotificationInput } from '../domain/evidence';
import type { DB, NotificationsTable } from './schema';

/** A notification as stored: what domain/evidence.ts describes, with its outbox id. */
export type NotificationRow = NotificationInput & { id: number };

export async function addNotificationIn(db: Kysely<DB>, n: NotificationInput): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      key: n.key,
      transfer_id: n.transferId,
      audience: n.audience,
      applicant_org: n.applicantOrg,
      recipient_id: n.recipientId,
      kind: n.kind,
      message: n.message,
      created_at: n.createdAt,
      fanned_out: null,
    })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
}

export const toNotification = (
  r: Pick<
    NotificationsTable,
    'key' | 'transfer_id' | 'audience' | 'applicant_org' | 'recipient_id' | 'kind' | 'message' | 'created_at'
  > & { id: number },
): NotificationRow => ({
  id: Number(r.id),
  key: r.key,
  transferId: r.transfer_id,
  audience: r.audience as NotificationRow['audience'],
  applicantOrg: r.applicant_org,
  recipientId: r.recipient_id,
  kind: r.kind,
  message: r.message,
  createdAt: r.created_at,
});

export class NotificationRepository {
  constructor(private readonly db: Kysely<DB>) {}

  /** Write a notification to the outbox once per key. */
  add(n: NotificationInput): Promise<void> {
    return addNotificationIn(this.db, n);
  }

  /** The notifications an identity may read, newest first; `before`: only those older than that id (the next page). */
  async forActor(actor: Actor, page: { limit?: number; before?: number } = {}): Promise<NotificationRow[]> {
    const { limit = 100, before } = page;
    const rows = await this.db
      .selectFrom('notifications')
      .select([
        'id',
        'key',
        'transfer_id',
        'audience',
        'applicant_org',
        'recipient_id',
        'kind',
        'message',
        'created_at',
      ])
      .where('audience', '=', actor.role)
      .where(scopeWhere(visibleScope(actor), { applicantOrg: 'applicant_org', recipientId: 'recipient_id' }))
      .$if(before !== undefined, (q) => q.where('id', '<', before!))
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toNotification);
  }
}
