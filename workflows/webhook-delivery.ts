/**
 * webhookDeliveryWorkflow: one notification to one webhook target. Started by the worker's loop
 * (activities/webhooks.ts `startWebhookDeliveries`) with the id `webhook-<task queue>-<notificationId>-<target>` and a
 * duplicate-rejecting id policy, so any number of starters start it once. Its activity `deliverWebhook` POSTs the
 * signed notification; Temporal retries it with exponential backoff (the policy comes in the input: config.ts
 * XBORDER_WEBHOOK_*); after the last attempt `markWebhookDead` makes it a dead letter (GET
 * /v1/admin/webhooks/deliveries?status=dead). Ids only in the input: no personal data in the history.
 */
import { ActivityFailure, proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

export interface WebhookDeliveryPolicy {
  /** the first retry after this; doubled per attempt (backoff coefficient 2) up to `maximumIntervalMs` */
  initialIntervalMs: number;
  maximumIntervalMs: number;
  /** attempts in all, the first included; then a dead letter */
  maximumAttempts: number;
  /** one attempt's deadline for the receiver's 2xx */
  timeoutMs: number;
}

export interface WebhookDeliveryInput {
  notificationId: number;
  /** `org:<org>` or `recipient:<recipient id>` */
  target: string;
  policy: WebhookDeliveryPolicy;
}

/** the error type of an attempt that retrying cannot help (the target was removed): straight to the dead letter */
export const WEBHOOK_TARGET_REMOVED = 'webhook-target-removed';

/**
 * Unique per deployment (its task queue: deployments sharing a namespace, or test stacks sharing a dev server, each
 * number their notifications from 1), per notification and per target.
 */
export function webhookWorkflowId(taskQueue: string, d: { notificationId: number; target: string }): string {
  return `webhook-${taskQueue}-${d.notificationId}-${d.target}`;
}

type Activities = ReturnType<typeof createActivities>;

export async function webhookDeliveryWorkflow(input: WebhookDeliveryInput): Promise<'delivered' | 'dead'> {
  const { notificationId, target, policy } = input;
  const { deliverWebhook } = proxyActivities<Activities>({
    // the receiver's deadline plus the store writes around it
    startToCloseTimeout: policy.timeoutMs + 30_000,
    retry: {
      initialInterval: policy.initialIntervalMs,
      backoffCoefficient: 2,
      maximumInterval: policy.maximumIntervalMs,
      maximumAttempts: policy.maximumAttempts,
      nonRetryableErrorTypes: [WEBHOOK_TARGET_REMOVED],
    },
  });
  // writing the dead letter is retried until the data layer takes it
  const { markWebhookDead } = proxyActivities<Activities>({
    startToCloseTimeout: '30 seconds',
    retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
  });
  try {
    await deliverWebhook({ notificationId, target, timeoutMs: policy.timeoutMs });
    return 'delivered';
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    await markWebhookDead({ notificationId, target });
    return 'dead';
  }
}
