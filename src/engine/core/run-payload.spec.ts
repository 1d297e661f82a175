import { encodePayload, payloadProblems, RUN_PAYLOAD_MAX_DEPTH } from './run-payload';

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

  it('reads JSON that starts with a byte-order mark as JSON, as the HTTP body parser does', () => {
    expect(encodePayload(Buffer.from('\ufeff{"a":1}'), 'application/json')).toEqual({ payload: { a: 1 }, payloadEncoding: 'json' });
  });
});

const nestedJson = (depth: number) => Buffer.from(`${'['.repeat(depth)}1${']'.repeat(depth)}`);

describe('payloadProblems', () => {
  it('accepts any JSON text, scalars included, and any non-JSON body', () => {
    for (const text of ['"x"', '42', 'null', 'true', '[]', '{"a":{"b":[1]}}']) {
      expect(payloadProblems(Buffer.from(text), 'application/json')).toEqual([]);
    }
    expect(payloadProblems(nestedJson(5000), 'application/octet-stream')).toEqual([]);
  });

  it(`refuses JSON nested deeper than ${RUN_PAYLOAD_MAX_DEPTH} levels, which a command could not carry`, () => {
    expect(payloadProblems(nestedJson(RUN_PAYLOAD_MAX_DEPTH), 'application/json')).toEqual([]);
    expect(payloadProblems(nestedJson(5000), 'application/json')).toEqual([
      { path: `body${'[0]'.repeat(RUN_PAYLOAD_MAX_DEPTH)}`, message: `nested deeper than ${RUN_PAYLOAD_MAX_DEPTH} levels` },
    ]);
  });

  it('checks JSON that starts with a byte-order mark like any other', () => {
    expect(payloadProblems(Buffer.from('\ufeff{"a":"x\\u0000"}'), 'application/json')).toEqual([
      { path: 'body.a', message: 'contains a NUL character (at 1), which cannot be stored' },
    ]);
  });

  it('refuses a JSON \\u0000, which cannot be stored as step output or jsonb', () => {
    expect(payloadProblems(Buffer.from('{"a":"x\\u0000"}'), 'application/json')).toEqual([
      { path: 'body.a', message: 'contains a NUL character (at 1), which cannot be stored' },
    ]);
  });

  it("names the problems from where the caller carries the payload: the start message's payload field", () => {
    expect(payloadProblems(Buffer.from('{"a":"x\\u0000"}'), 'application/json', 'payload').map((p) => p.path)).toEqual(['payload.a']);
  });
});

describe('encodePayload of a payload stored before the depth check', () => {
  it('hands it over as text rather than fail to serialise it', () => {
    expect(encodePayload(nestedJson(5000), 'application/json').payloadEncoding).toBe('text');
  });
});
