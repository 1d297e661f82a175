import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { OutageLog } from '../../common/logging/outage-log';
import { ApiKeyRepository } from './api-key.repository';
import { ApiKeyService } from './api-key.service';

/** How often revocations made elsewhere are looked for: the longest a revoked key still works here. */
export const REVOCATION_POLL_MS = 1000;
/**
 * How far back each look reaches. Far longer than a verified key is remembered (30 s), so that a
 * look that failed (an outage) or a revoker's clock a minute behind ours misses nothing still held.
 */
const LOOK_BACK_MS = 120_000;

/**
 * Makes a key revoked on another instance, or with the keys CLI, stop working here within about a
 * second, instead of when this instance's verification of it expires. Keys revoked here stop at once
 * (ApiKeyService.revoke); looking again for those is harmless.
 */
@Injectable()
export class RevocationWatch implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RevocationWatch.name);
  private timer?: NodeJS.Timeout;
  private looking?: Promise<void>;
  private readonly outage = new OutageLog(this.logger, 'Looking for revoked API keys');

  constructor(private readonly keys: ApiKeyRepository, private readonly apiKeys: ApiKeyService) {}

  onApplicationBootstrap(): void {
    // Unref'd: the watch alone must not keep a stopping process alive.
    this.timer = setInterval(() => {
      this.looking ??= this.look();
    }, REVOCATION_POLL_MS).unref();
  }

  /** Before any shutdown hook: the database closes in one, and a look against it would warn of nothing. */
  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.looking;
  }

  private async look(): Promise<void> {
    try {
      this.apiKeys.forgetRevoked(await this.keys.revokedAfter(new Date(Date.now() - LOOK_BACK_MS)));
      this.outage.succeeded();
    } catch (error) {
      // The keys verified here are honoured meanwhile, for 30 s at most.
      this.outage.failed(error);
    } finally {
      this.looking = undefined;
    }
  }
}
