/**
 * Documents: content-addressed by the SHA-256 of their plaintext, sealed with the key ring's active key at rest.
 * The bytes live where every process that reads them can reach them: on PostgreSQL in the database
 * (document_blobs), on SQLite as files under <data dir>/documents (as before the data layer).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Kysely } from 'kysely';
import { visibleScope, type Actor } from '../domain/authz';
import { scopeWhere } from './scope';
import { open, seal, type KeyRing } from '../activities/crypto';
import type { DB } from './schema';

export interface DocumentMeta {
  id: string;
  size: number;
  mediaType: string;
  createdAt: string;
}

export class DocumentIntegrityError extends Error {
  constructor(readonly documentId: string) {
    super(`document ${documentId} does not match its digest`);
  }
}

export const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');

/**
 * A document at rest: "XBE1" ‖ key-id length (1 byte) ‖ key id ‖ iv ‖ GCM tag ‖ ciphertext. The document's id
 * stays the digest of the plaintext; a read checks both the GCM tag and the digest.
 */
const MAGIC = Buffer.from('XBE1');
function envelope(ring: KeyRing, plaintext: Buffer): Buffer {
  const { keyId, sealed } = seal(ring, plaintext);
  const id = Buffer.from(keyId);
  return Buffer.concat([MAGIC, Buffer.from([id.length]), id, sealed]);
}
/** The plaintext of an envelope; bytes stored before encryption was on are returned as they are. */
function unseal(ring: KeyRing, stored: Buffer): Buffer {
  if (!stored.subarray(0, 4).equals(MAGIC)) return stored;
  const n = stored[4]!;
  return open(ring, stored.subarray(5, 5 + n).toString(), stored.subarray(5 + n));
}

/** Where sealed bytes are kept, by hex digest. */
export interface BlobStore {
  has(hex: string): Promise<boolean>;
  put(hex: string, bytes: Buffer): Promise<void>;
  /** undefined when missing */
  get(hex: string): Promise<Buffer | undefined>;
}

export class FileBlobs implements BlobStore {
  constructor(private readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }
  private pathOf(hex: string): string {
    return join(this.dir, hex.slice(0, 2), hex);
  }
  has(hex: string): Promise<boolean> {
    return Promise.resolve(existsSync(this.pathOf(hex)));
  }
  put(hex: string, bytes: Buffer): Promise<void> {
    const path = this.pathOf(hex);
    if (!existsSync(path)) {
      mkdirSync(join(this.dir, hex.slice(0, 2)), { recursive: true });
      const tmp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      writeFileSync(tmp, bytes);
      renameSync(tmp, path);
    }
    return Promise.resolve();
  }
  get(hex: string): Promise<Buffer | undefined> {
    const path = this.pathOf(hex);
    return Promise.resolve(existsSync(path) ? readFileSync(path) : undefined);
  }
}

export class TableBlobs implements BlobStore {
  constructor(private readonly db: Kysely<DB>) {}
  async has(hex: string): Promise<boolean> {
    return !!(await this.db
      .selectFrom('document_blobs')
      .select('id')
      .where('id', '=', hex)
      .executeTakeFirst());
  }
  async put(hex: string, bytes: Buffer): Promise<void> {
    await this.db
      .insertInto('document_blobs')
      .values({ id: hex, bytes })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  async get(hex: string): Promise<Buffer | undefined> {
    const row = await this.db
      .selectFrom('document_blobs')
      .select('bytes')
      .where('id', '=', hex)
      .executeTakeFirst();
    return row ? Buffer.from(row.bytes) : undefined;
  }
}

const toMeta = (r: { id: string; size: number; media_type: string; created_at: string }): DocumentMeta => ({
  id: r.id,
  size: Number(r.size),
  mediaType: r.media_type,
  createdAt: r.created_at,
});

/** documents are sealed with the active key of `keyRing` (none: stored as plain bytes, for tools and tests) */
export class DocumentRepository {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly blobs: BlobStore,
    private readonly keyRing?: KeyRing,
  ) {}

