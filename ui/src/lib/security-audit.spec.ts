import { describe, expect, it } from 'vitest';
import { actorOf, principalFilter } from './security-audit';

const SECRET = 'Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6';

describe('principalFilter', () => {
  it('keeps only the prefix of a whole key pasted, so that its secret never reaches the address bar', () => {
    expect(principalFilter(`bk_ab12cd34_${SECRET}`)).toBe('ab12cd34');
    expect(principalFilter(` bk_ab12cd34_${SECRET}\n`)).toBe('ab12cd34');
    expect(principalFilter('bk_ab12cd34_…')).toBe('ab12cd34');
    expect(principalFilter('bk_ab12cd34')).toBe('ab12cd34');
  });

  it('finds the key in what it was copied with: a header, quotes, a command line', () => {
    for (const pasted of [`Bearer bk_ab12cd34_${SECRET}`, `Authorization: Bearer bk_ab12cd34_${SECRET}`, `X-API-Key: bk_ab12cd34_${SECRET}`,
      `"bk_ab12cd34_${SECRET}"`, `-H 'X-API-Key: bk_ab12cd34_${SECRET}'`, `key=bk_ab12cd34_${SECRET};`]) {
      expect([pasted, principalFilter(pasted)]).toEqual([pasted, 'ab12cd34']);
    }
  });

  it('leaves a prefix, a token subject or anything else as it is, trimmed', () => {
    expect(principalFilter('ab12cd34')).toBe('ab12cd34');
    expect(principalFilter(' jwt:alice ')).toBe('jwt:alice');
    expect(principalFilter('bk_')).toBe('bk_');
    expect(principalFilter('')).toBe('');
  });
});

describe('actorOf', () => {
  it('is the principal a credential proved, with its kind', () => {
    expect(actorOf({ event: 'KEY_CREATED', principalId: 'ab12cd34', principalKind: 'api-key' })).toEqual({ kind: 'proven', id: 'ab12cd34', as: 'api-key' });
    expect(actorOf({ event: 'DENIED', principalId: 'alice', principalKind: 'jwt' })).toEqual({ kind: 'proven', id: 'alice', as: 'jwt' });
  });

  it('is only claimed when the credential proved nothing (a wrong secret, or a key revoked or expired)', () => {
    expect(actorOf({ event: 'DENIED', principalId: 'zz99zz99', principalKind: null })).toEqual({ kind: 'claimed', id: 'zz99zz99' });
    expect(actorOf({ event: 'DENIED', principalId: 'cli', principalKind: null })).toEqual({ kind: 'claimed', id: 'cli' });
  });

  it('is `npm run keys` for a key change made on the host, and no one when no credential was sent', () => {
    expect(actorOf({ event: 'KEY_REVOKED', principalId: 'cli', principalKind: null })).toEqual({ kind: 'cli' });
    expect(actorOf({ event: 'DENIED', principalId: null, principalKind: null })).toEqual({ kind: 'none' });
  });
});
