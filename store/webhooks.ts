/**
 * Webhook targets and their deliveries. An admin registers a URL per organisation (it receives what the org's
 * applicants would see in GET /v1/notifications, and — for a reviewing organisation — what its reviewers would)
 * or per recipient. `fanOut` turns new outbox rows into one pending delivery per concerned target; the worker's
 * loop starts a delivery workflow for each `unhanded` one and marks it handed; each attempt reads `forAttempt` and
 * writes `recordAttempt`; after the last one the workflow calls `markDead`. Who sends them (activities/webhooks.ts,
 * workflows/webhook-delivery.ts) is not this module's business.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Dialect, DB } from './schema';

/** `org:<org>` or `recipient:<recipient id>` */
export type WebhookTarget = `org:${string}` | `recipient:${string}`;
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';

/** A delivery: one notification to one target (its delivery workflow is `webhook-<task queue>-<notificationId>-<target>`). */
export interface DeliveryRef {
  notificationId: number;
  target: string;
}

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

  /**
   * Register or replace a target's URL; returns the signing secret (generated unless given): Standard Webhooks'
   * `whsec_<base64 of 32 random bytes>`. Secrets registered before that form are kept and used as raw key bytes.
   */
  async register(
    target: WebhookTarget,
    url: string,
    by: string,
    nowIso: string,
    secret?: string,
  ): Promise<string> {
    const s = secret ?? `whsec_${randomBytes(32).toString('base64')}`;
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
   * Pending deliveries not yet handed to Temporal (their delivery workflow not started), oldest first. Two loops may
   * read the same rows: the delivery workflow's id makes the second start a no-op.
   */
  async unhanded(limit = 100): Promise<DeliveryRef[]> {
    const rows = await this.db
      .selectFrom('webhook_deliveries')
      .select(['notification_id', 'target'])
      .where('handed_at', 'is', null)
      .where('status', '=', 'pending')
      .orderBy('notification_id')
      .orderBy('target')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ notificationId: Number(r.notification_id), target: r.target }));
  }

  /** The delivery's workflow was started (or had been): the loop does not look at it again. */
  async markHanded(d: DeliveryRef, nowIso: string): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ handed_at: nowIso })
      .where('notification_id', '=', d.notificationId)
      .where('target', '=', d.target)
      .where('handed_at', 'is', null)
      .execute();
  }

  /**
   * What one attempt sends: the delivery's status, the target's URL and secret as they are now (undefined URL: the
   * target was removed), the notification. Undefined when there is no such delivery.
   */
  async forAttempt(
    d: DeliveryRef,
  ): Promise<
    | (Omit<DueDelivery, 'url' | 'secret'> & { status: DeliveryStatus; url?: string; secret?: string })
    | undefined
  > {
    const r = await this.db
      .selectFrom('webhook_deliveries as d')
      .leftJoin('webhooks as w', 'w.target', 'd.target')
      .innerJoin('notifications as n', 'n.id', 'd.notification_id')
      .select([
        'd.notification_id',
        'd.target',
        'd.status',
        'd.attempts',
        'w.url',
        'w.secret',
        'n.transfer_id',
        'n.audience',
        'n.kind',
        'n.message',
        'n.created_at',
      ])
      .where('d.notification_id', '=', d.notificationId)
      .where('d.target', '=', d.target)
      .executeTakeFirst();
    if (!r) return undefined;
    return {
      notificationId: Number(r.notification_id),
      target: r.target,
      status: r.status as DeliveryStatus,
      attempts: Number(r.attempts),
      ...(r.url !== null && r.secret !== null ? { url: r.url, secret: r.secret } : {}),
      notification: {
        transferId: r.transfer_id,
        audience: r.audience,
        kind: r.kind,
        message: r.message,
        createdAt: r.created_at,
      },
    };
  }

  /** After the last attempt: a dead letter (GET /v1/admin/webhooks/deliveries?status=dead). A delivered one stays. */
  async markDead(d: DeliveryRef, error?: string): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({
        status: 'dead',
        last_error: error === undefined ? eb.ref('last_error') : eb.fn.coalesce('last_error', eb.val(error)),
      }))
      .where('notification_id', '=', d.notificationId)
      .where('target', '=', d.target)
      .where('status', '=', 'pending')
      .execute();
  }

  /**
   * The outcome of one attempt: delivered, or failed (pending for the next attempt, or dead). `nextAttemptAt` is
   * informational (Temporal's retry policy schedules the attempts). A failure never overwrites a delivered one.
   */
  async recordAttempt(
    d: DeliveryRef,
    outcome:
      | { delivered: true; attempts: number; at: string }
      | { delivered: false; attempts: number; error: string; dead: boolean; nextAttemptAt?: number },
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
        .where('status', '=', 'pending')
        .set({
          status: outcome.dead ? 'dead' : 'pending',
          attempts: outcome.attempts,
          ...(outcome.nextAttemptAt !== undefined ? { next_attempt_at: outcome.nextAttemptAt } : {}),
          last_error: outcome.error,
        })
        .execute();
  }
}
