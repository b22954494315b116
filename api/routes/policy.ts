/**
 * /v1/policy and /v1/calendar: the released policy pack versions (the active one by default) and the working-day
 * function the workflows use.
 */
import { Router } from 'express';
import { z } from 'zod';
import { addCalendarDays, addWorkingDays } from '../../domain/calendar';
import {
  activePolicy,
  latestPolicy,
  policyIdPattern,
  policyVersionPattern,
  policyVersions,
  resolvePolicy,
  type PolicyPack,
} from '../../domain/policy';
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

export const policyQuery = z.strictObject({
  id: z
    .string()
    .regex(policyIdPattern, 'a policy pack id, e.g. cn-2024')
    .optional()
    .meta({ description: 'the pack (default: the active pack, cn-2024)' }),
  version: z
    .string()
    .regex(policyVersionPattern, 'a version, e.g. 2024.1')
    .optional()
    .meta({ description: "a released version of the pack (default: the pack's current version)" }),
});

function describePack(pack: PolicyPack) {
  const years = Object.keys(pack.calendar.years).map(Number).sort();
  const versions = policyVersions(pack.id);
  return {
    id: pack.id,
    version: pack.version,
    versions,
    current: latestPolicy(pack.id)!.version,
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
  };
}

export function policyRoutes(): Router {
  const r = Router();
  const pack = activePolicy;

  r.get('/policy', (req, res) => {
    const q = parse(policyQuery, req.query, '/query');
    const id = q.id ?? activePolicy.id;
    const versions = policyVersions(id);
    if (versions.length === 0) throw new HttpProblem('not-found', `no policy pack ${id}`);
    const chosen = q.version === undefined ? latestPolicy(id) : resolvePolicy(id, q.version);
    if (!chosen)
      throw new HttpProblem(
        'not-found',
        `${id} has no released version ${q.version}; released: ${versions.join(', ')}`,
      );
    res.json(describePack(chosen));
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
