/**
 * Webhook delivery of the notification outbox, through Temporal (targets and deliveries live in the data layer:
 * store/webhooks.ts).
 *
 * - The worker process runs `runWebhookDeliveries`: a loop that fans new outbox rows out to deliveries and, for each
 *   delivery not yet handed to Temporal, starts `webhookDeliveryWorkflow` (workflows/webhook-delivery.ts) with the
 *   id `webhook-<task queue>-<notificationId>-<target>` (duplicates rejected: N loops on N workers start it once) and marks it
 *   handed. An API process never delivers.
 * - The workflow runs `deliverWebhook` under a Temporal retry policy (backoff ×2, at most `maximumAttempts`), then
 *   `markWebhookDead` after the last failed attempt.
 * - Each attempt POSTs the notification as JSON signed per Standard Webhooks (the `standardwebhooks` package):
 *   `webhook-id` (`<notificationId>:<target>`, the same on every retry: receivers deduplicate on it),
 *   `webhook-timestamp` (unix seconds), `webhook-signature` (`v1,<base64 HMAC-SHA256 of "id.timestamp.body">`).
 *   It records the attempt count and, on failure, `lastError` naming the cause: `HTTP 500`, `ECONNREFUSED`,
 *   `timeout after 5000 ms`, …
 */
import { ApplicationFailure } from '@temporalio/common';
import { Context } from '@temporalio/activity';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { Webhook } from 'standardwebhooks';
import type { DeliveryRef, Store } from '../store';
import {
  WEBHOOK_TARGET_REMOVED,
  webhookWorkflowId,
  type webhookDeliveryWorkflow,
  type WebhookDeliveryPolicy,
} from '../workflows/webhook-delivery';

export type { WebhookDeliveryPolicy };

/** Defaults of config.ts (XBORDER_WEBHOOK_*): 10 s, 20 s, 40 s … at most an hour apart, 8 attempts (~21 min). */
export const DEFAULT_WEBHOOK_POLICY: WebhookDeliveryPolicy = {
  initialIntervalMs: 10_000,
  maximumIntervalMs: 3_600_000,
  maximumAttempts: 8,
  timeoutMs: 5_000,
};

/** The `webhook-id` header: stable across retries, unique per (notification, target). */
export function webhookMessageId(d: DeliveryRef): string {
  return `${d.notificationId}:${d.target}`;
}

/**
 * The signer for a target's secret: Standard Webhooks' `whsec_<base64>`; a secret registered before that form (any
 * other string) is used as raw key bytes (its UTF-8), so receivers of old registrations keep their secret.
 */
export function webhookSigner(secret: string): Webhook {
  return secret.startsWith('whsec_')
    ? new Webhook(secret)
    : new Webhook(Buffer.from(secret, 'utf8'), { format: 'raw' });
}

/**
 * What went wrong, in a few words: `HTTP <status>` is the caller's; here a thrown fetch — `timeout after N ms`, or
 * the system error code undici keeps in `fetch failed`'s cause (`ECONNREFUSED`, `ENOTFOUND`, `ECONNRESET`,
 * `UND_ERR_SOCKET` …; an AggregateError of several addresses carries the code itself or in its errors).
 */
