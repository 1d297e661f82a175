import { setMaxListeners } from 'node:events';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Backoff } from '../backoff';
import { retryAfterMs, type BatonClient, type RequestOptions } from '../baton-client';
import { FailureStreak, refused } from '../failure-streak';
import { errorText, type WorkerLogger } from '../logger';
import type { Slots } from '../slots';
import { traceHeadersOf } from '../tracing';
import { malformedFields, parseCommand, type WireReply } from '../wire';
import { LeaseWindow } from './lease-window';
import { leasesOf, type Lease } from './leases';
import type { Delivery, Transport } from './transport';

export interface HttpTransportOptions {
  /**
   * How long one long poll waits for a command, in ms: an integer from 1000 to 30000 (Baton's
   * maximum). Default 20000. A command is handed over as soon as it is there whatever the wait: a
   * shorter one only polls more often, and under a second would make the poll loop spin.
   */
  waitMs?: number;
}

const MIN_WAIT_MS = 1000;
/** Baton's bounds on a poll (src/workers/dto/worker-http.dto.ts): one past them is refused with a 400. */
const MAX_WAIT_MS = 30_000;
const MAX_COMMANDS_PER_POLL = 64;
/** A poll answers within its wait: this much later, Baton (or the way to it) is taken as hung. */
const POLL_GRACE_MS = 10_000;
/**
 * The largest poll answer read. A command can be as large as Baton's MESSAGE_MAX_BYTES (16 MiB
 * but on Kafka), and a poll carries up to 64: this bounds memory against a broken server rather
 * than what Baton may send, and a larger answer fails its poll (its commands come again after their lease).
 */
const POLL_ANSWER_MAX_BYTES = 64 * 1024 * 1024;
/** How long a close() waits for Baton to take back a lease no start() took: past it, the lease just expires. */
const RELEASE_TIMEOUT_MS = 2_000;

interface Leased {
  lease: Lease;
  window: LeaseWindow;
  /** Baton's clock less this process's when the answer came (its Date header), if it had one. */
  batonClockAheadMs?: number;
}

/**
 * Long-polls Baton (`GET /api/workers/{service}/commands`) for as many commands as there are free
 * slots. Each comes under a lease: posting its reply applies it and releases the lease; a lease
 * that expires (a crashed worker) hands the command to another poller.
 */
export class HttpTransport implements Transport {
  private running = false;
  private loop?: Promise<void>;
  private abort = new AbortController();
  /** Aborted by close(): replies still being retried then (a handler stop() gave up on) give up. */
  private readonly closed = new AbortController();
  private readonly base: string;
  private readonly waitMs: number;
  private readonly streak: FailureStreak;
  /** After an outage: Baton is back within seconds, so it is asked again soon. */
  private readonly outage = new Backoff(1000, 30_000);
  /** After a refusal (a key, a configuration), which an operator must cure: slowly, not to trip Baton's auth-failure limiter. */
  private readonly refusal = new Backoff(10_000, 60_000);
  /** Leased by prepare()'s poll: handed over at start() instead of waiting out their lease. */
  private early: Leased[] = [];

  constructor(private readonly client: BatonClient, private readonly logger: WorkerLogger, options: HttpTransportOptions = {}) {
    this.base = `/api/workers/${encodeURIComponent(client.service)}`;
    this.waitMs = options.waitMs ?? 20_000;
    if (!Number.isInteger(this.waitMs) || this.waitMs < MIN_WAIT_MS || this.waitMs > MAX_WAIT_MS) {
      throw new Error(`waitMs must be an integer from ${MIN_WAIT_MS} to ${MAX_WAIT_MS}, not ${options.waitMs}`);
    }
    this.streak = new FailureStreak(logger, { service: client.service }, 'polling Baton failed, trying again with backoff', 'polling Baton again');
    // Every reply and heartbeat in flight listens on these (64 at once is ordinary): no warning at Node's default of 10.
    setMaxListeners(0, this.abort.signal, this.closed.signal);
  }

  async prepare(): Promise<void> {
    // A poll makes Baton subscribe for this service before the registration can trigger a command.
    // Baton has no poll that takes nothing (max is at least 1), so with a backlog this one leases a
    // command: it is kept for start() (or handed back by a close() without one, leaveEarly).
    this.early = await this.leases('wait=0&max=1', {});
  }

  async start(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    this.running = true;
    // At most one, and every slot is free before the first poll.
    for (const leased of this.early.splice(0)) this.hand(leased, receive);
    this.loop = this.poll(receive, slots);
  }

