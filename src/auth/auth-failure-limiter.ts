import { Injectable, OnApplicationShutdown } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { AppConfig } from '../config/app-config';

const THROTTLER = 'auth-failures';

/**
 * Counts failed authentications per address with @nestjs/throttler's storage. Only failures count:
 * a caller with a valid credential is never blocked, one guessing keys is blocked for the window,
 * and while blocked even a right guess is not evaluated, so guessing learns nothing. Checks under
 * way are bounded per address too (admit), valid ones included: more than AUTH_FAILURE_LIMIT keys
 * checked at once from one address wait for a retry (429 TOO_MANY_AUTH_CHECKS).
 */
@Injectable()
export class AuthFailureLimiter implements OnApplicationShutdown {
  private readonly storage = new ThrottlerStorageService();
  /** Credential checks under way per address (admit). */
  private readonly checking = new Map<string, number>();

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

  /**
   * Runs a credential check for an address, or refuses it (undefined) when AUTH_FAILURE_LIMIT
   * checks from it are already under way. A check may cost a key derivation (scrypt: ~100 ms of
   * one of libuv's four threads), and failures are counted only once it ends: without this bound,
   * one address's burst of 200 guesses queued 20 s of derivations ahead of every other caller's.
   */
  async admit<T>(address: string, check: () => Promise<T>): Promise<T | undefined> {
    const underWay = this.checking.get(address) ?? 0;
    if (underWay >= this.config.AUTH_FAILURE_LIMIT) return undefined;
    this.checking.set(address, underWay + 1);
    try {
      return await check();
    } finally {
      const left = this.checking.get(address)! - 1;
      if (left > 0) this.checking.set(address, left);
      else this.checking.delete(address);
    }
  }

  onApplicationShutdown(): void {
    this.storage.onApplicationShutdown();
  }

  private keyOf(address: string): string {
    return `${THROTTLER}:${address}`;
  }
}
