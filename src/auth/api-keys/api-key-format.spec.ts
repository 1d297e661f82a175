import { echoedText, generateApiKey, holdsJwt, parseApiKey, withoutKeySecrets } from './api-key-format';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJTM0NSRVQifQ.c2lnbmF0dXJlLXNlY3JldA';

describe('API key format', () => {
  it('generates keys that parse back to their prefix', () => {
    const { key, prefix } = generateApiKey();
    expect(parseApiKey(key)).toEqual({ prefix, secret: key.slice(`bk_${prefix}_`.length) });
  });

  it('generates a different key each time', () => {
    expect(generateApiKey().key).not.toEqual(generateApiKey().key);
  });

  it('keeps underscores of the secret in the secret', () => {
    expect(parseApiKey(`bk_abcd_${'a_'.repeat(20)}`)).toEqual({ prefix: 'abcd', secret: 'a_'.repeat(20) });
  });

  it.each(['', 'bk_abcd', 'bk_ab_' + 'x'.repeat(40), 'xx_abcd_' + 'x'.repeat(40), 'bk_abcd_short', `bk_abcd_${'x'.repeat(40)} `])(
    'rejects %j', (value) => {
      expect(parseApiKey(value)).toBeUndefined();
    });

  it('cuts every whole key in a text to its prefix, wherever it stands, and leaves prefixes and other words be', () => {
    const { key, prefix } = generateApiKey();
    expect(withoutKeySecrets(`DELETE /api/admin/api-keys/${key}?also=${key}`))
      .toBe(`DELETE /api/admin/api-keys/bk_${prefix}_…?also=bk_${prefix}_…`);
    expect(withoutKeySecrets(`/api/admin/api-keys/${prefix}`)).toBe(`/api/admin/api-keys/${prefix}`);
    expect(withoutKeySecrets('bk_short_secret')).toBe('bk_short_secret');
  });

  /** A bearer token pasted into a query, a path or an operator's reason was logged, stored and echoed whole. */
  it('cuts every JWT (and JWE) in a text to eyJ…, beside the keys', () => {
    const { key, prefix } = generateApiKey();
    expect(withoutKeySecrets(`/api/orchestration/runs?access_token=${JWT}&api_key=${key}`))
      .toBe(`/api/orchestration/runs?access_token=eyJ…&api_key=bk_${prefix}_…`);
    expect(withoutKeySecrets(`paused; creds ${JWT} and ${JWT}, done`)).toBe('paused; creds eyJ… and eyJ…, done');
    expect(withoutKeySecrets(`jwe ${JWT}.aXY.dGFn`)).toBe('jwe eyJ…');
    expect(echoedText(`/templates/${JWT}`, 64)).toBe('/templates/eyJ…');
  });

  it('leaves text that only looks a little like a JWT be', () => {
    for (const text of ['eyJhbGciOiJIUzI1NiJ9', 'eyJhbGci.only-one-dot', `key${JWT}`, 'surveyJournal.a.b']) {
      expect(withoutKeySecrets(text)).toBe(text);
    }
  });

  it('tells whether a text holds a JWT', () => {
    expect(holdsJwt(JWT)).toBe(true);
    expect(holdsJwt(`trace:${JWT}`)).toBe(true);
    expect(holdsJwt('3f2b1c7e-0d4a-4e8b-9c1d-2a6f5e4d3c2b')).toBe(false);
    expect(holdsJwt('eyJhbGciOiJIUzI1NiJ9')).toBe(false);
  });
});
