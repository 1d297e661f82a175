import { NOT_KEPT, refusedDocumentText, withoutCredentials } from './refused-document';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZW5hbnQtc2VydmljZSJ9.c2lnbmF0dXJlLXBhcnQ';

describe('refusedDocumentText', () => {
  it('keeps nothing of a document holding a value under a credential\'s name, however long or however spelled', () => {
    expect(refusedDocumentText('headers:\n  X-Auth-Token: sk_live_51Hx9\n', ['sk_live_51Hx9'])).toBe(NOT_KEPT);
    // A value of 33,000 characters: cut one by one as a pattern, it threw "Regular expression too large" (a 500, no audit row).
    expect(refusedDocumentText(`headers:\n  X-Auth-Token: ${'k'.repeat(33_000)}\n`, ['k'.repeat(33_000)])).toBe(NOT_KEPT);
  });

  it.each([
    ['a YAML syntax error', 'orchName: [broken\nheaders:\n  X-Auth-Token: sk_live_51Hx9\n'],
    ['a duplicate key in JSON', '{"headers":{"X-Api-Key":"one","X-Api-Key":"two"}}'],
    ['a number with a leading zero', 'headers:\n  X-Api-Key: 0042718839\n'],
    ['a YAML single-quoted value', "headers:\n  'X-Auth-Token': 'sk''live''x'\n"],
    ['a folded value', 'headers:\n  X-Auth-Token: >-\n    sk_live_\n    51Hx9\n'],
    ['a query parameter in a path', 'path: /charges?api_key=sk_live_51Hx9\n'],
    ['an Authorization header', 'headers: {Authorization: "Token abc"}\n'],
  ])('keeps nothing of a document naming a credential in %s, parsed or not', (_, text) => {
    expect(refusedDocumentText(text)).toBe(NOT_KEPT);
  });

  it('cuts what is shaped like a credential elsewhere: JWTs, Bearer and Basic values, URL user-info', () => {
    const text = `orchName: [broken\n  note: "send Bearer abcdefgh12345 or basic dXNlcjpwYXNzd29yZA=="\n`
      + `  id: ${JWT}\n  url: https://user:pw@partner.example/x\n  steps: a basic flow\n`;
    expect(refusedDocumentText(text)).toBe('orchName: [broken\n  note: "send Bearer *** or basic ***"\n'
      + '  id: ***\n  url: https://***@partner.example/x\n  steps: a basic flow\n');
  });

  it('keeps an ordinary document as it is, pagination tokens and all', () => {
    const text = 'orchName: shop\nas: initiator\nsteps:\n  - {seq: 1, name: a.b.c, objectType: String, query: {page_token: x}}\n';
    expect(refusedDocumentText(text, [])).toBe(text);
  });

  it('stays linear on long runs that start like a JWT or a name', () => {
    const started = Date.now();
    refusedDocumentText(`${'eyJ-'.repeat(65_536)} ${'eyJ'.repeat(80_000)} ${'a '.repeat(100_000)}${'b'.repeat(200_000)}`);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('withoutCredentials', () => {
  it('cuts the credentials, and the start of a long one, from a problem\'s message', () => {
    expect(withoutCredentials('expected a string, found the number 8734682734', ['8734682734'])).toBe('expected a string, found the number ***');
    const long = `sk_${'x'.repeat(60)}`;
    expect(withoutCredentials(`found a string "${long.slice(0, 37)}..."`, [long])).toBe('found a string "***..."');
    expect(withoutCredentials('unchanged', [])).toBe('unchanged');
  });
});
