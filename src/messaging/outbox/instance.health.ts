import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { RelayPresence } from './relay-presence';

/** Down while another live process runs with this INSTANCE_ID: health then says degraded. */
@Injectable()
export class InstanceHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly presence: RelayPresence,
  ) {}

  check(key = 'instance') {
    const indicator = this.health.check(key);
    const details = { instanceId: this.presence.relayId };
    return this.presence.instanceIdShared()
      ? indicator.down({ ...details, error: 'another running process has this INSTANCE_ID' })
      : indicator.up(details);
  }
}
