/**
 * Working-day arithmetic under the counting rule of DOMAIN.md (期间开始之日不计算在内): "N working days from an
 * event on day D" ends at 24:00 local time of the N-th working day after D; D itself never counts, whatever the
 * hour. Pure: every function takes the instant it reasons about; nothing reads a clock.
 */

export interface CalendarYear {
  source: string;
  holidays: readonly string[];
  workingWeekends: readonly string[];
}

export interface CalendarData {
  id: string;
  version: string;
  timeZone: string;
  /** The zone's fixed offset (Asia/Shanghai has had no daylight saving since 1991). */
  utcOffsetMinutes: number;
  years: Readonly<Record<number, CalendarYear>>;
}

export interface Due {
  /** The instant the period ends (24:00 local of its last day), ISO-8601 UTC. */
  dueAt: string;
  /** The local date of the last day. */
  dueDate: string;
  calendarVersion: string;
  /** True when a year without a published schedule was counted Monday–Friday. */
  approximate: boolean;
}

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 of a YYYY-MM-DD date. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number);
  return Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1) / DAY_MS;
}

export function dateOf(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** The local calendar day (as a day number) that an instant falls on. */
export function localDay(instantMs: number, cal: CalendarData): number {
  return Math.floor((instantMs + cal.utcOffsetMinutes * 60_000) / DAY_MS);
}

/** The instant of 24:00 local at the end of a local day. */
export function endOfLocalDay(day: number, cal: CalendarData): number {
  return (day + 1) * DAY_MS - cal.utcOffsetMinutes * 60_000;
}

interface Sets {
  holidays: Set<number>;
  workingWeekends: Set<number>;
}
const cache = new WeakMap<CalendarData, Sets>();
function sets(cal: CalendarData): Sets {
  let s = cache.get(cal);
  if (!s) {
    s = { holidays: new Set(), workingWeekends: new Set() };
    for (const year of Object.values(cal.years)) {
      for (const d of year.holidays) s.holidays.add(dayNumber(d));
      for (const d of year.workingWeekends) s.workingWeekends.add(dayNumber(d));
    }
    cache.set(cal, s);
  }
  return s;
}

export function yearOf(day: number): number {
  return Number(dateOf(day).slice(0, 4));
}

export function isPublishedYear(year: number, cal: CalendarData): boolean {
  return cal.years[year] !== undefined;
}

/** Whether a local day is a working day; unpublished years count Monday–Friday. */
export function isWorkingDay(day: number, cal: CalendarData): boolean {
  const { holidays, workingWeekends } = sets(cal);
  if (holidays.has(day)) return false;
  if (workingWeekends.has(day)) return true;
  const weekday = new Date(day * DAY_MS).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

function due(lastDay: number, firstDay: number, cal: CalendarData): Due {
  let approximate = false;
  for (let y = yearOf(firstDay); y <= yearOf(lastDay); y++) if (!isPublishedYear(y, cal)) approximate = true;
  return {
    dueAt: new Date(endOfLocalDay(lastDay, cal)).toISOString(),
    dueDate: dateOf(lastDay),
    calendarVersion: `${cal.id}@${cal.version}`,
    approximate,
  };
}

/**
 * The end of the N-th working day after the local day of `fromMs`. N = 0 means the end of the first working
 * day from that day on (used to re-arm a paused clock that had no whole working day left).
 */
export function addWorkingDays(fromMs: number, n: number, cal: CalendarData): Due {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`working days must be a whole number ≥ 0, got ${n}`);
  const start = localDay(fromMs, cal);
  let day = start;
  if (n === 0) {
    while (!isWorkingDay(day, cal)) day++;
  } else {
    let counted = 0;
    while (counted < n) {
      day++;
      if (isWorkingDay(day, cal)) counted++;
    }
  }
  return due(day, start + 1, cal);
}

/** The end of the N-th calendar day after the local day of `fromMs`. */
export function addCalendarDays(fromMs: number, n: number, cal: CalendarData): Due {
  if (!Number.isInteger(n) || n < 0)
    throw new RangeError(`calendar days must be a whole number ≥ 0, got ${n}`);
  const start = localDay(fromMs, cal);
  return { ...due(start + n, start + 1, cal), approximate: false };
}

/**
 * Working days left before a deadline, seen at `nowMs`: the working days after today up to and including the
 * due day (0 on the due day itself). Negative once the deadline has passed: minus the working days since.
 */
export function workingDaysLeft(nowMs: number, dueAtMs: number, cal: CalendarData): number {
  const today = localDay(nowMs, cal);
  const dueDay = localDay(dueAtMs - 1, cal);
  if (nowMs >= dueAtMs) {
    let late = 0;
    for (let d = dueDay + 1; d <= today; d++) if (isWorkingDay(d, cal)) late++;
    return -Math.max(late, 1);
  }
  let left = 0;
  for (let d = today + 1; d <= dueDay; d++) if (isWorkingDay(d, cal)) left++;
  return left;
}

/** The start (00:00 local) of the N-th working day before the local day of `atMs` (N ≥ 1). */
export function workingDaysBefore(atMs: number, n: number, cal: CalendarData): string {
  let day = localDay(atMs, cal);
  let counted = 0;
  while (counted < n) {
    day--;
    if (isWorkingDay(day, cal)) counted++;
  }
  return new Date(endOfLocalDay(day - 1, cal)).toISOString();
}

/** The end of the same local day-of-month N months after `fromMs` (clamped to the month's last day). */
export function addMonths(fromMs: number, months: number, cal: CalendarData): Due {
  const start = dateOf(localDay(fromMs, cal));
  const [y = 1970, m = 1, d = 1] = start.split('-').map(Number);
  const idx = y * 12 + (m - 1) + months;
  const ty = Math.floor(idx / 12);
  const tm = idx % 12;
  const last = new Date(Date.UTC(ty, tm + 1, 0)).getUTCDate();
  const day = dayNumber(
    `${ty}-${String(tm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`,
  );
  return {
    dueAt: new Date(endOfLocalDay(day, cal)).toISOString(),
    dueDate: dateOf(day),
    calendarVersion: `${cal.id}@${cal.version}`,
    approximate: false,
  };
}
