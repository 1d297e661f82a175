import { encodePayload } from './run-payload';

describe('encodePayload', () => {
  it('embeds JSON as JSON', () => {
    expect(encodePayload(Buffer.from('{"a":1}'), 'application/json; charset=utf-8')).toEqual({ payload: { a: 1 }, payloadEncoding: 'json' });
  });

  it('keeps text as text and binary as base64', () => {
    expect(encodePayload(Buffer.from('hi'), 'text/plain')).toEqual({ payload: 'hi', payloadEncoding: 'text' });
    expect(encodePayload(Buffer.from([0, 255]), 'application/octet-stream')).toEqual({ payload: 'AP8=', payloadEncoding: 'base64' });
  });

  it('hands over broken JSON as text', () => {
    expect(encodePayload(Buffer.from('{oops'), 'application/json').payloadEncoding).toBe('text');
  });
});
