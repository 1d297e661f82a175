import type { HealthCheckResult } from '@nestjs/terminus';
import { isDegraded } from './readiness';

const failed = (down: string[]): HealthCheckResult => ({
  status: 'error', info: {}, details: {},
  error: Object.fromEntries(down.map((key) => [key, { status: 'down' }])),
});

describe('isDegraded', () => {
  it('is degraded, still ready, while only the broker, the healer or the instance id is down', () => {
    expect(isDegraded(failed(['messaging']))).toBe(true);
    expect(isDegraded(failed(['healer', 'instance']))).toBe(true);
  });

  it('is unready while the database is down, whatever else is', () => {
    expect(isDegraded(failed(['database']))).toBe(false);
    expect(isDegraded(failed(['messaging', 'database']))).toBe(false);
  });

  it('is unready when the check failed without naming what is down', () => {
    expect(isDegraded(undefined)).toBe(false);
    expect(isDegraded({ status: 'error', info: {}, details: {} })).toBe(false);
  });
});
