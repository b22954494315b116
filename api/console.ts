/**
 * The web console (console/dist, built by `npm start`): its assets, and index.html for the console's own
 * pages so a deep link or a reload lands in the app. Every other path (/v1/…, unknown ones) falls through to
 * the API's routes and its 404 problem+json.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/** The console's pages (console/src/router.tsx): exactly these answer index.html. */
export const consolePages =
  /^\/(?:|sign-in|auth\/callback|inbox|notifications|codec|transfers|transfers\/new|transfers\/[0-9a-f-]{36}(?:\/edit|\/evidence)?|documents\/sha256(?::|%3[Aa])[0-9a-f]{64})\/?$/;

export function consoleRoutes(dir: string): Router {
  const r = Router();
  const index = join(dir, 'index.html');
  if (!existsSync(index)) return r;
  // hashed file names: cache for a year; index.html is revalidated on every load
  r.use('/assets', express.static(join(dir, 'assets'), { index: false, immutable: true, maxAge: '365d' }));
  r.get(consolePages, (_req, res) => {
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(index);
  });
  return r;
}
