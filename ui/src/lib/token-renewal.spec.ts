import { describe, expect, it } from 'vitest';
import { hereOf, renewalDue } from './token-renewal';

describe('renewalDue', () => {
  const token = { receivedAt: 0, expiresAt: 300_000 }; // a five-minute token

  it('renews once four fifths of the life have passed, before the token expires', () => {
    expect(renewalDue(token, 239_999)).toBe(false);
    expect(renewalDue(token, 240_000)).toBe(true);
    expect(renewalDue(token, 299_999)).toBe(true);
  });

  it('renews a short-lived token at least 5 s before it expires', () => {
    const short = { receivedAt: 0, expiresAt: 12_000 };
    expect(renewalDue(short, 6_999)).toBe(false);
    expect(renewalDue(short, 7_000)).toBe(true);
  });
});

describe('hereOf', () => {
  it('keeps the path, the filters and the fragment, to come back to after signing in again', () => {
    expect(hereOf({ pathname: '/ui/runs', search: '?status=FAILED&orchName=demoOrder', hash: '#top' }))
      .toBe('/ui/runs?status=FAILED&orchName=demoOrder#top');
  });
});
