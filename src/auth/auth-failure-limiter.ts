import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';

const THROTTLER = 'auth-failures';

/**
 * Counts failed authentications per address with @nestjs/throttler's storage. Only failures count:
 * a caller with a valid credential is never slowed, one guessing keys is blocked for the window,
 * and while blocked even a right guess is not evaluated, so guessing learns nothing.
 */
@Injectable()
export class AuthFailureLimiter implements OnApplicationShutdown {
  private readonly storage = new ThrottlerStorageService();

  constructor(private readonly config: AppConfig) {}

  isBlocked(address: string): boolean {
    const record = this.storage.storage.get(this.keyOf(address));
    return !!record?.isBlocked && record.blockExpiresAt > Date.now();
  }

  /** Whole seconds until a blocked address may try again (at least 1), for Retry-After. */
  blockedForSeconds(address: string): number {
    const record = this.storage.storage.get(this.keyOf(address));
    return Math.max(1, Math.ceil(((record?.blockExpiresAt ?? 0) - Date.now()) / 1000));
  }

  /** Returns true when the address is blocked now (callers check isBlocked first, so: just now). */
  async recordFailure(address: string): Promise<boolean> {
    const windowMs = this.config.AUTH_FAILURE_WINDOW_SECONDS * 1000;
    const record = await this.storage.increment(this.keyOf(address), windowMs, this.config.AUTH_FAILURE_LIMIT, windowMs, THROTTLER);
    return record.isBlocked;
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }

  private keyOf(address: string): string {
    return `${THROTTLER}:${address}`;
  }
}
