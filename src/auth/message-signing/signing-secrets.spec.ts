import { parseSigningSecrets, SIGNING_SECRETS_PATTERN } from './signing-secrets';

describe('parseSigningSecrets', () => {
  const a = 'a'.repeat(32);
  const b = 'B-1_/+='.repeat(6);

  it('maps each service to its secret bytes', () => {
    const secrets = parseSigningSecrets(`tenant-service:${a},realm.service:${b}`);
    expect([...secrets.keys()]).toEqual(['tenant-service', 'realm.service']);
    expect(secrets.get('realm.service')).toEqual(Buffer.from(b));
  });

  it('is empty when unset', () => {
    expect(parseSigningSecrets(undefined).size).toBe(0);
    expect(parseSigningSecrets('').size).toBe(0);
  });

  it('has a config pattern that admits exactly the lists the parser reads', () => {
    expect(SIGNING_SECRETS_PATTERN.test(`x:${a},y:${b}`)).toBe(true);
    for (const bad of [`x:${a.slice(1)}`, `x:${a},`, `x ${a}`, `x:${a}:${a}`, `:${a}`]) {
      expect(SIGNING_SECRETS_PATTERN.test(bad)).toBe(false);
    }
  });
});
