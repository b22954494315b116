/** Webhook delivery settings of the worker (XBORDER_WEBHOOK_*): documented defaults, overrides, clear refusals. */
import { parseConfig } from '../../config';
import { configRefusal as refusal } from '../fixtures';
import { DEFAULT_WEBHOOK_POLICY } from '../../activities/webhooks';

test('unset: 10 s first retry, doubled up to an hour, 8 attempts, 5 s per attempt, a loop every 2 s', () => {
  expect(parseConfig({}).webhooks).toEqual({ ...DEFAULT_WEBHOOK_POLICY, pollMs: 2_000 });
  expect(DEFAULT_WEBHOOK_POLICY).toEqual({
    initialIntervalMs: 10_000,
    maximumIntervalMs: 3_600_000,
    maximumAttempts: 8,
    timeoutMs: 5_000,
  });
});

test('set: each one overrides its default; a maximum below the first interval is raised to it', () => {
  expect(
    parseConfig({
      XBORDER_WEBHOOK_INITIAL_INTERVAL_MS: '500',
      XBORDER_WEBHOOK_MAX_INTERVAL_MS: '60000',
      XBORDER_WEBHOOK_MAX_ATTEMPTS: '3',
      XBORDER_WEBHOOK_TIMEOUT_MS: '2000',
      XBORDER_WEBHOOK_POLL_MS: '250',
    }).webhooks,
  ).toEqual({
    initialIntervalMs: 500,
    maximumIntervalMs: 60_000,
    maximumAttempts: 3,
    timeoutMs: 2_000,
    pollMs: 250,
  });
  expect(
    parseConfig({ XBORDER_WEBHOOK_INITIAL_INTERVAL_MS: '5000', XBORDER_WEBHOOK_MAX_INTERVAL_MS: '1000' })
      .webhooks.maximumIntervalMs,
  ).toBe(5_000);
});

test('bad values are refused by name', () => {
  expect(refusal({ XBORDER_WEBHOOK_MAX_ATTEMPTS: '0' })).toMatch(/XBORDER_WEBHOOK_MAX_ATTEMPTS/);
  expect(refusal({ XBORDER_WEBHOOK_TIMEOUT_MS: 'soon' })).toMatch(/XBORDER_WEBHOOK_TIMEOUT_MS/);
  expect(refusal({ XBORDER_WEBHOOK_POLL_MS: '10' })).toMatch(/XBORDER_WEBHOOK_POLL_MS/);
});
