/**
 * /v1/policy and /v1/calendar: the released policy pack versions (the active one by default) and the working-day
 * function the workflows use.
 */
import { Router } from 'express';
import { z } from 'zod';
import { addCalendarDays, addWorkingDays } from '../../domain/calendar';
import {
  activePolicy,
  latestPlugin,
  policyIdPattern,
  policyIds,
  policyVersionPattern,
  policyVersions,
  resolvePlugin,
  type AnyPolicyPlugin,
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
    .meta({ description: 'the pack: cn-2024 (default), eu-gdpr' }),
  version: z
    .string()
    .regex(policyVersionPattern, 'a version, e.g. 2024.1')
    .optional()
    .meta({ description: "a released version of the pack (default: the pack's current version)" }),
});

/** A released pack version as data: the generic part here, the rest from the pack's own `describe()`. */
export function describePack(pack: AnyPolicyPlugin) {
  const { acceptsSubmissions, ...lifecycle } = pack.lifecycle;
  return {
    id: pack.id,
    version: pack.version,
    versions: policyVersions(pack.id),
    current: latestPlugin(pack.id)!.version,
    acceptsSubmissions,
    lifecycle,
    ...pack.describe(),
  };
}

/** The 404 of an unknown pack id: names the packs this build holds. */
export const unknownPack = (id: string): HttpProblem =>
  new HttpProblem('not-found', `no policy pack ${id}; known: ${policyIds().join(', ')}`);

export function policyRoutes(): Router {
  const r = Router();
  const pack = activePolicy;

  r.get('/policy', (req, res) => {
    const q = parse(policyQuery, req.query, '/query');
    const id = q.id ?? activePolicy.id;
    const versions = policyVersions(id);
    if (versions.length === 0) throw unknownPack(id);
    const chosen = q.version === undefined ? latestPlugin(id) : resolvePlugin(id, q.version);
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
