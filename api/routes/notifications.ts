/** GET /v1/notifications: the caller's notifications from the outbox, newest first, a page at a time. */
import { Router } from 'express';
import { z } from 'zod';
import type { Store } from '../../store';
import { actorOf } from '../auth';
import { notificationsQuery } from '../schemas';
import { decodePageToken, encodePageToken, parse } from './util';

const cursor = z.strictObject({ before: z.number().int().positive() });

export function notificationRoutes({ store }: { store: Store }): Router {
  const r = Router();
  r.get('/notifications', async (req, res) => {
    const actor = actorOf(req);
    const { pageSize, pageToken } = parse(notificationsQuery, req.query, '/query');
    const bound = { notifications: actor.role };
    const after = pageToken ? decodePageToken(pageToken, bound, cursor) : undefined;
    const rows = await store.notifications.forActor(actor, {
      limit: pageSize + 1,
      ...(after ? { before: after.before } : {}),
    });
    const items = rows
      .slice(0, pageSize)
      .map(({ id, transferId, kind, message, createdAt }) => ({ id, transferId, kind, message, createdAt }));
    const last = items[items.length - 1];
    res.json({
      items,
      nextPageToken: rows.length > pageSize && last ? encodePageToken({ before: last.id }, bound) : null,
    });
  });
  return r;
}
