/** GET /v1/notifications: the caller's notifications from the outbox, newest first. */
import { Router } from 'express';
import type { EvidenceStore } from '../../activities/store';
import { actorOf } from '../auth';

export function notificationRoutes({ store }: { store: EvidenceStore }): Router {
  const r = Router();
  r.get('/notifications', (req, res) => {
    const actor = actorOf(req);
    const items = store
      .notificationsFor(actor)
      .map(({ id, transferId, kind, message, createdAt }) => ({ id, transferId, kind, message, createdAt }));
    res.json({ items });
  });
  return r;
}
