import { describe, expect, it } from 'vitest';
import { ApiError, NetworkError } from '../api/client';
import { liveState } from './runs';

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
