import { generateApiKey, parseApiKey, withoutKeySecrets } from './api-key-format';

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
});
