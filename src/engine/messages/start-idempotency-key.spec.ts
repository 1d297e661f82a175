import { signedStartKey, startIdempotencyKey } from './start-idempotency-key';

describe('startIdempotencyKey', () => {
  it('is the message id as it was when it fits the column', () => {
    expect(startIdempotencyKey('m-1')).toBe('message:m-1');
    expect(startIdempotencyKey('x'.repeat(247))).toBe(`message:${'x'.repeat(247)}`);
  });

  it('hashes an id too long for the column (22001) or holding a NUL (22021), stable across redeliveries', () => {
    for (const id of ['x'.repeat(248), 'x'.repeat(100_000), 'a\u0000b', '\uDC00']) {
      const key = startIdempotencyKey(id);
      expect(key).toMatch(/^message:sha256:[0-9a-f]{64}$/);
      expect(startIdempotencyKey(id)).toBe(key);
    }
    expect(startIdempotencyKey('x'.repeat(300))).not.toBe(startIdempotencyKey('x'.repeat(301)));
  });
});

describe('signedStartKey', () => {
  it("is the hash of the message's HMAC signature, or of its token, and nothing for an unsigned message", () => {
    const hmac = signedStartKey({ 'x-baton-signature': 'v1=abc', 'x-message-id': 'm-1' });
    expect(hmac).toMatch(/^signed:sha256:[0-9a-f]{64}$/);
    expect(signedStartKey({ 'x-baton-signature': 'v1=abc', 'x-message-id': 'm-2' })).toBe(hmac);
    expect(signedStartKey({ authorization: 'Bearer a.b.c' })).toMatch(/^signed:sha256:[0-9a-f]{64}$/);
    expect(signedStartKey({ authorization: 'Bearer a.b.c' })).not.toBe(signedStartKey({ authorization: 'Bearer a.b.d' }));
    expect(signedStartKey({ 'x-message-id': 'm-1' })).toBeUndefined();
  });
});
