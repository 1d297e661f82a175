import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DependencyUnavailableError } from '../common/errors/infrastructure-error';
import { AppConfig } from '../config/app-config';
import { z } from 'zod';
import { parseMessage } from '../engine/messages/parse-message';
import type { IncomingMessage } from '../messaging/message';
import { MessageConsumer } from '../messaging/message-consumer';
import { traceHeadersOf } from '../tracing/trace-headers-of';
import { CommandPool } from './command-pool';

/** What the hub reads of a command; the rest goes to the worker as sent. */
const commandSchema = z.looseObject({ commandId: z.uuid() });

/** A returned command's handler waits this long, so the consumer has stopped before it fails (no dead letter). */
const SHUTDOWN_RETURN_DELAY_MS = 250;

/**
 * Baton consumes a worker service's command topic on behalf of its HTTP pollers, in the service's
 * own consumer group (the same group its broker workers would use), from the first poll on. A
 * consumed command stays unacknowledged while it waits or is leased: the broker's redelivery
 * covers a Baton restart, and the lease covers a poller that vanished.
 */
@Injectable()
export class HttpWorkerHub implements OnModuleDestroy {
  private readonly logger = new Logger(HttpWorkerHub.name);
  private readonly pools = new Map<string, CommandPool>();
  private readonly subscribing = new Map<string, Promise<void>>();
  private closing = false;

  constructor(private readonly consumer: MessageConsumer, private readonly config: AppConfig) {}

  /** The service's pool, subscribing to its command topic on first use. */
  async poolFor(service: string): Promise<CommandPool> {
    let subscribed = this.subscribing.get(service);
    if (!subscribed) {
      subscribed = this.subscribe(service);
      this.subscribing.set(service, subscribed);
      subscribed.catch(() => this.subscribing.delete(service));
    }
    await subscribed;
    return this.pools.get(service)!;
  }

  /** The pool if this instance already serves the service. */
  existingPool(service: string): CommandPool | undefined {
    return this.pools.get(service);
  }

  onModuleDestroy(): void {
    this.closing = true;
    // An outage-class error: the consumer keeps the command unacknowledged without counting a failed
    // delivery, so rolling restarts never push a waiting command towards its dead letter.
    const error = new DependencyUnavailableError('Baton is shutting down: command returned to the broker', undefined);
    for (const pool of this.pools.values()) pool.releaseAll(error);
  }

  private async subscribe(service: string): Promise<void> {
    const pool = new CommandPool(this.config.WORKER_LEASE_MS);
    this.pools.set(service, pool);
    const topic = `${this.config.COMMAND_TOPIC_PREFIX}${service}`;
    await this.consumer.subscribe({ topic, group: service, handler: (m) => this.hold(pool, m) });
    this.logger.log(`Serving ${topic} to HTTP workers of ${service}`);
  }

  private async hold(pool: CommandPool, message: IncomingMessage): Promise<void> {
    if (this.closing) {
      await sleep(SHUTDOWN_RETURN_DELAY_MS);
      throw new DependencyUnavailableError('Baton is shutting down', undefined);
    }
    const body = parseMessage(commandSchema, message.body);
    await new Promise<void>((resolve, reject) => pool.offer({
      commandId: body.commandId, body, trace: traceHeadersOf(message.headers),
      done: (error) => (error ? reject(error) : resolve()),
    }));
  }
}
