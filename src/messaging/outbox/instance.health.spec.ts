import { HealthIndicatorService } from '@nestjs/terminus';
import { InstanceHealthIndicator } from './instance.health';
import type { RelayPresence } from './relay-presence';

describe('InstanceHealthIndicator', () => {
  const indicator = (shared: boolean) => new InstanceHealthIndicator(new HealthIndicatorService(),
    { relayId: 'engine-a', instanceIdShared: () => shared } as unknown as RelayPresence);

  it('is up, naming the instance, while no other process beats as it', () => {
    expect(indicator(false).check()).toEqual({ instance: { status: 'up', instanceId: 'engine-a' } });
  });

  it('is down while another live process beats with its INSTANCE_ID', () => {
    expect(indicator(true).check()).toEqual({
      instance: { status: 'down', instanceId: 'engine-a', error: 'another running process has this INSTANCE_ID' },
    });
  });
});
