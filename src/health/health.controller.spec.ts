import type { HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import type { Principal } from '../auth/principal';
import type { HealerHealthIndicator } from '../healing/healer.health';
import type { MessagingHealthIndicator } from '../messaging/messaging.health';
import type { InstanceHealthIndicator } from '../messaging/outbox/instance.health';
import { Draining } from './draining';
import { HealthController } from './health.controller';

describe('HealthController', () => {
  it('asks for the outbox backlog only when the details go to the caller (a role other than service)', async () => {
    const up = async () => ({});
    const health = { check: async (checks: Array<() => Promise<unknown>>) => { await Promise.all(checks.map((c) => c())); return { status: 'ok' }; } };
    const messaging = { check: jest.fn(up) };
    const controller = new HealthController(health as unknown as HealthCheckService, { pingCheck: up } as unknown as TypeOrmHealthIndicator,
      messaging as unknown as MessagingHealthIndicator, { check: up } as unknown as HealerHealthIndicator,
      { check: up } as unknown as InstanceHealthIndicator, new Draining());
    const caller = (...roles: Principal['roles']): Principal => ({ id: 'k', kind: 'api-key', roles });
    for (const principal of [undefined, caller('service'), caller('viewer'), caller('service', 'operator')]) await controller.check(principal);
    expect(messaging.check.mock.calls).toEqual([['messaging', false], ['messaging', false], ['messaging', true], ['messaging', true]]);
  });
});
