import { redact, truncate } from './redact';

describe('redact', () => {
  it('removes known secrets wherever they appear', () => {
    expect(redact('token s3cr3t-token in s3cr3t-token', ['s3cr3t-token'])).toBe('token *** in ***');
  });

  it('removes header-shaped credentials and URL user-info', () => {
    expect(redact('{"Authorization": "Bearer abc"} authorization=Basic Zm9v', [])).toBe('{"Authorization": "***"} authorization=***');
    expect(redact('see https://user:pw@awx.example.com/api', [])).toBe('see https://***@awx.example.com/api');
  });

  it('removes a secret echoed in another case, as base64 or hex, or cut short to half of it', () => {
    const token = 'ERP-BEARER-SECRET-TOKEN-1234';
    const echoes = [token.toLowerCase(), Buffer.from(token).toString('base64'), Buffer.from(token).toString('base64url'),
      Buffer.from(token).toString('hex'), Buffer.from(token).toString('hex').toUpperCase(), token.slice(0, 14), token.slice(-14), token.slice(5, 25)];
    for (const echo of echoes) expect(redact(`{"v":"${echo}"}`, [token])).toBe('{"v":"***"}');
  });

  it('keeps positions when lower case is longer than the character ("İ"), and finds the secret inside encoded text', () => {
    const token = 'ERP-BEARER-SECRET-TOKEN-1234';
    expect(redact(`${'İ'.repeat(40)} ${token} tail`, [token])).toBe(`${'İ'.repeat(40)} *** tail`);
    for (const lead of ['', 'B', 'Be', 'Bearer ']) {
      const encoded = Buffer.from(`${lead}${token} and more`).toString('base64');
      expect([lead, redact(encoded, [token])]).not.toEqual([lead, encoded]);
      expect(redact(encoded, [token])).not.toContain(Buffer.from(token.slice(4, 20)).toString('base64').slice(4, 12));
    }
    expect(redact(`pw=${encodeURIComponent('p@ss/w0rd:with spaces')}`, ['p@ss/w0rd:with spaces'])).toBe('pw=***');
  });

  it('removes a secret a partner quotes escaped: JSON (PHP, Go, .NET styles), form-encoded or HTML', () => {
    const password = 'S3CRETOOpw"mid\\EEEEEEEEEEEE';
    expect(redact(`oo broke; seen ${JSON.stringify({ user: 'oouser', password })}`, [password]))
      .toBe('oo broke; seen {"user":"oouser","password":"***"}');
    const echoes: Array<[secret: string, echo: string]> = [
      ['Abcdefghijk"Lmnopqrstuvw', 'Abcdefghijk\\"Lmnopqrstuvw'],
      ['Abcdefghijk\\Lmnopqrstuvw', 'Abcdefghijk\\\\Lmnopqrstuvw'],
      ['Abcdefghijk/Lmnopqrstuvw', 'Abcdefghijk\\/Lmnopqrstuvw'],
      ['Abcdefghijk<Lmn>opq&rstuvw', 'Abcdefghijk\\u003cLmn\\u003eopq\\u0026rstuvw'],
      ['Abcdefghijk+Lmn\'opq"rstuvw', 'Abcdefghijk\\u002BLmn\\u0027opq\\u0022rstuvw'],
      ['Abcdefghijk Lmn*opq!rstuvw', 'Abcdefghijk+Lmn*opq%21rstuvw'],
      ['Abcdefghijk&Lmn<opq"rst\'uvw', 'Abcdefghijk&amp;Lmn&lt;opq&quot;rst&#39;uvw'],
    ];
    for (const [secret, echo] of echoes) expect([secret, redact(`{"e":"${echo}"}`, [secret])]).toEqual([secret, '{"e":"***"}']);
  });

  it('scrubs an escaped echo of a short secret only whole, as its plain echo', () => {
    expect(redact(JSON.stringify('user:short"pw'), ['short"pw'])).toBe('"user:***"');
    // Its .NET form is 17 characters long: a run of 12 of it must not be cut from ordinary escaped text.
    expect(redact('{"m":"a\\u003cb\\u003e"}', ['ab<b>c&'])).toBe('{"m":"a\\u003cb\\u003e"}');
  });

  // The URL pattern was quadratic on a run of letters (minutes for this one, past the test's timeout),
  // and 100,000 echoes overflowed the stack through a spread push.
  it('takes a long run of letters and many echoes', () => {
    expect(redact('a'.repeat(200_000), ['x'.repeat(30)])).toHaveLength(200_000);
    expect(redact('ERP-BEARER-SECRET-TOKEN-1234 '.repeat(12_000), ['ERP-BEARER-SECRET-TOKEN-1234'])).toBe('*** '.repeat(12_000));
  });

  it('keeps a run shorter than half the secret, and text that merely shares a few characters with it', () => {
    const token = 'ERP-BEARER-SECRET-TOKEN-1234';
    expect(redact('ERP-BEARER ok', [token])).toBe('ERP-BEARER ok');
    expect(redact('order 1234 for ERP', [token])).toBe('order 1234 for ERP');
    expect(redact('Invalid username/password.', ['wrong-password'])).toBe('Invalid username/password.');
    expect(redact('no hunter2 here', ['hunter2'])).toBe('no *** here');
  });

  it('scrubs overlapping echoes of several secrets once, keeping the text between them', () => {
    expect(redact('a=s3cr3t-token-one&b=S3CR3T-TOKEN-TWO!', ['s3cr3t-token-one', 's3cr3t-token-two'])).toBe('a=***&b=***!');
    expect(redact('pw:hunter2hunter2', ['hunter2hunter2', 'hunter2'])).toBe('pw:***');
  });

  it('ignores empty secrets', () => {
    expect(redact('abc', [''])).toBe('abc');
  });
});

describe('truncate', () => {
  it('shortens long text and says by how much', () => {
    expect(truncate('x'.repeat(510), 500)).toBe(`${'x'.repeat(500)}… (10 more characters)`);
    expect(truncate('short')).toBe('short');
  });
});
