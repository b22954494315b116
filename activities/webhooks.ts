/**
 * Webhook delivery of the notification outbox (targets and deliveries live in the data layer: store/webhooks.ts).
 * Each notification is POSTed as JSON, signed:
 *   X-Xborder-Timestamp: <unix seconds>
 *   X-Xborder-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 *   X-Xborder-Delivery: <notification id>   (the same on every retry: deduplicate on it)
 * Receivers recompute the HMAC over the raw body, compare in constant time, and refuse timestamps older than five
 * minutes (replay). A failed attempt (no 2xx within 5 s) is retried with exponential backoff; after
 * `maxAttempts` the delivery is dead-lettered (GET /v1/admin/webhooks/dead-letters).
 */
import { createHmac } from 'node:crypto';
import type { DueDelivery, Store } from '../store';

export function sign(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export interface DeliveryOptions {
  /** first retry after this; doubled per attempt, at most an hour */
  baseDelayMs: number;
  maxAttempts: number;
  timeoutMs: number;
}

export class WebhookDispatcher {
  constructor(
    private readonly webhooks: Store['webhooks'],
    private readonly options: DeliveryOptions = { baseDelayMs: 10_000, maxAttempts: 8, timeoutMs: 5_000 },
  ) {}

  private async attempt(d: DueDelivery, nowMs: number): Promise<void> {
    const body = JSON.stringify({
      id: d.notificationId,
      transferId: d.notification.transferId,
      audience: d.notification.audience,
      kind: d.notification.kind,
      message: d.notification.message,
      createdAt: d.notification.createdAt,
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
          'x-xborder-delivery': String(d.notificationId),
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
      await this.webhooks.recordAttempt(d, { delivered: true, attempts, at: new Date().toISOString() });
    } else {
      const delay = Math.min(3_600_000, this.options.baseDelayMs * 2 ** (attempts - 1));
      await this.webhooks.recordAttempt(d, {
        delivered: false,
        attempts,
        error,
        dead: attempts >= this.options.maxAttempts,
        nextAttemptAt: nowMs + delay,
      });
    }
  }

  /** One round: fan out new notifications, attempt what is due. Returns how many attempts were made. */
  async tick(nowMs = Date.now()): Promise<number> {
    await this.webhooks.fanOut(nowMs);
    // leased for longer than an attempt can take, so no other round sends them meanwhile
    const due = await this.webhooks.claimDue(nowMs, this.options.timeoutMs * 2 + 5_000);
    await Promise.all(due.map((d) => this.attempt(d, nowMs)));
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
