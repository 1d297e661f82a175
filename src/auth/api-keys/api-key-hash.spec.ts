import { hashSecret, verifySecret } from './api-key-hash';

describe('API key hashing', () => {
  it('verifies the secret it hashed and nothing else', async () => {
    const stored = await hashSecret('s3cret-value');
    await expect(verifySecret('s3cret-value', stored)).resolves.toBe(true);
    await expect(verifySecret('s3cret-valuf', stored)).resolves.toBe(false);
  });

  it('salts: one secret hashes differently twice, and the secret is not in the hash', async () => {
    const [a, b] = await Promise.all([hashSecret('same'), hashSecret('same')]);
    expect(a).not.toEqual(b);
    expect(a).not.toContain('same');
  });

  it('refuses a stored value of an unknown scheme', async () => {
    await expect(verifySecret('x', 'plain$x')).resolves.toBe(false);
  });
});
