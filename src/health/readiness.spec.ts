import type { HealthCheckResult } from '@nestjs/terminus';
import { readinessOf } from './readiness';

const failed = (down: string[]): HealthCheckResult => ({
  status: 'error', info: {}, details: {},
  error: Object.fromEntries(down.map((key) => [key, { status: 'down' }])),
});

describe('readinessOf', () => {
  it('is degraded, still ready, while only the broker, the healer or the instance id is down', () => {
    expect(readinessOf(failed(['messaging']))).toBe('degraded');
    expect(readinessOf(failed(['healer', 'instance']))).toBe('degraded');
  });

  it('is unready while the database is down, whatever else is', () => {
    expect(readinessOf(failed(['database']))).toBe('unready');
    expect(readinessOf(failed(['messaging', 'database']))).toBe('unready');
  });

  it('is unready when the check failed without naming what is down', () => {
    expect(readinessOf(undefined)).toBe('unready');
    expect(readinessOf({ status: 'error', info: {}, details: {} })).toBe('unready');
  });
});
