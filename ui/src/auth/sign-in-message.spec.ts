import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { signInMessage } from './sign-in-message';

const lockout = new ApiError(429, 'TOO_MANY_AUTH_FAILURES', 'Too many failed authentications from this address; try again later', [], null, 37);

describe('signInMessage', () => {
  it('says the address is locked out, and for how long, from Retry-After', () => {
    expect(signInMessage('required', lockout, 37)).toBe('Too many failed sign-ins from this address: try again in 37 s.');
    expect(signInMessage('required', lockout, 0)).toBe('Too many failed sign-ins from this address: you may try again now.');
    expect(signInMessage('required', lockout, null)).toBe('Too many failed sign-ins from this address: try again later.');
  });

  it('does not call checks still under way failed sign-ins', () => {
    const busy = new ApiError(429, 'TOO_MANY_AUTH_CHECKS', 'Too many credential checks under way from this address; try again shortly', [], null, 1);
    expect(signInMessage('required', busy, 1)).toBe('Too many sign-ins under way from this address: try again in 1 s.');
  });

  it("shows Baton's own reason for a refused key (revoked, expired)", () => {
    const revoked = new ApiError(401, 'UNAUTHENTICATED', 'Authentication required: API key bk_ab12 is revoked');
    expect(signInMessage('refused', revoked, null)).toBe(
      'Baton refused those credentials: API key bk_ab12 is revoked. Check the key, or sign in again; an admin can issue a new key.');
  });

  it('says nothing when no credential was sent yet, and asks again after an expiry', () => {
    expect(signInMessage('required', undefined, null)).toBeNull();
    expect(signInMessage('expired', undefined, null)).toBe('Your session expired. Sign in again.');
  });
});