export function describeFetchError(err: unknown, timeoutMs: number): string {
  const named = (e: unknown): e is { name: string } =>
    typeof e === 'object' && e !== null && typeof (e as { name?: unknown }).name === 'string';
  if (named(err) && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `timeout after ${timeoutMs} ms`;
  const codeOf = (e: unknown): string | undefined => {
    if (typeof e !== 'object' || e === null) return undefined;
    const { code, errors } = e as { code?: unknown; errors?: unknown };
    if (typeof code === 'string' && code) return code;
    if (Array.isArray(errors)) for (const inner of errors as unknown[]) return codeOf(inner);
    return undefined;
  };
  const cause = typeof err === 'object' && err !== null ? (err as { cause?: unknown }).cause : undefined;
  if (named(cause) && cause.name === 'TimeoutError') return `timeout after ${timeoutMs} ms`;
  const code = codeOf(cause) ?? codeOf(err);
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'UND_ERR_HEADERS_TIMEOUT')
    return `timeout after ${timeoutMs} ms (${code})`;
  if (code) return code;
  if (cause instanceof Error && cause.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** The delivery workflow's activities (in createActivities). */
export function webhookActivities(store: Store) {
  return {
    /**
     * One attempt: POST the notification, signed, to the target's current URL; record the outcome. Throws (so
     * Temporal retries) when no 2xx came; a delivery already delivered (a retry after a crash) is not sent again.
     */
    async deliverWebhook(input: DeliveryRef & { timeoutMs: number }): Promise<void> {
      const ref = { notificationId: input.notificationId, target: input.target };
      const d = await store.webhooks.forAttempt(ref);
      if (!d || d.status !== 'pending') return;
      const attempts = attemptNumber(d.attempts);
      if (d.url === undefined || d.secret === undefined) {
        const error = 'webhook target removed';
        await store.webhooks.recordAttempt(ref, {
          delivered: false,
          attempts: d.attempts,
          error,
          dead: false,
        });
        throw ApplicationFailure.nonRetryable(error, WEBHOOK_TARGET_REMOVED);
      }
      const body = JSON.stringify({
        id: d.notificationId,
        transferId: d.notification.transferId,
        audience: d.notification.audience,
        kind: d.notification.kind,
        message: d.notification.message,
        createdAt: d.notification.createdAt,
      });
      const id = webhookMessageId(ref);
      const now = new Date();
      let error: string | null = null;
      try {
        const res = await fetch(d.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': webhookSigner(d.secret).sign(id, now, body),
          },
          body,
          signal: AbortSignal.timeout(input.timeoutMs),
          redirect: 'manual',
        });
        await res.body?.cancel().catch(() => undefined);
        if (res.status < 200 || res.status > 299) error = `HTTP ${res.status}`;
      } catch (err) {
        error = describeFetchError(err, input.timeoutMs);
      }
      if (error === null) {
        await store.webhooks.recordAttempt(ref, { delivered: true, attempts, at: new Date().toISOString() });
        return;
      }
      await store.webhooks.recordAttempt(ref, { delivered: false, attempts, error, dead: false });
      throw ApplicationFailure.retryable(error, 'webhook-delivery-failed');
    },

    /** After the last attempt: the delivery is a dead letter (its lastError is the last attempt's). */
    async markWebhookDead(input: DeliveryRef): Promise<void> {
      await store.webhooks.markDead(
        { notificationId: input.notificationId, target: input.target },
        'no attempt completed',
      );
    },
  };
}

/** This attempt's number: Temporal's count (1-based), after those a pre-Temporal dispatcher made. */
function attemptNumber(recorded: number): number {
  let attempt = 1;
  try {
    attempt = Context.current().info.attempt;
  } catch {
    // outside an activity (a direct call): one more than recorded
    return recorded + 1;
  }
  return Math.max(attempt, recorded + 1);
}

export interface WebhookStarterOptions {
  client: Client;
  store: Store;
  taskQueue: string;
  policy: WebhookDeliveryPolicy;
}

/**
 * One round of the worker's loop: fan new notifications out to deliveries, start the delivery workflow of each
 * delivery not yet handed to Temporal (already started — by this loop earlier or by another worker — is fine) and
 * mark it handed. Returns how many workflows this round started.
 */
export async function startWebhookDeliveries(opts: WebhookStarterOptions): Promise<number> {
  const { client, store, taskQueue, policy } = opts;
  await store.webhooks.fanOut(Date.now());
  let started = 0;
  for (;;) {
    const batch = await store.webhooks.unhanded(100);
    for (const d of batch) {
      try {
        await client.workflow.start<typeof webhookDeliveryWorkflow>('webhookDeliveryWorkflow', {
          taskQueue,
          workflowId: webhookWorkflowId(taskQueue, d),
          args: [{ notificationId: d.notificationId, target: d.target, policy }],
          // once per (notification, target), ever: a closed one is not started again, a running one not twice
          workflowIdReusePolicy: 'REJECT_DUPLICATE',
          workflowIdConflictPolicy: 'FAIL',
        });
        started++;
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
      await store.webhooks.markHanded(d, new Date().toISOString());
    }
    if (batch.length < 100) return started;
  }
}

/**
 * The worker's loop: a round every `intervalMs` (one at a time). Returns the stop function (waits for the round in
 * hand).
 */
export function runWebhookDeliveries(
  opts: WebhookStarterOptions & { intervalMs: number; onError?: (err: unknown) => void },
): () => Promise<void> {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> = Promise.resolve();
  const next = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      round = startWebhookDeliveries(opts).then(
        () => undefined,
        (err: unknown) => opts.onError?.(err),
      );
      void round.then(next);
    }, opts.intervalMs);
    timer.unref();
  };
  next();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    await round;
  };
}