  async pause(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  async close(): Promise<void> {
    await this.pause();
    this.closed.abort();
    await this.leaveEarly();
  }

  /**
   * What prepare() leased and no start() took (the start failed after it: presence, a refused
   * registration) is released, so that Baton hands it to the next poller at once rather than once
   * its lease expires (a minute by default). Once each, briefly and never thrown: a close() must
   * not hang on a Baton that does not answer, and an unreleased lease still expires.
   */
  private async leaveEarly(): Promise<void> {
    await Promise.all(this.early.splice(0).map(async ({ lease }) => {
      const ids = idsOf(lease);
      const fields = { service: this.client.service, leaseId: lease.leaseId, leaseExpiresAt: lease.leaseExpiresAt, ...ids };
      try {
        await this.client.request('POST', `${this.leasePath(lease)}/release`, undefined, {
          timeoutMs: RELEASE_TIMEOUT_MS, retryForMs: 0, correlationId: typeof ids.correlationId === 'string' ? ids.correlationId : undefined,
        });
        this.logger.warn(fields, 'a command leased before start() failed is handed back unanswered: Baton offers it to the next poller');
      } catch (error) {
        this.logger.warn(fields, `a command leased before start() failed could not be handed back (${errorText(error)}): `
          + 'Baton offers it again once its lease expires');
      }
    }));
  }

  private async poll(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    while (this.running) {
      // With every slot busy this waits for a handler to end: pause() must not, or stop() would
      // wait out the longest handler before its drainTimeoutMs even starts.
      await untilAborted(slots.whenFree(), this.abort.signal);
      if (!this.running) return;
      try {
        const max = Math.min(slots.free(), MAX_COMMANDS_PER_POLL);
        // Tried once: the loop waits between attempts.
        const leases = await this.leases(`wait=${this.waitMs}&max=${max}`, { timeoutMs: this.waitMs + POLL_GRACE_MS, retryForMs: 0 });
        this.streak.succeeded();
        this.outage.reset();
        this.refusal.reset();
        for (const leased of leases) this.hand(leased, receive);
      } catch (error) {
        if (!this.running) return;
        this.streak.failed(error);
        const delay = Math.max((refused(error) ? this.refusal : this.outage).next(), retryAfterMs(error));
        await sleep(delay, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  private async leases(query: string, options: RequestOptions): Promise<Leased[]> {
    const { body, date } = await this.client.answer<unknown>('GET', `${this.base}/commands?${query}`, undefined, {
      ...options, signal: this.abort.signal, maxBodyBytes: POLL_ANSWER_MAX_BYTES,
    });
    const receivedAt = performance.now();
    // The Date header is to the second, truncated: Baton's clock reads as up to a second behind, which only delays a drop.
    const batonClockAheadMs = date === undefined ? undefined : date - Date.now();
    const leases = leasesOf(body, (count) => this.logger.error({ service: this.client.service }, `${count} lease(s) of a poll answer without a leaseId, skipped`));
    return leases.map((lease) => ({ lease, window: LeaseWindow.of(lease.leaseExpiresAt, date, receivedAt), batonClockAheadMs }));
  }

  /**
   * One lease on its own, so that a malformed one does not cost the rest of its batch their leases.
   * A command that does not parse never will: it is dropped (acknowledged without a reply), as the
   * broker transports dead-letter or skip one, and Baton times the attempt out.
   */
  private hand({ lease, window, batonClockAheadMs }: Leased, receive: (delivery: Delivery) => void): void {
    let delivery;
    try {
      delivery = { ...this.delivery(lease, window), batonClockAheadMs };
    } catch (error) {
      const fields = { service: this.client.service, leaseId: lease.leaseId, ...malformedFields(error) };
      this.logger.error(fields, `not a command, dropped: ${errorText(error)}`);
      this.send('DELETE', this.leasePath(lease), window.retryForMs())
        .catch((e: unknown) => this.logger.warn(fields, `dropping it failed, it comes again when its lease expires: ${errorText(e)}`));
      return;
    }
    receive(delivery);
  }

  private delivery(lease: Lease, window: LeaseWindow): Delivery {
    const command = parseCommand(JSON.stringify(lease.command));
    const path = this.leasePath(lease);
    // A reply or drop is retried up to the command's deadline, a heartbeat only while the lease lasts (LeaseWindow).
    const call = <T>(method: string, to: string, retryForMs: number, body?: WireReply) => this.send<T>(method, to, retryForMs, body, command.correlationId);
    const reply = async (r: WireReply) => { await call('POST', `${path}/reply`, window.finalRetryForMs(command.deadline), r); };
    return {
      // traceHeadersOf keeps only string values, whatever the poll answer held there.
      command, trace: traceHeadersOf(lease.trace as Record<string, unknown> | undefined),
      settle: reply,
      heartbeat: async (r: WireReply) => {
        const sentAt = performance.now();
        const answer = await call<{ outcome?: unknown } | undefined>('POST', `${path}/reply`, window.retryForMs(), r);
        if (answer?.outcome === 'not-in-flight') return 'ended';
        window.renewed(sentAt);
      },
      drop: async () => { await call('DELETE', path, window.finalRetryForMs(command.deadline)); },
    };
  }

  /**
   * A reply, heartbeat or drop. Baton applies a repeated one once (a retried reply is answered
   * `duplicate`), so a transient failure (Baton's database blinking: a 503, a Baton restarting) is
   * retried, as its Retry-After asks, for `retryForMs` (LeaseWindow).
   */
  private send<T = unknown>(method: string, path: string, retryForMs: number, body?: WireReply, correlationId?: string): Promise<T> {
    return this.client.request<T>(method, path, body, { signal: this.closed.signal, retryForMs, correlationId });
  }

  private leasePath(lease: Lease): string {
    return `${this.base}/leases/${encodeURIComponent(lease.leaseId)}`;
  }
}

/** The ids of a lease's command for a log line, whether it parses or not. */
function idsOf(lease: Lease): Record<string, unknown> {
  try {
    const c = parseCommand(JSON.stringify(lease.command));
    return { flowId: c.flowId, step: c.stepName, commandId: c.commandId, correlationId: c.correlationId };
  } catch (error) {
    return malformedFields(error);
  }
}

/** Resolves when `wait` does or `signal` aborts, whichever is first, leaving no listener behind. */
function untilAborted(wait: Promise<void>, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve();
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
