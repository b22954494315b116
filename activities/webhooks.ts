/**
 * Webhook delivery of the notification outbox. An admin registers a URL per organisation (it receives what the
 * org's applicants would see in GET /v1/notifications, and — for a reviewing organisation — what its reviewers
 * would) or per recipient. Each notification is POSTed as JSON, signed:
 *   X-Xborder-Timestamp: <unix seconds>
 *   X-Xborder-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   X-Xborder-Delivery: <notification id>   (the same on every retry: deduplicate on it)
 * Receivers recompute the HMAC over the raw body, compare in constant time, and refuse timestamps older than five
 * minutes (replay). A failed attempt (no 2xx within 5 s) is retried with exponential backoff; after
 * `maxAttempts` the delivery is dead-lettered (GET /v1/admin/webhooks/dead-letters).
 */
import { createHmac, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

export const WEBHOOK_SCHEMA = `
CREATE TABLE IF NOT EXISTS webhooks (
  target TEXT PRIMARY KEY, url TEXT NOT NULL, secret TEXT NOT NULL, updated_at TEXT NOT NULL, updated_by TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS webhook_deliveries (
  notification_id INTEGER NOT NULL, target TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL, last_error TEXT, delivered_at TEXT, PRIMARY KEY (notification_id, target)
);
CREATE TABLE IF NOT EXISTS webhook_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), last_notification_id INTEGER NOT NULL);
`;

/** `org:<org>` or `recipient:<recipient id>` */
export type WebhookTarget = `org:${string}` | `recipient:${string}`;

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DeliveryOptions {
  /** first retry after this; doubled per attempt, at most an hour */
  baseDelayMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

export class Webhooks {
  constructor(
    private readonly db: Database.Database,
    private readonly options: DeliveryOptions = { baseDelayMs: 10_000, maxAttempts: 8, timeoutMs: 5_000 },
  ) {
    db.exec(WEBHOOK_SCHEMA);
  }

  /** Register or replace a target's URL; returns the signing secret (generated unless given). */
  register(target: WebhookTarget, url: string, by: string, nowIso: string, secret?: string): string {
    const s = secret ?? randomBytes(32).toString('base64url');
    this.db
      .prepare(
        `INSERT INTO webhooks (target, url, secret, updated_at, updated_by) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (target) DO UPDATE SET url = excluded.url, secret = excluded.secret,
           updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(target, url, s, nowIso, by);
    return s;
  }

  remove(target: WebhookTarget): boolean {
    return this.db.prepare('DELETE FROM webhooks WHERE target = ?').run(target).changes > 0;
  }

  list(): { target: string; url: string; updatedAt: string; updatedBy: string }[] {
    return (
      this.db.prepare('SELECT target, url, updated_at, updated_by FROM webhooks ORDER BY target').all() as {
        target: string;
        url: string;
        updated_at: string;
        updated_by: string;
      }[]
    ).map((r) => ({ target: r.target, url: r.url, updatedAt: r.updated_at, updatedBy: r.updated_by }));
  }

  deliveries(status?: 'pending' | 'delivered' | 'dead') {
    return (
      this.db
        .prepare(
          `SELECT d.notification_id, d.target, d.status, d.attempts, d.last_error, d.delivered_at, n.transfer_id, n.kind
           FROM webhook_deliveries d JOIN notifications n ON n.id = d.notification_id
           ${status ? 'WHERE d.status = ?' : ''} ORDER BY d.notification_id DESC LIMIT 500`,
        )
        .all(...(status ? [status] : [])) as {
        notification_id: number;
        target: string;
        status: string;
        attempts: number;
        last_error: string | null;
        delivered_at: string | null;
        transfer_id: string;
        kind: string;
      }[]
    ).map((r) => ({
      notificationId: r.notification_id,
      target: r.target,
      status: r.status,
      attempts: r.attempts,
      lastError: r.last_error,
      deliveredAt: r.delivered_at,
      transferId: r.transfer_id,
      kind: r.kind,
    }));
  }

  /** New outbox rows become deliveries for every target they concern (the same scoping as GET /notifications). */
  private enqueue(nowMs: number): void {
    this.db.transaction(() => {
      const cursor =
        (
          this.db.prepare('SELECT last_notification_id AS id FROM webhook_cursor WHERE id = 1').get() as
            { id: number } | undefined
        )?.id ?? 0;
      const rows = this.db
        .prepare(
          'SELECT id, audience, applicant_org, recipient_id FROM notifications WHERE id > ? ORDER BY id LIMIT 1000',
        )
        .all(cursor) as {
        id: number;
        audience: string;
        applicant_org: string;
        recipient_id: string | null;
      }[];
      const targets = this.list().map((w) => w.target);
      const insert = this.db.prepare(
        "INSERT OR IGNORE INTO webhook_deliveries (notification_id, target, status, attempts, next_attempt_at) VALUES (?, ?, 'pending', 0, ?)",
      );
      for (const n of rows) {
        for (const target of targets) {
          const [kind, id] = [target.slice(0, target.indexOf(':')), target.slice(target.indexOf(':') + 1)];
          const concerns =
            (kind === 'org' && n.audience === 'applicant' && n.applicant_org === id) ||
            (kind === 'org' && n.audience === 'reviewer' && n.applicant_org !== id) ||
            (kind === 'recipient' && n.audience === 'recipient' && n.recipient_id === id);
          if (concerns) insert.run(n.id, target, nowMs);
        }
      }
      if (rows.length > 0)
        this.db
          .prepare(
            'INSERT INTO webhook_cursor (id, last_notification_id) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET last_notification_id = excluded.last_notification_id',
          )
          .run(rows[rows.length - 1]!.id);
    })();
  }

  /** One round: enqueue new notifications, attempt what is due. Returns how many attempts were made. */
  async tick(nowMs = Date.now()): Promise<number> {
    this.enqueue(nowMs);
    const due = this.db
      .prepare(
        `SELECT d.notification_id, d.target, d.attempts, w.url, w.secret, n.transfer_id, n.audience, n.kind, n.message, n.created_at
         FROM webhook_deliveries d JOIN webhooks w ON w.target = d.target JOIN notifications n ON n.id = d.notification_id
         WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at LIMIT 50`,
      )
      .all(nowMs) as {
      notification_id: number;
      target: string;
      attempts: number;
      url: string;
      secret: string;
      transfer_id: string;
      audience: string;
      kind: string;
      message: string;
      created_at: string;
    }[];
    await Promise.all(
      due.map(async (d) => {
        const body = JSON.stringify({
          id: d.notification_id,
          transferId: d.transfer_id,
          audience: d.audience,
          kind: d.kind,
          message: d.message,
          createdAt: d.created_at,
        });
        const timestamp = Math.floor(Date.now() / 1000);
        let error: string | null = null;
        try {
          const res = await fetch(d.url, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              'x-xborder-timestamp': String(timestamp),
              'x-xborder-signature': sign(d.secret, timestamp, body),
              'x-xborder-delivery': String(d.notification_id),
            },
            body,
            signal: AbortSignal.timeout(this.options.timeoutMs),
            redirect: 'manual',
          });
          if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
        } catch (err) {
          error = err instanceof Error ? err.message : String(err);
        }
        const attempts = d.attempts + 1;
        if (error === null) {
          this.db
            .prepare(
              "UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, delivered_at = ?, last_error = NULL WHERE notification_id = ? AND target = ?",
            )
            .run(attempts, new Date().toISOString(), d.notification_id, d.target);
        } else {
          const dead = attempts >= this.options.maxAttempts;
          const delay = Math.min(3_600_000, this.options.baseDelayMs * 2 ** (attempts - 1));
          this.db
            .prepare(
              'UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?, last_error = ? WHERE notification_id = ? AND target = ?',
            )
            .run(dead ? 'dead' : 'pending', attempts, nowMs + delay, error, d.notification_id, d.target);
        }
      }),
    );
    return due.length;
  }

  /** Deliver in the background every `intervalMs`; returns the stop function. */
  start(intervalMs = 2_000, onError: (err: unknown) => void = () => {}): () => Promise<void> {
    let running: Promise<unknown> = Promise.resolve();
    const timer = setInterval(() => {
      running = running.then(() => this.tick()).catch(onError);
    }, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }
}
