import type { HealthCheckResult } from '@nestjs/terminus';

/**
 * Whether a failed health check leaves Baton ready, `degraded`. Only the database makes it
 * unready: without the broker, the runs it takes wait in the outbox and go out when it is back
 * (answered 503, a broker outage took every instance out of a balancer at once, and nothing was
 * taken at all). The healer, the broker or a shared INSTANCE_ID down: degraded.
 */
export function isDegraded(failed: HealthCheckResult | undefined): failed is HealthCheckResult {
  return failed?.error !== undefined && !('database' in failed.error);
}