  /** Store bytes under their digest; storing the same bytes twice keeps one copy and records both uploaders. */
  async put(bytes: Buffer, mediaType: string, uploader: Actor, nowIso: string): Promise<DocumentMeta> {
    const hex = sha256(bytes);
    const id = `sha256:${hex}`;
    if (!(await this.blobs.has(hex)))
      await this.blobs.put(hex, this.keyRing ? envelope(this.keyRing, bytes) : bytes);
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('documents')
        .values({ id, size: bytes.length, media_type: mediaType, created_at: nowIso })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      await trx
        .insertInto('document_uploaders')
        .values({
          document_id: id,
          sub: uploader.sub,
          role: uploader.role,
          org: uploader.org ?? null,
          recipient: uploader.recipient ?? null,
          uploaded_at: nowIso,
        })
        .onConflict((oc) => oc.columns(['document_id', 'sub']).doNothing())
        .execute();
    });
    return (await this.meta(id))!;
  }

  async meta(id: string): Promise<DocumentMeta | undefined> {
    const row = await this.db
      .selectFrom('documents')
      .select(['id', 'size', 'media_type', 'created_at'])
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toMeta(row);
  }

  /** Documents a transfer references (materials, answers, agreement), with metadata. */
  async ofTransfer(transferId: string): Promise<DocumentMeta[]> {
    const rows = await this.db
      .selectFrom('document_refs as r')
      .innerJoin('documents as d', 'd.id', 'r.document_id')
      .select(['d.id', 'd.size', 'd.media_type', 'd.created_at'])
      .where('r.transfer_id', '=', transferId)
      .orderBy('d.created_at')
      .orderBy('d.id')
      .execute();
    return rows.map(toMeta);
  }

  async allIds(): Promise<string[]> {
    return (await this.db.selectFrom('documents').select('id').orderBy('id').execute()).map((r) => r.id);
  }

  /** Whether a stored document still reads back as its digest (missing or altered bytes: the reason). */
  async check(id: string): Promise<string | null> {
    try {
      await this.read(id);
      return null;
    } catch (err) {
      return err instanceof DocumentIntegrityError
        ? 'altered: does not match its digest'
        : 'missing or unreadable';
    }
  }

  /** The bytes, verified against the digest on every read. */
  async read(id: string): Promise<Buffer> {
    const hex = id.replace(/^sha256:/, '');
    const stored = await this.blobs.get(hex);
    if (!stored) throw new Error(`document ${id} is missing`);
    let bytes: Buffer;
    try {
      bytes = this.keyRing ? unseal(this.keyRing, stored) : stored;
    } catch {
      throw new DocumentIntegrityError(id); // altered ciphertext fails GCM authentication
    }
    if (sha256(bytes) !== hex) throw new DocumentIntegrityError(id);
    return bytes;
  }

  /**
   * The uploader, colleagues of the uploader's organisation, and the parties of transfers that reference it (a
   * recipient: the agreement only).
   */
  async canRead(actor: Actor, id: string): Promise<boolean> {
    const colleagueOrg = actor.role === 'applicant' ? (actor.org ?? null) : null;
    const uploaded = await this.db
      .selectFrom('document_uploaders')
      .select('document_id')
      .where('document_id', '=', id)
      .where((eb) =>
        eb.or([
          eb('sub', '=', actor.sub),
          eb.and([eb('role', '=', 'applicant'), eb('org', 'is not', null), eb('org', '=', colleagueOrg)]),
        ]),
      )
      .executeTakeFirst();
    if (uploaded) return true;
    // the transfers that reference it, as the one scope description says who sees a transfer (refs exist only
    // once a transfer is submitted: no drafts among them)
    let refs = this.db
      .selectFrom('document_refs as r')
      .select('r.document_id')
      .where('r.document_id', '=', id)
      .where(
        scopeWhere(visibleScope(actor), { applicantOrg: 'r.applicant_org', recipientId: 'r.recipient_id' }),
      );
    if (actor.role === 'recipient')
      // the agreement, not the exporter's own materials (API.md: a recipient sees what a recipient needs)
      refs = refs.where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('document_uploaders as u')
              .select('u.document_id')
              .whereRef('u.document_id', '=', 'r.document_id')
              .where('u.role', '=', 'applicant'),
          ),
        ),
      );
    return !!(await refs.executeTakeFirst());
  }

  /** Ids from `ids` that an applicant of `org` may attach: uploaded by someone of that org. */
  async attachable(ids: readonly string[], org: string): Promise<{ unknown: string[]; foreign: string[] }> {
    const unknown: string[] = [];
    const foreign: string[] = [];
    for (const id of new Set(ids)) {
      if (!(await this.meta(id))) unknown.push(id);
      else if (
        !(await this.db
          .selectFrom('document_uploaders')
          .select('document_id')
          .where('document_id', '=', id)
          .where('role', '=', 'applicant')
          .where('org', '=', org)
          .executeTakeFirst())
      )
        foreign.push(id);
    }
    return { unknown, foreign };
  }

  /** Whether this very identity uploaded the document. */
  async uploadedBy(id: string, actor: Actor): Promise<boolean> {
    return !!(await this.db
      .selectFrom('document_uploaders')
      .select('document_id')
      .where('document_id', '=', id)
      .where('sub', '=', actor.sub)
      .where('role', '=', actor.role)
      .executeTakeFirst());
  }

  /** Record that a transfer references documents, so its parties may read them. Idempotent. */
  async link(
    transferId: string,
    documentIds: readonly string[],
    applicantOrg: string,
    recipientId: string | null,
  ): Promise<void> {
    await linkDocumentsIn(this.db, transferId, documentIds, applicantOrg, recipientId);
  }
}

export async function linkDocumentsIn(
  db: Kysely<DB>,
  transferId: string,
  documentIds: readonly string[],
  applicantOrg: string,
  recipientId: string | null,
): Promise<void> {
  if (documentIds.length === 0) return;
  await db
    .insertInto('document_refs')
    .values(
      [...new Set(documentIds)].map((id) => ({
        document_id: id,
        transfer_id: transferId,
        applicant_org: applicantOrg,
        recipient_id: recipientId,
      })),
    )
    .onConflict((oc) => oc.columns(['document_id', 'transfer_id']).doNothing())
    .execute();
}
