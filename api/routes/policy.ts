/** /v1/policy and /v1/calendar: the active pack and the working-day function the workflows use. */
import { Router } from 'express';
import { z } from 'zod';
import { addCalendarDays, addWorkingDays } from '../../domain/calendar';
import { activePolicy } from '../../domain/policy';
import { HttpProblem } from '../problems';
import { parse } from './util';

const dueQuery = z
  .strictObject({
    from: z.iso.datetime({ offset: true }),
    workingDays: z.coerce.number().int().min(0).max(3650).optional(),
    calendarDays: z.coerce.number().int().min(0).max(36500).optional(),
  })
  .refine(
    (q) => (q.workingDays === undefined) !== (q.calendarDays === undefined),
    'give exactly one of workingDays, calendarDays',
  );

export function policyRoutes(): Router {
  const r = Router();
  const pack = activePolicy;

  r.get('/policy', (_req, res) => {
    const years = Object.keys(pack.calendar.years).map(Number).sort();
    res.json({
      id: pack.id,
      version: pack.version,
      thresholds: pack.thresholds,
      deadlines: pack.deadlines,
      materials: Object.fromEntries(
        Object.entries(pack.materials).map(([route, list]) => [route, list.map((m) => m.kind)]),
      ),
      materialRules: pack.materials,
      reviewChecklist: pack.reviewChecklist,
      // weights as data: a category matcher is shown as its pattern
      riskWeights: {
        ...pack.risk,
        sensitivity: pack.risk.sensitivity.map((s) => ({ ...s, match: s.match.source })),
      },
      calendarRange: {
        from: `${years[0]}-01-01`,
        to: `${years[years.length - 1]}-12-31`,
        version: pack.calendar.version,
      },
    });
  });

  r.get('/calendar/due', (req, res) => {
    const q = parse(dueQuery, req.query, '/query');
    const from = Date.parse(q.from);
    const due =
      q.workingDays !== undefined
        ? addWorkingDays(from, q.workingDays, pack.calendar)
        : addCalendarDays(from, q.calendarDays!, pack.calendar);
    res.json(due);
  });

  r.get('/calendar/:year', (req, res) => {
    const year = Number(req.params.year);
    if (!/^\d{4}$/.test(req.params.year) || year < 1990 || year > 2200) {
      throw new HttpProblem('validation', 'year must be four digits', [
        { pointer: '/params/year', detail: 'e.g. 2026' },
      ]);
    }
    const data = pack.calendar.years[year];
    res.json({
      year,
      holidays: data?.holidays ?? [],
      workingWeekends: data?.workingWeekends ?? [],
      source: data?.source ?? null,
      approximate: !data,
      calendarVersion: `${pack.calendar.id}@${pack.calendar.version}`,
    });
  });

  return r;
}
