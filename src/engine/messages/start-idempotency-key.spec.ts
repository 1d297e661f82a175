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
  const body = Buffer.from('{"orchName":"o"}');
  const signer = { id: 'hmac:shop' };
  const hmac = (signature: string, at = '1796640000') => ({ 'x-baton-signature': signature, 'x-baton-signature-timestamp': at });
  const jwt = (claims: object, scheme = 'Bearer ') => ({ authorization: `${scheme}h.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.s` });

  it('is the same for every spelling of one signature the check takes: a copy under another spelling starts nothing', () => {
    const key = signedStartKey(hmac(`sha256=${'ab'.repeat(32)}`), body, signer);
    expect(key).toMatch(/^signed:sha256:[0-9a-f]{64}$/);
    expect(signedStartKey(hmac(`SHA256=${'AB'.repeat(32)} `, ' 1796640000 '), body, signer)).toBe(key);
    expect(signedStartKey(jwt({ iat: 1796640000 }), body, { id: 'jwt:u' })).toBe(signedStartKey(jwt({ iat: 1796640000 }, 'bearer  '), body, { id: 'jwt:u' }));
  });

  it('tells apart another signer, another second or another body', () => {
    const key = signedStartKey(hmac('sha256=x'), body, signer);
    expect(signedStartKey(hmac('sha256=x', '1796640001'), body, signer)).not.toBe(key);
    expect(signedStartKey(hmac('sha256=x'), Buffer.from('{}'), signer)).not.toBe(key);
    expect(signedStartKey(hmac('sha256=x'), body, { id: 'hmac:billing' })).not.toBe(key);
  });

  it('is nothing for a message without a signature or a readable token', () => {
    expect(signedStartKey({ 'x-message-id': 'm-1' }, body, signer)).toBeUndefined();
    expect(signedStartKey({ authorization: 'Bearer not-a-jwt' }, body, signer)).toBeUndefined();
  });
});
