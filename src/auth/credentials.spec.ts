import { credentialOf } from './credentials';

describe('credentialOf', () => {
  it('reads a bearer credential', () => {
    expect(credentialOf({ authorization: 'Bearer abc.def' })).toEqual({ kind: 'given', value: 'abc.def' });
    expect(credentialOf({ authorization: 'bearer abc' })).toEqual({ kind: 'given', value: 'abc' });
  });

  it('reads X-API-Key', () => {
    expect(credentialOf({ 'x-api-key': ' bk_x ' })).toEqual({ kind: 'given', value: 'bk_x' });
  });

  it('prefers Authorization over X-API-Key', () => {
    expect(credentialOf({ authorization: 'Bearer a', 'x-api-key': 'b' })).toEqual({ kind: 'given', value: 'a' });
  });

  it('says when nothing is presented', () => {
    expect(credentialOf({})).toEqual({ kind: 'none' });
  });

  it.each([
    [{ authorization: 'Basic dXNlcjpwYXNz' }],
    [{ authorization: 'Bearer ' }],
    [{ authorization: 'Bearer a b' }],
    [{ 'x-api-key': '' }],
    [{ authorization: `Bearer ${'x'.repeat(9000)}` }],
  ])('calls %j malformed', (headers) => {
    expect(credentialOf(headers)).toEqual({ kind: 'malformed' });
  });
});
