import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { AppConfig } from '../config/app-config';
import { Healer } from './healer.service';

/**
 * The healer is down when it has not completed a tick for three intervals (plus slack for a
 * long tick): stuck runs would then stay stuck. Before its first tick it reports up.
 */
@Injectable()
export class HealerHealthIndicator {
  private readonly bootedAt = Date.now();

  constructor(private readonly health: HealthIndicatorService, private readonly healer: Healer, private readonly config: AppConfig) {}

  check(key = 'healer') {
    const indicator = this.health.check(key);
    const status = this.healer.status();
    const since = status.lastSuccessAt?.getTime() ?? this.bootedAt;
    const stale = Date.now() - since > 3 * this.config.HEALER_INTERVAL_MS + 30_000;
    const details = { intervalMs: this.config.HEALER_INTERVAL_MS, ...status };
    return stale ? indicator.down(details) : indicator.up(details);
  }
}
