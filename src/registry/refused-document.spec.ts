import { MAX_CUT_CREDENTIALS, refusedDocumentText } from './refused-document';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ0ZW5hbnQtc2VydmljZSJ9.c2lnbmF0dXJlLXBhcnQ';

describe('refusedDocumentText', () => {
  it('cuts each refused credential where it stands whole, as written and as JSON escapes it, and keeps the rest', () => {
    const yaml = 'orchName: pay\nheaders:\n  X-Auth-Token: sk_live_51Hx9\n  X-Other: sk_live_51Hx9x\ndescription: copy of sk_live_51Hx9 here\n';
    expect(refusedDocumentText(yaml, ['sk_live_51Hx9']))
      .toBe('orchName: pay\nheaders:\n  X-Auth-Token: ***\n  X-Other: sk_live_51Hx9x\ndescription: copy of *** here\n');
    const json = JSON.stringify({ orchName: 'pay', headers: { 'X-Auth-Token': 'a"quoted\\secret' } });
    expect(refusedDocumentText(json, ['a"quoted\\secret'])).toBe('{"orchName":"pay","headers":{"X-Auth-Token":"***"}}');
  });

  it('cuts a value holding another whole, not leaving its remains', () => {
    expect(refusedDocumentText('a: secret-one\nb: secret-one-two\n', ['secret-one', 'secret-one-two'])).toBe('a: ***\nb: ***\n');
  });

  it('cuts what is shaped like a credential in a document that did not parse: Authorization values, JWTs, Bearer and Basic values, URL user-info', () => {
    const text = `orchName: [broken\n  Authorization: Bearer ${JWT}\n  note: "send Bearer abcdefgh12345 or basic dXNlcjpwYXNzd29yZA=="\n`
      + `  token: ${JWT}\n  url: https://user:pw@partner.example/x\n  steps: a basic flow\n`;
    expect(refusedDocumentText(text)).toBe('orchName: [broken\n  Authorization: ***\n  note: "send Bearer *** or basic ***"\n'
      + '  token: ***\n  url: https://***@partner.example/x\n  steps: a basic flow\n');
  });

  it('keeps an ordinary document as it is', () => {
    const text = 'orchName: shop\nas: initiator\nsteps:\n  - {seq: 1, name: a.b.c, objectType: String}\n';
    expect(refusedDocumentText(text, [])).toBe(text);
  });

  it(`keeps no text of a document holding more than ${MAX_CUT_CREDENTIALS} credentials`, () => {
    const many = Array.from({ length: MAX_CUT_CREDENTIALS + 1 }, (_, i) => `secret-${i}`);
    expect(refusedDocumentText(many.join('\n'), many)).toMatch(/^\(not kept: the document holds 101 values under credential names/);
  });

  it('stays linear on a long run that starts like a JWT', () => {
    const started = Date.now();
    refusedDocumentText(`${'eyJ-'.repeat(65_536)} ${'eyJ'.repeat(80_000)}`);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
