import { describe, expect, it } from 'vitest';
import { ApiError } from '../api/client';
import { nextPoll } from './use-resource';

const refused = (status: number) => new ApiError(status, 'X', 'x');

describe('nextPoll', () => {
  it('polls on after a good answer, a network failure and a server error', () => {
    expect(nextPoll(2000, { a: 1 }, undefined)).toBe(2000);
    expect(nextPoll(2000, undefined, new TypeError('Failed to fetch'))).toBe(2000);
    expect(nextPoll(2000, undefined, refused(503))).toBe(2000);
    expect(nextPoll((d: number | undefined) => (d ? 10_000 : 2000), 1, undefined)).toBe(10_000);
  });

  it('stops after a refusal that asking again will not change: not found, forbidden, bad request', () => {
    for (const status of [400, 401, 403, 404, 410]) expect(nextPoll(2000, { a: 1 }, refused(status))).toBeUndefined();
    expect(nextPoll(() => 2000, undefined, refused(404))).toBeUndefined();
  });

  it('polls on after a timeout or too many requests', () => {
    expect(nextPoll(2000, undefined, refused(408))).toBe(2000);
    expect(nextPoll(2000, undefined, refused(429))).toBe(2000);
  });

  it('loads once without an interval', () => {
    expect(nextPoll(undefined, 1, undefined)).toBeUndefined();
  });
});
