/** /v1/admin: webhook targets of the notification outbox and their deliveries (admins only). */
import { Router } from 'express';
import { z } from 'zod';
import type { Store, WebhookTarget } from '../../store';
import { actorOf } from '../auth';
import { HttpProblem } from '../problems';
import { parse } from './util';

export const webhookParams = z.object({
  kind: z.enum(['org', 'recipient']),
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}$/, 'an organisation or recipient id'),
});
const B64 = '[A-Za-z0-9+/]';
/** `whsec_` + the base64 of 24..64 bytes (8..20 groups of 3 bytes and 0..2 more, or 21 groups and 0..1 more) */
const WHSEC = new RegExp(
  `^whsec_(?:(?:${B64}{4}){8,20}(?:${B64}{2}==|${B64}{3}=)?|(?:${B64}{4}){21}(?:${B64}{2}==)?)$`,
);
export const webhookBody = z.strictObject({
  url: z
    .url({ protocol: /^https?$/ })
    .max(2000)
    // what the URL parser takes for a host name (a last label that is not a number: no IPv4 to overflow)
    .meta({
      pattern:
        '^https?://([A-Za-z0-9]+(-[A-Za-z0-9]+)*\\.)*[A-Za-z][A-Za-z0-9]*(-[A-Za-z0-9]+)*(:[0-9]{1,4})?(/\\S*)?$',
    }),
  /**
   * Standard Webhooks' form: `whsec_` + base64 of 24 to 64 random bytes; generated (32 bytes, returned once) when
   * absent
   */
  secret: z
    .string()
    .regex(
      WHSEC,
      'a Standard Webhooks secret: whsec_ followed by the base64 of 24 to 64 bytes (e.g. whsec_$(openssl rand -base64 32))',
    )
    .meta({
      description:
        'the signing secret in the Standard Webhooks form: whsec_ + base64 of 24 to 64 bytes; generated when absent',
    })
    .optional(),
});
export const deliveriesQuery = z.strictObject({
  status: z.enum(['pending', 'delivered', 'dead']).optional(),
});

export function adminRoutes({ store, now }: { store: Store; now: () => number }): Router {
  const r = Router();
  /** on each route (not the prefix), so a path that does not exist stays a 404 for everyone */
  const admin = (req: Parameters<typeof actorOf>[0]) => {
    const actor = actorOf(req);
    if (actor.role !== 'admin') throw new HttpProblem('forbidden-role', 'administration is for admins');
    return actor;
  };
  r.get('/admin/webhooks', async (req, res) => {
    admin(req);
    res.json({ items: await store.webhooks.list() });
  });
  r.get('/admin/webhooks/deliveries', async (req, res) => {
    admin(req);
    const { status } = parse(deliveriesQuery, req.query, '/query');
    res.json({ items: await store.webhooks.deliveries(status) });
  });
  r.put('/admin/webhooks/:kind/:id', async (req, res) => {
    const by = admin(req);
    const { kind, id } = parse(webhookParams, req.params, '/params');
    const body = parse(webhookBody, req.body);
    const target: WebhookTarget = `${kind}:${id}`;
    const secret = await store.webhooks.register(
      target,
      body.url,
      by.sub,
      new Date(now()).toISOString(),
      body.secret,
    );
    res.json({ target, url: body.url, secret });
  });
  r.delete('/admin/webhooks/:kind/:id', async (req, res) => {
    admin(req);
    const { kind, id } = parse(webhookParams, req.params, '/params');
    if (!(await store.webhooks.remove(`${kind}:${id}`)))
      throw new HttpProblem('not-found', 'no such webhook');
    res.status(204).end();
  });
  return r;
}
