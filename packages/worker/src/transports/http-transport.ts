import { setTimeout as sleep } from 'node:timers/promises';
import type { BatonClient } from '../baton-client';
import { errorText, type WorkerLogger } from '../logger';
import type { Slots } from '../slots';
import { traceHeadersOf } from '../tracing';
import { parseCommand, type WireCommand, type WireReply } from '../wire';
import type { Delivery, Transport } from './transport';

export interface HttpTransportOptions {
  /** How long one long-poll waits for a command, in ms. Default 20000 (Baton caps it at 30000). */
  waitMs?: number;
}

interface Leased {
  leaseId: string;
  command: WireCommand;
  /** The command's trace headers, when Baton traces. */
  trace?: Record<string, string>;
}

const ERROR_BACKOFF_MS = 1000;

/**
 * Long-polls Baton (`GET /api/workers/{service}/commands`) for as many commands as there are free
 * slots. Each comes under a lease: posting its reply applies it and releases the lease; a lease
 * that expires (a crashed worker) hands the command to another poller.
 */
export class HttpTransport implements Transport {
  private running = false;
  private failing = false;
  private loop?: Promise<void>;
  private abort = new AbortController();
  private readonly base: string;
  /** Leased by prepare()'s poll: handed over at start() instead of waiting out their lease. */
  private early: Leased[] = [];

  constructor(private readonly client: BatonClient, private readonly logger: WorkerLogger, private readonly options: HttpTransportOptions = {}) {
    this.base = `/api/workers/${encodeURIComponent(client.service)}`;
  }

  async prepare(): Promise<void> {
    // A poll makes Baton subscribe for this service before the registration can trigger a command.
    // Baton has no poll that takes nothing (max is at least 1), so with a backlog this one leases a
    // command: it is kept for start(), as Baton has no route that gives a lease back unanswered.
    const leases = await this.client.request<Leased[]>('GET', `${this.base}/commands?wait=0&max=1`);
    this.early = Array.isArray(leases) ? leases : [];
  }

  async start(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    this.running = true;
    // At most one, and every slot is free before the first poll.
    for (const lease of this.early.splice(0)) this.hand(lease, receive);
    this.loop = this.poll(receive, slots);
  }

  async pause(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  async close(): Promise<void> {
    await this.pause();
  }

  private async poll(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    const wait = Math.min(this.options.waitMs ?? 20_000, 30_000);
    while (this.running) {
      // With every slot busy this waits for a handler to end: pause() must not, or stop() would
      // wait out the longest handler before its drainTimeoutMs even starts.
      await untilAborted(slots.whenFree(), this.abort.signal);
      if (!this.running) return;
      try {
        const leases = await this.client.request<Leased[]>(
          'GET', `${this.base}/commands?wait=${wait}&max=${slots.free()}`, undefined, this.abort.signal);
        if (this.failing) this.logger.info({ service: this.client.service }, 'polling Baton again');
        this.failing = false;
        for (const lease of leases) this.hand(lease, receive);
      } catch (error) {
        if (!this.running) return;
        // One line per outage: a Baton restart would otherwise write one every second or so.
        if (!this.failing) this.logger.warn({ service: this.client.service }, `polling Baton failed, trying every second: ${errorText(error)}`);
        this.failing = true;
        await sleep(ERROR_BACKOFF_MS, undefined, { signal: this.abort.signal }).catch(() => undefined);
      }
    }
  }

  /**
   * One lease on its own, so that a malformed one does not cost the rest of its batch their leases.
   * A command that does not parse never will: it is dropped (acknowledged without a reply), as the
   * broker transports dead-letter or skip one, and Baton times the attempt out.
   */
  private hand(lease: Leased, receive: (delivery: Delivery) => void): void {
    let delivery;
    try {
      delivery = this.delivery(lease);
    } catch (error) {
      const fields = { service: this.client.service, leaseId: lease.leaseId };
      this.logger.error(fields, `not a command, dropped: ${errorText(error)}`);
      this.client.request('DELETE', `${this.base}/leases/${encodeURIComponent(lease.leaseId)}`)
        .catch((e: unknown) => this.logger.warn(fields, `dropping it failed, it comes again when its lease expires: ${errorText(e)}`));
      return;
    }
    receive(delivery);
  }

  private delivery(lease: Leased): Delivery {
    const command = parseCommand(JSON.stringify(lease.command));
    const lid = encodeURIComponent(lease.leaseId);
    return {
      command, trace: traceHeadersOf(lease.trace),
      settle: (reply: WireReply) => this.client.request('POST', `${this.base}/leases/${lid}/reply`, reply).then(() => undefined),
      heartbeat: (reply: WireReply) => this.client.request('POST', `${this.base}/leases/${lid}/reply`, reply).then(() => undefined),
      drop: () => this.client.request('DELETE', `${this.base}/leases/${lid}`).then(() => undefined),
    };
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
