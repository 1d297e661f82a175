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

  constructor(private readonly client: BatonClient, private readonly logger: WorkerLogger, private readonly options: HttpTransportOptions = {}) {
    this.base = `/api/workers/${encodeURIComponent(client.service)}`;
  }

  async prepare(): Promise<void> {
    // An empty poll makes Baton subscribe for this service before the registration can trigger a command.
    await this.client.request('GET', `${this.base}/commands?wait=0&max=1`).then((leases) => {
      if (Array.isArray(leases) && leases.length > 0) throw new Error('unexpected command before start');
    });
  }

  async start(receive: (delivery: Delivery) => void, slots: Slots): Promise<void> {
    this.running = true;
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
      await slots.whenFree();
      if (!this.running) return;
      try {
        const leases = await this.client.request<Leased[]>(
          'GET', `${this.base}/commands?wait=${wait}&max=${slots.free()}`, undefined, this.abort.signal);
        if (this.failing) this.logger.info({ service: this.client.service }, 'polling Baton again');
        this.failing = false;
        for (const lease of leases) receive(this.delivery(lease));
      } catch (error) {
        if (!this.running) return;
        // One line per outage: a Baton restart would otherwise write one every second or so.
        if (!this.failing) this.logger.warn({ service: this.client.service }, `polling Baton failed, trying every second: ${errorText(error)}`);
        this.failing = true;
        await sleep(ERROR_BACKOFF_MS);
      }
    }
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
