import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/client';
import { liveState, rangeProblem } from './runs';

describe('rangeProblem', () => {
  it('says when "to" is before "from", which no run can match', () => {
    expect(rangeProblem('2026-12-02T00:00:00.000Z', '2026-12-01T00:00:00.000Z')).toContain('“to” is before “from”');
  });

  it('says so when "to" is "from": "to" is exclusive, so that range holds no run either', () => {
    expect(rangeProblem('2026-12-01T00:00:00.000Z', '2026-12-01T00:00:00.000Z')).toContain('no run can match');
  });

  it('says nothing of an ordered or half-open range', () => {
    expect(rangeProblem('2026-12-01T00:00:00.000Z', '2026-12-02T00:00:00.000Z')).toBeNull();
    expect(rangeProblem('', '2026-12-01T00:00:00.000Z')).toBeNull();
  });
});

describe('liveState', () => {
  it('is live while the list answers', () => {
    expect(liveState({}, 2000)).toBe('live');
  });

  it('is retrying while Baton is unreachable or answers 5xx, which the list asks again', () => {
    expect(liveState({ error: new NetworkError() }, 2000)).toBe('retrying');
    expect(liveState({ error: new ApiError(503, 'SERVICE_UNAVAILABLE', 'down') }, 2000)).toBe('retrying');
  });

  it('is stopped after a refusal that stopped the polling (a bad filter): not green "live"', () => {
    expect(liveState({ error: new ApiError(400, 'VALIDATION_FAILED', 'status must be one of …') }, 2000)).toBe('stopped');
  });
});
