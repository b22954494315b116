/**
 * Webhook targets and their deliveries. An admin registers a URL per organisation (it receives what the org's
 * applicants would see in GET /v1/notifications, and — for a reviewing organisation — what its reviewers would)
 * or per recipient. `fanOut` turns new outbox rows into one pending delivery per concerned target; `claimDue`
 * leases the deliveries that are due (one process at a time: locked rows are skipped on PostgreSQL) and
 * `recordAttempt` writes the outcome. Who sends them (today activities/webhooks.ts) is not this module's business.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dialect, DB } from './schema';

/** `org:<org>` or `recipient:<recipient id>` */
export type WebhookTarget = `org:${string}` | `recipient:${string}`;
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

export interface DueDelivery {
  notificationId: number;
  target: string;
  attempts: number;
  url: string;
  secret: string;
  notification: {
    transferId: string;
    audience: string;
    kind: string;
    message: string;
    createdAt: string;
  };
}

export function concerns(
  target: string,
  n: { audience: string; applicant_org: string; recipient_id: string | null },
): boolean {
  const kind = target.slice(0, target.indexOf(':'));
  const id = target.slice(target.indexOf(':') + 1);
  return (
    (kind === 'org' && n.audience === 'applicant' && n.applicant_org === id) ||
    (kind === 'org' && n.audience === 'reviewer' && n.applicant_org !== id) ||
    (kind === 'recipient' && n.audience === 'recipient' && n.recipient_id === id)
  );
}

export class WebhookRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly dialect: Dialect,
  ) {}

  /** Register or replace a target's URL; returns the signing secret (generated unless given). */
  async register(
    target: WebhookTarget,
    url: string,
    by: string,
    nowIso: string,
    secret?: string,
  ): Promise<string> {
    const s = secret ?? randomBytes(32).toString('base64url');
    await this.db
      .insertInto('webhooks')
      .values({ target, url, secret: s, updated_at: nowIso, updated_by: by })
      .onConflict((oc) =>
        oc.column('target').doUpdateSet((eb) => ({
          url: eb.ref('excluded.url'),
          secret: eb.ref('excluded.secret'),
          updated_at: eb.ref('excluded.updated_at'),
          updated_by: eb.ref('excluded.updated_by'),
        })),
      )
      .execute();
    return s;
  }

  async remove(target: WebhookTarget): Promise<boolean> {
    const res = await this.db.deleteFrom('webhooks').where('target', '=', target).executeTakeFirst();
    return Number(res.numDeletedRows) > 0;
  }

  async list(): Promise<{ target: string; url: string; updatedAt: string; updatedBy: string }[]> {
    return (
      await this.db
        .selectFrom('webhooks')
        .select(['target', 'url', 'updated_at', 'updated_by'])
        .orderBy('target')
        .execute()
    ).map((r) => ({ target: r.target, url: r.url, updatedAt: r.updated_at, updatedBy: r.updated_by }));
  }

  async deliveries(status?: DeliveryStatus) {
    let q = this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .select([
        'd.notification_id',
        'd.target',
        'd.status',
        'd.attempts',
        'd.last_error',
        'd.delivered_at',
        'n.transfer_id',
        'n.kind',
      ]);
    if (status) q = q.where('d.status', '=', status);
    const rows = await q.orderBy('d.notification_id', 'desc').limit(500).execute();
    return rows.map((r) => ({
      notificationId: Number(r.notification_id),
      target: r.target,
      status: r.status,
      attempts: Number(r.attempts),
      lastError: r.last_error,
      deliveredAt: r.delivered_at,
      transferId: r.transfer_id,
      kind: r.kind,
    }));
  }

  /** New outbox rows become deliveries for every target they concern. Returns how many rows were fanned out. */
  async fanOut(nowMs: number, batch = 1000): Promise<number> {
    return this.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('notifications')
        .select(['id', 'audience', 'applicant_org', 'recipient_id'])
        .where('fanned_out', 'is', null)
        .orderBy('id')
        .limit(batch);
      if (this.dialect === 'postgres') q = q.forUpdate().skipLocked();
      const rows = await q.execute();
      if (rows.length === 0) return 0;
      const targets = (await trx.selectFrom('webhooks').select('target').execute()).map((w) => w.target);
      const values = rows.flatMap((n) =>
        targets
          .filter((t) => concerns(t, n))
          .map((target) => ({
            notification_id: Number(n.id),
            target,
            status: 'pending',
            attempts: 0,
            next_attempt_at: nowMs,
          })),
      );
      if (values.length > 0)
        await trx
          .insertInto('webhook_deliveries')
          .values(values)
          .onConflict((oc) => oc.columns(['notification_id', 'target']).doNothing())
          .execute();
      await trx
        .updateTable('notifications')
        .set({ fanned_out: 1 })
        .where(
          'id',
          'in',
          rows.map((r) => Number(r.id)),
        )
        .execute();
      return rows.length;
    });
  }

  /**
   * The pending deliveries due at `nowMs`, leased for `leaseMs` (their next attempt moved past the lease, so
   * another round — in this process or another — does not take them while they are being sent).
   */
  async claimDue(nowMs: number, leaseMs: number, limit = 50): Promise<DueDelivery[]> {
    return this.db.transaction().execute(async (trx) => {
      let q = trx
        .selectFrom('webhook_deliveries as d')
        .innerJoin('webhooks as w', 'w.target', 'd.target')
        .innerJoin('notifications as n', 'n.id', 'd.notification_id')
        .select([
          'd.notification_id',
          'd.target',
          'd.attempts',
          'w.url',
          'w.secret',
          'n.transfer_id',
          'n.audience',
          'n.kind',
          'n.message',
          'n.created_at',
        ])
        .where('d.status', '=', 'pending')
        .where('d.next_attempt_at', '<=', nowMs)
        .orderBy('d.next_attempt_at')
        .limit(limit);
      if (this.dialect === 'postgres') q = q.forUpdate('d').skipLocked();
      const rows = await q.execute();
      for (const r of rows)
        await trx
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: nowMs + leaseMs })
          .where('notification_id', '=', r.notification_id)
          .where('target', '=', r.target)
          .execute();
      return rows.map((r) => ({
        notificationId: Number(r.notification_id),
        target: r.target,
        attempts: Number(r.attempts),
        url: r.url,
        secret: r.secret,
        notification: {
          transferId: r.transfer_id,
          audience: r.audience,
          kind: r.kind,
          message: r.message,
          createdAt: r.created_at,
        },
      }));
    });
  }

  /** The outcome of one attempt: delivered, or failed with the next attempt's time (or dead). */
  async recordAttempt(
    d: { notificationId: number; target: string },
    outcome:
      | { delivered: true; attempts: number; at: string }
      | { delivered: false; attempts: number; error: string; dead: boolean; nextAttemptAt: number },
  ): Promise<void> {
    const q = this.db
      .updateTable('webhook_deliveries')
      .where('notification_id', '=', d.notificationId)
      .where('target', '=', d.target);
    if (outcome.delivered)
      await q
        .set({ status: 'delivered', attempts: outcome.attempts, delivered_at: outcome.at, last_error: null })
        .execute();
    else
      await q
        .set({
          status: outcome.dead ? 'dead' : 'pending',
          attempts: outcome.attempts,
          next_attempt_at: outcome.nextAttemptAt,
          last_error: outcome.error,
        })
        .execute();
  }
}
