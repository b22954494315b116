/**
 * Encryption at rest and in Temporal: one key ring of AES-256-GCM keys (XBORDER_ENCRYPTION_KEYS as
 * `id:base64,id:base64`, the first one active; a dev key generated into the data dir when unset). The payload
 * codec encrypts every workflow payload (inputs, results, state, failure messages with encodeCommonAttributes)
 * with the active key and names the key in the payload's metadata; decoding picks the key by that name, so a
 * rotated-out key still decodes what it wrote. Documents use the same ring in a small envelope.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type DataConverter, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export interface KeyRing {
  activeId: string;
  keys: ReadonlyMap<string, Buffer>;
}

export class KeyRingError extends Error {}

/** `id:base64[,id:base64…]`: each key 32 bytes; ids of letters, digits, . _ - */
export function parseKeyRing(spec: string): KeyRing {
  const keys = new Map<string, Buffer>();
  let activeId: string | undefined;
  for (const part of spec
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const m = /^([A-Za-z0-9._-]{1,64}):([A-Za-z0-9+/=_-]+)$/.exec(part);
    if (!m) throw new KeyRingError('each key is id:base64 (ids of letters, digits, . _ -)');
    const key = Buffer.from(m[2]!, 'base64');
    if (key.length !== 32) throw new KeyRingError(`key ${m[1]} is ${key.length} bytes; AES-256 needs 32`);
    if (keys.has(m[1]!)) throw new KeyRingError(`key ${m[1]} is listed twice`);
    keys.set(m[1]!, key);
    activeId ??= m[1];
  }
  if (!activeId) throw new KeyRingError('no keys');
  return { activeId, keys };
}

/** The configured ring, or the dev ring kept in the data dir (generated once, mode 0600). */
export function loadKeyRing(dataDir: string, spec: string | undefined): KeyRing {
  if (spec) return parseKeyRing(spec);
  const file = join(dataDir, 'encryption-keys');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, `dev-1:${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
    chmodSync(file, 0o600);
  }
  return parseKeyRing(readFileSync(file, 'utf8').trim());
}

/** iv (12) ‖ tag (16) ‖ ciphertext */
export function seal(ring: KeyRing, plaintext: Uint8Array): { keyId: string; sealed: Buffer } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.activeId)!, iv);
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return { keyId: ring.activeId, sealed: Buffer.concat([iv, cipher.getAuthTag(), ct]) };
}

/** Throws when the key is unknown or the data was altered (GCM authentication). */
export function open(ring: KeyRing, keyId: string, sealed: Uint8Array): Buffer {
  const key = ring.keys.get(keyId);
  if (!key) throw new KeyRingError(`unknown encryption key ${keyId}`);
  const buf = Buffer.from(sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, buf.subarray(0, 12));
  decipher.setAuthTag(buf.subarray(12, 28));
  return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]);
}

const ENCODING = 'binary/encrypted';
const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : '');

export class AesGcmPayloadCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  encode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() =>
      payloads.map((p) => {
        const { keyId, sealed } = seal(this.ring, temporal.api.common.v1.Payload.encode(p).finish());
        return { metadata: { encoding: enc(ENCODING), 'encryption-key-id': enc(keyId) }, data: sealed };
      }),
    );
  }

  decode(payloads: Payload[]): Promise<Payload[]> {
    return Promise.resolve().then(() =>
      payloads.map((p) => {
        // payloads written before encryption (or by another writer) pass through
        if (dec(p.metadata?.encoding) !== ENCODING) return p;
        const plain = open(this.ring, dec(p.metadata?.['encryption-key-id']), p.data ?? new Uint8Array());
        return temporal.api.common.v1.Payload.decode(plain);
      }),
    );
  }
}

/** Bundled into the workflow sandbox by the worker (and by the test suite's prebuilt bundle). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/** The data converter of every client and worker: encrypted payloads, failure messages included. */
export function dataConverterFor(ring: KeyRing): DataConverter {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(ring)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
