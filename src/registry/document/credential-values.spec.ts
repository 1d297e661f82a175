import { credentialValues } from './credential-values';

const call = (extra: Record<string, unknown>) => ({ type: 'http', connection: 'psp', method: 'POST', path: '/charges', ...extra });

describe('credentialValues', () => {
  it("finds the values of a step's and an undo's credential-named headers and query parameters, and of headers the call rules refuse", () => {
    const document = {
      orchName: 'pay', as: 'initiator', steps: [
        { seq: 1, name: 'charge', handler: call({ headers: { 'X-Auth-Token': 'sk_live_1', Authorization: 'Bearer abc', Accept: 'application/json' },
          query: { access_token: 'q-secret', page_token: 'p2', limit: 10 } }) },
        { seq: 2, name: 'refund', handler: call({}), undo: call({ headers: { Cookie: 'sid=42' }, query: { api_key: 12345 } }) },
      ],
    };
    expect(credentialValues(document).sort()).toEqual(['12345', 'Bearer abc', 'q-secret', 'sid=42', 'sk_live_1']);
  });

  it('reads them whatever the call\'s type or the values\' shape, in a document refused for something else', () => {
    const document = { steps: [{ handler: { type: 'HTTP', headers: { 'X-Api-Key': ['k1', { nested: 'k2' }], 'Private-Token': true } } }, 'junk', null] };
    expect(credentialValues(document).sort()).toEqual(['k1', 'k2']);
  });

  it('finds nothing in a document without steps, or not a map', () => {
    for (const document of [{ orchName: 'x' }, { steps: 'none' }, 'text', null, [1]]) expect(credentialValues(document)).toEqual([]);
  });
});
