import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Backoff } from './backoff';
import { retryAfterMs } from './baton-client';
import type { WorkerControl } from './control';
import { FailureStreak, refused } from './failure-streak';
import { errorText, type WorkerLogger } from './logger';
import { withTimeout } from './with-timeout';

export const SDK_VERSION: string = (JSON.parse(readFileSync(join(__dirname, '..', 'package.json'), 'utf8')) as { version: string }).version;

/** stop() waits this long at most for the goodbye (and the beat before it): a slow Baton must not eat the grace period. */
const GOODBYE_MS = 5000;
/** Beats Baton keeps refusing come further apart, up to this. */
const MAX_REFUSAL_BACKOFF_MS = 60_000;
/**
 * Beats that fail while Baton is down come at most this many intervals apart: Baton forgets an
 * instance a few intervals after its last beat (WORKER_PRESENCE_TTL_SECONDS, 15 s against the
 * default 5 s here), so after an outage a beat a minute away would keep templates PENDING (with
 * READINESS=live) for up to that minute after Baton is back.
 */
const MAX_OUTAGE_INTERVALS = 3;

/**
 * Tells Baton every few seconds that this process is alive and which steps it handles (over HTTP
 * by default, whatever the transport), and that it left on stop. With READINESS=live, Baton keeps a template
 * READY only while each of its steps has a live instance.
 */
export class Presence {
  readonly instanceId = randomUUID();
  private timer?: NodeJS.Timeout;
  private stopped = false;
  /** Whether Baton accepted a beat: only then has it an instance to forget. */
  private seen = false;
  /** The beat in flight, or the last one: the goodbye waits for it. */
  private beating: Promise<void> = Promise.resolve();
  /**
   * A refused beat (a revoked key: a 401 every presenceMs) would count against Baton's auth-failure
   * limiter, which then blocks every worker behind the same address: refusals back off to a minute.
   */
  private readonly refusal: Backoff;
  /** An outage needs no beat per presenceMs either, but the first beat after it must come soon. */
  private readonly outage: Backoff;
  private readonly streak: FailureStreak;

  constructor(
    private readonly control: WorkerControl,
    private readonly service: string,
    private readonly steps: Array<{ orchName: string; stepName: string }>,
    private readonly logger: WorkerLogger,
    private readonly intervalMs: number,
  ) {
    this.refusal = new Backoff(2 * intervalMs, Math.max(intervalMs, MAX_REFUSAL_BACKOFF_MS));
    this.outage = new Backoff(2 * intervalMs, MAX_OUTAGE_INTERVALS * intervalMs);
    this.streak = new FailureStreak(logger, { service }, 'presence not accepted', 'presence accepted again');
  }

  async start(): Promise<void> {
    await this.next();
  }

  /**
   * Says goodbye once the beat in flight has ended: its upsert, arriving after the goodbye, would
   * show this instance alive again. None when no beat was accepted (a start that failed, Baton
   * unreachable): there is nothing to forget, and a goodbye would only fail too. A beat Baton
   * applied but whose answer was lost leaves the instance to expire after the presence TTL.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const goodbye = this.beating.then(() => (this.seen ? this.control.leave(this.instanceId) : undefined));
    await withTimeout(goodbye, GOODBYE_MS, 'saying goodbye')
      .catch((e: unknown) => this.logger.warn({ service: this.service }, `could not say goodbye: ${errorText(e)}`));
  }

  /** One beat, and the next timed from its end: beats never overlap. */
  private next(): Promise<void> {
    this.beating = this.beat().then((delay) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.next(), delay);
      this.timer.unref();
    });
    return this.beating;
  }

  /** Reports presence; resolves to the delay before the next beat. */
  private async beat(): Promise<number> {
    try {
      await this.control.reportPresence({
        instanceId: this.instanceId, host: hostname().slice(0, 255), sdkVersion: SDK_VERSION, steps: this.steps,
      });
      this.seen = true;
      this.streak.succeeded();
      this.refusal.reset();
      this.outage.reset();
      return this.intervalMs;
    } catch (e) {
      this.streak.failed(e);
      return Math.max(this.intervalMs, (refused(e) ? this.refusal : this.outage).next(), retryAfterMs(e));
    }
  }
}
