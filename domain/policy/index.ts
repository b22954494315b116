import { cn2024 } from './cn-2024';
import type { PolicyPack } from './types';

export * from './types';

/** The pack new submissions are evaluated under. */
export const activePolicy: PolicyPack = cn2024;

const packs: Record<string, PolicyPack> = { [cn2024.id]: cn2024 };

/** A transfer keeps the pack it was submitted under. */
export function policyById(id: string): PolicyPack | undefined {
  return packs[id];
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
