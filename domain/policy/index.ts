import { latestPolicy, resolvePolicy, type PolicyRef } from './registry';
import type { PolicyPack } from './types';

export * from './types';
export * from './plugin';
export * from './registry';

/** The pack new submissions are evaluated under: the newest released version of `cn-2024`. */
export const activePolicy: PolicyPack = latestPolicy('cn-2024')!;

/**
 * The newest released version of a pack.
 * @deprecated a transfer computes with the version it pinned: use `resolvePolicy(state.policy.id,
 * state.policy.version)`; for new submissions use `activePolicy` or `latestPolicy`.
 */
export function policyById(id: string): PolicyPack | undefined {
  return latestPolicy(id);
}

/**
 * The pack as a transfer computes with it: the calendar version the transfer pinned, so that replaying its history
 * after a calendar update computes the same instants (a newer calendar applies only through an explicit recompute).
 */
export function packWithCalendar(pack: PolicyPack, calendarVersion: string | undefined): PolicyPack {
  if (!calendarVersion || calendarVersion === pack.calendar.version) return pack;
  const pinned = pack.calendars[calendarVersion];
  return pinned ? { ...pack, calendar: pinned } : pack;
}

/**
 * The pack a transfer computes with: exactly the version it pinned (`state.policy`), with the calendar version it
 * pinned. Undefined when this build does not hold that version (a deployment older than the transfer).
 */
export function pinnedPolicy(state: { policy: PolicyRef; calendarVersion?: string }): PolicyPack | undefined {
  const pack = resolvePolicy(state.policy.id, state.policy.version);
  return pack && packWithCalendar(pack, state.calendarVersion);
}
