/**
 * Every year of the mainland calendar we encode (domain/policy/cn-2024/calendar-data.ts, transcribed from the State
 * Council's notices) against an independent oracle, the `chinese-days` package: each day of each published year
 * must be a working day in both or in neither. A new year's notice added by hand is checked mechanically once the
 * package knows that year too (the test says which years it could not check).
 */
import { getDayDetail, isWorkday } from 'chinese-days';
import { dateOf, dayNumber, isWorkingDay } from '../../domain/calendar';
import { cnCalendar } from '../../domain/policy/cn-2024/calendar-data';

const years = Object.keys(cnCalendar.years).map(Number);

/** The oracle knows a year when it names at least one of its days as a holiday with a festival name. */
function oracleKnows(year: number): boolean {
  for (let d = dayNumber(`${year}-01-01`); d <= dayNumber(`${year}-12-31`); d++) {
    const detail = getDayDetail(dateOf(d));
    if (!detail.work && !/day$/.test(detail.name)) return true; // 'Saturday'/'Sunday' are plain weekends
  }
  return false;
}

test('the calendar encodes at least the years 2025 and 2026', () => {
  expect(years).toEqual(expect.arrayContaining([2025, 2026]));
});

describe.each(years)('%i', (year) => {
  test('every day agrees with chinese-days', () => {
    expect(oracleKnows(year)).toBe(true);
    const disagreements: string[] = [];
    for (let d = dayNumber(`${year}-01-01`); d <= dayNumber(`${year}-12-31`); d++) {
      const date = dateOf(d);
      const ours = isWorkingDay(d, cnCalendar);
      if (ours !== isWorkday(date)) disagreements.push(`${date}: ours ${ours ? 'working' : 'rest'}`);
    }
    expect(disagreements).toEqual([]);
  });

  test('holidays and working weekends are listed once each, inside their year, and sorted', () => {
    const { holidays, workingWeekends } = cnCalendar.years[year]!;
    for (const list of [holidays, workingWeekends]) {
      expect(new Set(list).size).toBe(list.length);
      expect([...list].sort()).toEqual(list);
      for (const date of list) expect(date.startsWith(`${year}-`)).toBe(true);
    }
  });
});
