import type { Consumer } from 'kafkajs';
import { errorText, type WorkerLogger } from '../logger';
import { TimeoutError, withTimeout } from '../with-timeout';

/** A crashed consumer is replaced after 1 s, then 2, 4… up to this, until one joins its group. */
const MAX_REPLACE_DELAY_MS = 30_000;

/**
 * Keeps one consumer of the command topic running. kafkajs restarts its consumer itself after a
 * retriable crash; after any other it stays down (Baton's docs/stack-notes.md, "Brokers"), and the worker would consume nothing
 * without a word: the keeper replaces it, with backoff. Work that an earlier consumer handed out
 * checks `isCurrent` before it seeks or commits on the topic: a seek would rewind the new
 * consumer, and a late commit could move the group's offset backwards.
 */
export class ConsumerKeeper {
  private consumer?: Consumer;
  private stopped = false;
  /** Whether this outage's crash was logged; a join ends the outage. */
  private crashLogged = false;
  private replacements = 0;
  private timer?: NodeJS.Timeout;
  private replacing?: Promise<void>;
  /** How each consumer consumes, from start(). */
  private run?: (consumer: Consumer) => Promise<void>;

  /** `replaced` runs when a new consumer takes over, before it fetches. */
  constructor(
    private readonly subscribed: () => Promise<Consumer>,
    private readonly replaced: () => void,
    private readonly logger: WorkerLogger,
    private readonly topic: string,
  ) {}

  get current(): Consumer | undefined {
    return this.consumer;
  }

  /** False for a consumer since replaced. */
  isCurrent(consumer: Consumer): boolean {
    return consumer === this.consumer;
  }

  /** Whether `consumer` may take more commands: it is current and the worker is not stopping. */
  isTaking(consumer: Consumer): boolean {
    return !this.stopped && this.isCurrent(consumer);
  }

  /** Connects and subscribes the first consumer, before the worker registers. */
  async prepare(): Promise<void> {
    this.consumer = await this.subscribed();
  }

  /** Runs the consumer, and every replacement, with `run`; resolves once kafkajs's first run() did. */
  async start(run: (consumer: Consumer) => Promise<void>): Promise<void> {
    this.run = run;
    await this.keep(this.consumer!);
  }

  /** Fetches nothing more and replaces nothing more. */
  pause(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    try {
      this.consumer?.pause([{ topic: this.topic }]);
    } catch {
      // A consumer that crashed cannot pause ("group was not initialized"); stop() cancels the restart kafkajs may have pending.
      void this.consumer?.stop().catch(() => undefined);
    }
  }

  /**
   * Leaves the group and disconnects, waiting at most `leaveWaitMs` (a replacement under way
   * included). Past it, the leave goes on in the background.
   */
  async disconnect(leaveWaitMs: number): Promise<void> {
    this.pause();
    const left = (async () => {
      await this.replacing;
      await this.consumer?.disconnect();
    })();
    try {
      await withTimeout(left, leaveWaitMs, 'leaving the group');
    } catch (error) {
      if (!(error instanceof TimeoutError)) throw error;
      this.logger.warn({ topic: this.topic }, `the Kafka consumer did not leave its group within ${leaveWaitMs} ms (a rebalance waits for it); closed without it`);
    }
  }

  private async keep(consumer: Consumer): Promise<void> {
    consumer.on(consumer.events.GROUP_JOIN, () => {
      this.crashLogged = false;
      this.replacements = 0;
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => this.onCrash(consumer, payload.error, payload.restart));
    // kafkajs's run() resolves after the join, or after a join that crashed (the CRASH handler's case).
    await this.run!(consumer);
    // kafkajs stops a runner only once it joined: a pause or disconnect during the join missed it.
    if (this.stopped) await consumer.disconnect().catch(() => undefined);
  }

  private onCrash(crashed: Consumer, error: Error, restarting: boolean): void {
    if (!this.isCurrent(crashed)) return;
    if (this.stopped) {
      // kafkajs sets its restart timer right after this event: cancel it, or a stopping worker consumes again.
      if (restarting) setImmediate(() => void crashed.stop().catch(() => undefined));
      return;
    }
    // kafkajs's own restarts are logged once per outage (it crashes again on each while the broker is down).
    if (!restarting || !this.crashLogged) {
      this.logger.error({ topic: this.topic }, `Kafka consumer crashed: ${error.message}; ${restarting ? 'kafkajs restarts it' : 'replacing it'}`);
    }
    this.crashLogged = true;
    if (!restarting) this.scheduleReplacement(crashed);
  }

  private scheduleReplacement(crashed: Consumer): void {
    const delay = Math.min(MAX_REPLACE_DELAY_MS, 1000 * 2 ** this.replacements++);
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.replacing = this.replace(crashed).finally(() => (this.replacing = undefined));
    }, delay);
  }

  /** Resolves once the new consumer is current (its join goes on in the background), or the attempt failed. */
  private async replace(crashed: Consumer): Promise<void> {
    await crashed.disconnect().catch(() => undefined);
    let consumer: Consumer;
    try {
      consumer = await this.subscribed();
    } catch (error) {
      this.replacementFailed(error);
      return;
    }
    if (this.stopped) {
      await consumer.disconnect().catch(() => undefined);
      return;
    }
    this.consumer = consumer;
    this.replaced();
    void this.keep(consumer).catch((error: unknown) => this.replacementFailed(error));
  }

  private replacementFailed(error: unknown): void {
    if (this.stopped) return;
    this.logger.error({ topic: this.topic }, `replacing the Kafka consumer failed: ${errorText(error)}`);
    this.scheduleReplacement(this.consumer!);
  }
}
