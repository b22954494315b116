/** Dates as the regulator counts them: in Asia/Shanghai, in the user's language. */
export const ZONE = 'Asia/Shanghai';

export function formatInstant(iso: string | null | undefined, lng: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lng, {
    timeZone: ZONE,
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(new Date(iso));
}

export function formatDay(iso: string | null | undefined, lng: string): string {
  if (!iso) return '—';
  return new Intl.DateTimeFormat(lng, { timeZone: ZONE, dateStyle: 'medium' }).format(new Date(iso));
}

/** Today's date in Asia/Shanghai, YYYY-MM-DD (the default of date fields). */
export function todayInShanghai(now = Date.now()): string {
  return new Date(now + 8 * 3600_000).toISOString().slice(0, 10);
}
