/** /v1/documents: content-addressed uploads and verified reads. */
import express, { Router } from 'express';
import { DocumentIntegrityError, type Store } from '../../store';
import { documentId } from '../../domain/application';
import { actorOf } from '../auth';
import { HttpProblem } from '../problems';

export const DOCUMENT_MEDIA_TYPES = [
  'application/pdf',
  'image/png',
  'image/jpeg',
  'text/plain',
  'application/json',
] as const;
export const MAX_DOCUMENT_BYTES = 20 * 1024 * 1024;

function mediaTypeOf(header: string | undefined): string | undefined {
  return header?.split(';')[0]?.trim().toLowerCase();
}

export function documentRoutes({ store, now }: { store: Store; now: () => number }): Router {
  const r = Router();

  r.post(
    '/documents',
    (req, _res, next) => {
      const type = mediaTypeOf(req.get('Content-Type'));
      if (!type || !(DOCUMENT_MEDIA_TYPES as readonly string[]).includes(type)) {
        throw new HttpProblem(
          'unsupported-media-type',
          `Content-Type must be one of ${DOCUMENT_MEDIA_TYPES.join(', ')}`,
        );
      }
      const length = Number(req.get('Content-Length') ?? 0);
      if (length > MAX_DOCUMENT_BYTES)
        throw new HttpProblem('payload-too-large', 'documents are at most 20 MiB');
      next();
    },
    express.raw({ type: () => true, limit: MAX_DOCUMENT_BYTES }),
    async (req, res) => {
      const actor = actorOf(req);
      const body = req.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0)
        throw new HttpProblem('validation', 'the document is empty');
      const meta = await store.documents.put(
        body,
        mediaTypeOf(req.get('Content-Type'))!,
        actor,
        new Date(now()).toISOString(),
      );
      res
        .status(201)
        .location(`/v1/documents/${meta.id}`)
        .json({ id: meta.id, size: meta.size, mediaType: meta.mediaType });
    },
  );

  r.get('/documents/:id', async (req, res) => {
    const actor = actorOf(req);
    const id = documentId.safeParse(req.params.id);
    const meta = id.success ? await store.documents.meta(id.data) : undefined;
    if (!id.success || !meta || !(await store.documents.canRead(actor, id.data)))
      throw new HttpProblem('not-found', 'no such document');
    let bytes: Buffer;
    try {
      bytes = await store.documents.read(id.data);
    } catch (err) {
      if (err instanceof DocumentIntegrityError) {
        req.log.error({ documentId: id.data }, 'stored document does not match its digest');
        throw new HttpProblem(
          'internal',
          'the stored document failed its integrity check; operators have been alerted',
        );
      }
      throw err;
    }
    res.setHeader('Content-Type', meta.mediaType);
    res.setHeader('Content-Disposition', 'attachment');
    res.setHeader('Digest', `sha-256=${Buffer.from(id.data.slice(7), 'hex').toString('base64')}`);
    res.send(bytes);
  });

  return r;
}
