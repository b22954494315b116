/** Calendar-date arithmetic on `YYYY-MM-DD` strings (pure: no clock; every date is an argument). */
import { dateOf, dayNumber } from '../../calendar';

/** Negative when a is before b. */
export const compareDays = (a: string, b: string): number => dayNumber(a) - dayNumber(b);

export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

export const addDays = (date: string, days: number): string => dateOf(dayNumber(date) + days);

/** The same day-of-month `months` later (or earlier), clamped to the month's last day (31 Jan + 1 → 28/29 Feb). */
export function addMonthsToDay(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = index - year * 12; // 0-based
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  return dateOf(Date.UTC(year, month, Math.min(d, last)) / 86_400_000);
}

/** from ≤ date ≤ until (until inclusive; open when undefined). */
export const within = (date: string, from: string, until: string | undefined): boolean =>
  compareDays(date, from) >= 0 && (until === undefined || compareDays(date, until) <= 0);
