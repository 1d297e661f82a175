import type { HealthCheckResult } from '@nestjs/terminus';

/**
 * What a failed health check means for readiness. Only the database makes Baton unready: without
 * the broker, the runs it takes wait in the outbox and go out when it is back (answered 503, a
 * broker outage took every instance out of a balancer at once, and nothing was taken at all).
 * The healer, the broker or a shared INSTANCE_ID down: `degraded`, still ready.
 */
export function readinessOf(failed: HealthCheckResult | undefined): 'degraded' | 'unready' {
  return failed?.error !== undefined && !('database' in failed.error) ? 'degraded' : 'unready';
}
