/** GET /v1/notifications: the caller's notifications from the outbox, newest first. */
import { Router } from 'express';
import type { Store } from '../../store';
import { actorOf } from '../auth';

export function notificationRoutes({ store }: { store: Store }): Router {
  const r = Router();
  r.get('/notifications', async (req, res) => {
    const actor = actorOf(req);
    const items = (await store.notifications.forActor(actor)).map(
      ({ id, transferId, kind, message, createdAt }) => ({ id, transferId, kind, message, createdAt }),
    );
    res.json({ items });
  });
  return r;
}
