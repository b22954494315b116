/** Idempotency-Key body hashes use the canonical JSON of the audit chain: key order does not make a new request. */
import { hashBody } from '../../api/routes/util';

describe('hashBody', () => {
  test('a retry that serialises the same body with its keys in another order is the same request', () => {
    const first = JSON.parse(
      '{"decision":"accept","items":[{"field":"purpose","request":"why"}],"reason":"ok"}',
    );
    const retry = JSON.parse(
      '{"reason":"ok","items":[{"request":"why","field":"purpose"}],"decision":"accept"}',
    );
    expect(hashBody(retry)).toBe(hashBody(first));
  });
  test('another value, or another order of an array, is another request', () => {
    expect(hashBody({ decision: 'accept' })).not.toBe(hashBody({ decision: 'refuse' }));
    expect(hashBody({ items: [1, 2] })).not.toBe(hashBody({ items: [2, 1] }));
  });
  test('no body hashes like null', () => {
    expect(hashBody(undefined)).toBe(hashBody(null));
  });
});
