import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import type { Subscription } from '../messaging/message-consumer';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { DependencyUnavailableError } from '../common/errors/infrastructure-error';
import { AppConfig } from '../config/app-config';
import { z } from 'zod';
import { parseMessage } from '../engine/messages/parse-message';
import { MAX_INT4 } from '../engine/messages/stored-text';
import { errorMessage } from '../common/errors/error-message';
import type { IncomingMessage } from '../messaging/message';
import { MessageConsumer } from '../messaging/message-consumer';
import { traceHeadersOf } from '../tracing/trace-headers-of';
import { CommandAttempts } from './command-attempts';
import { CommandPool } from './command-pool';
import type { PooledCommand } from './pooled-command';
import { leaseExpiryAction, type LeaseExpiry } from './lease-expiry';
import { OutageLog } from '../common/logging/outage-log';
import { ownGroupProblem, serviceTopicProblem } from '../auth/service-topic';
import { workerTopicRules } from '../registry/worker-topic';

/** What the hub needs of a command; the rest goes to the worker as sent. */
const commandSchema = z.looseObject({ commandId: z.uuid() });

/** A command's deadline, which bounds its first lease: one without it is leased for the whole lease time. */
const deadlineSchema = z.object({ deadline: z.iso.datetime({ offset: true }) });

/** What the lease-expiry check reads of a command: one that lacks it is simply offered again. */
const attemptSchema = z.object({
  flowId: z.uuid(), stepName: z.string(), action: z.enum(['DO', 'UNDO']), attempt: z.number().int().positive().max(MAX_INT4),
});

/** A service this instance consumes for: `up` once its subscription is, and only then can it be idle. */
interface Served {
  pool: CommandPool;
  subscription: Subscription;
  up: boolean;
}

/** A returned command's handler waits this long, so the consumer has stopped before it fails (no dead letter). */
const SHUTDOWN_RETURN_DELAY_MS = 250;

/** How often idle pools are looked for: a small part of WORKER_POLL_IDLE_MS, at most this. */
const IDLE_CHECK_MAX_MS = 10_000;

/**
 * How often, and after how long under lease, leased commands are looked up for a reply applied by
 * another instance: the lease holds the step's next command (its retry or undo) back until then.
 */
const ANSWERED_CHECK_MS = 1_000;
/** Commands looked up in one query. */
const ANSWERED_CHECK_BATCH = 500;
/** A command still in flight is looked up again after twice as long each time, up to this: a long step costs a lookup a minute. */
const ANSWERED_CHECK_MAX_MS = 60_000;

/**
 * Baton consumes a worker service's command topic on behalf of its HTTP pollers, in the service's
 * own consumer group (the same group its broker workers would use), from the first poll on. A
 * consumed command stays unacknowledged while it waits or is leased: the lease covers a poller that
 * vanished, and the broker's redelivery a Baton that crashed. A Baton that stops returns what waits
 * and acknowledges what is leased, whose worker answers another instance (CommandPool.releaseAll).
 * An instance that the service's pollers stop reaching (they went to broker transports, or a
 * balancer sends them elsewhere) stops consuming after WORKER_POLL_IDLE_MS and returns what it
 * held to the broker: it held those commands where no poller would take them, and their runs waited.
 */
@Injectable()
export class HttpWorkerHub implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(HttpWorkerHub.name);
  private readonly served = new Map<string, Served>();
  private readonly subscribing = new Map<string, Promise<void>>();
  /** Releases under way: a poll that comes meanwhile subscribes once the old consumer has stopped. */
  private readonly releasing = new Map<string, Promise<void>>();
  private closing = false;
  private idleCheck?: NodeJS.Timeout;
  private answeredCheck?: NodeJS.Timeout;
  private checkingAnswered?: Promise<void>;
  /** When each leased command is next looked up, and the wait after that (doubled each time it is still in flight). */
  private readonly nextLookup = new WeakMap<PooledCommand, { at: number; waitMs: number }>();
  private readonly outage = new OutageLog(this.logger, 'The check of leased commands answered through another instance');

  constructor(private readonly consumer: MessageConsumer, private readonly config: AppConfig, private readonly attempts: CommandAttempts) {}

  onApplicationBootstrap(): void {
    const every = Math.min(IDLE_CHECK_MAX_MS, Math.floor(this.config.WORKER_POLL_IDLE_MS / 4));
    this.idleCheck = setInterval(() => void this.releaseIdle(), every);
    this.idleCheck.unref();
    this.answeredCheck = setInterval(() => {
      this.checkingAnswered ??= this.settleAnsweredElsewhere().finally(() => { this.checkingAnswered = undefined; });
    }, ANSWERED_CHECK_MS);
    this.answeredCheck.unref();
  }

  /**
   * The service's pool, subscribing to its command topic on first use. Refused (503) once Baton is
   * stopping: a poll that waited for commands would hold the stop for its whole wait (a kept-alive
   * connection still brings polls in then), and an empty answer would bring the next poll at once.
   */
  async poolFor(service: string): Promise<CommandPool> {
    if (this.closing) throw new DependencyUnavailableError('Baton is shutting down: poll another instance, or again once it is back', undefined);
    // Served in the service's own consumer group: a name in Baton's (<CONSUMER_GROUP>.<topic>) would join Baton's own consumers.
    const groupProblem = ownGroupProblem(service, this.config.CONSUMER_GROUP, 'params.service');
    if (groupProblem) throw new AppError(ErrorCode.INVALID_REQUEST, `Service ${service} cannot poll for commands`, [groupProblem]);
    // A key or token proving such a name is refused too, but keys issued before that rule remain.
    const topicProblem = serviceTopicProblem(service, workerTopicRules(this.config), 'params.service');
    if (topicProblem) throw new AppError(ErrorCode.WORKER_TOPIC_NOT_ALLOWED, `Service ${service} cannot poll for commands`, [topicProblem]);
    let subscribed = this.subscribing.get(service);
    if (!subscribed) {
      const released = this.releasing.get(service);
      subscribed = (released ? released.then(() => this.subscribe(service)) : this.subscribe(service));
      const mine = subscribed;
      this.subscribing.set(service, mine);
      mine.catch(() => {
        if (this.subscribing.get(service) === mine) this.subscribing.delete(service);
      });
    }
    await subscribed;
    return this.served.get(service)!.pool;
  }

  /** The pool if this instance already serves the service. */
  existingPool(service: string): CommandPool | undefined {
    return this.served.get(service)?.pool;
  }

  /** The topic whose commands the service's HTTP pollers get: the only ones they may answer. */
  topicOf(service: string): string {
    return `${this.config.COMMAND_TOPIC_PREFIX}${service}`;
  }

  onModuleDestroy(): void {
    this.closing = true;
    clearInterval(this.idleCheck);
    clearInterval(this.answeredCheck);
    // An outage-class error: the consumer returns a waiting command unacknowledged without counting a
    // failed delivery, so rolling restarts never push it towards its dead letter.
    const error = new DependencyUnavailableError('Baton is shutting down: command returned to the broker', undefined);
    for (const { pool } of this.served.values()) pool.releaseAll(error);
  }

  private async subscribe(service: string): Promise<void> {
    const pool = new CommandPool(this.config.WORKER_LEASE_MS, (entry, startedAt) => this.afterLeaseExpired(entry, startedAt));
    const topic = this.topicOf(service);
    const served: Served = { pool, subscription: { topic, group: service, workersGroup: true, handler: (m) => this.hold(pool, m) }, up: false };
    this.served.set(service, served);
    await this.consumer.subscribe(served.subscription);
    pool.touch();
    served.up = true;
    this.logger.log(`Serving ${topic} to HTTP workers of ${service}`);
  }

  /** Stops serving each service none of whose pollers reached this instance for WORKER_POLL_IDLE_MS (see the class). */
  async releaseIdle(now = Date.now()): Promise<void> {
    for (const [service, { pool, subscription, up }] of this.served) {
      if (this.closing || !up || !pool.idleFor(this.config.WORKER_POLL_IDLE_MS, now)) continue;
      this.served.delete(service);
      this.subscribing.delete(service);
      const released = this.release(service, pool, subscription);
      this.releasing.set(service, released);
      await released;
      if (this.releasing.get(service) === released) this.releasing.delete(service);
    }
  }

  /** Never rejects: a poll that comes meanwhile waits for it (poolFor). */
  private async release(service: string, pool: CommandPool, subscription: Subscription): Promise<void> {
    // The consumer stops first, so the commands given back below go to the group's other consumers, not here again.
    const stopped = this.consumer.unsubscribe(subscription);
    const { ready } = pool.size;
    pool.releaseAll(new DependencyUnavailableError(`no HTTP worker of ${service} polled this instance: command returned to the broker`, undefined));
    try {
      await stopped;
      this.logger.log({ service, returned: ready }, `No HTTP worker of ${service} polled for ${this.config.WORKER_POLL_IDLE_MS} ms: `
        + `stopped serving ${subscription.topic}, returning ${ready} command(s) to the broker`);
    } catch (error) {
      this.logger.warn({ service, err: errorMessage(error) }, `Stopping to serve ${subscription.topic} failed; its commands come back when the connection does`);
    }
  }

  /**
   * Behind a balancer a worker's reply may reach another instance, which applies it; the lease
   * here would hold the command, and the step's next command (its retry or undo) with it, until it
   * expired: up to WORKER_LEASE_MS, so long that an undo could time out unsent. Commands leased for
   * a second are looked up (one query for all of them) and those answered are acknowledged; one
   * still in flight is looked up again after 2, 4, 8… s, at most a minute apart (lookUpLater).
   * Never rejects.
   */
  async settleAnsweredElsewhere(now = Date.now()): Promise<void> {
    try {
      for (const { pool } of this.served.values()) {
        const due = pool.leasedFor(ANSWERED_CHECK_MS, now).filter((e) => (this.nextLookup.get(e)?.at ?? 0) <= now);
        for (let i = 0; i < due.length; i += ANSWERED_CHECK_BATCH) {
          const batch = due.slice(i, i + ANSWERED_CHECK_BATCH);
          const answered = await this.attempts.answeredAmong(batch.map((e) => ({ flowId: e.attempt!.flowId, commandId: e.commandId })));
          for (const entry of batch) {
            if (answered.has(entry.commandId)) pool.settleCommand(entry.commandId);
            else this.lookUpLater(entry, now);
          }
        }
      }
      this.outage.succeeded();
    } catch (error) {
      this.outage.failed(error);
    }
  }

  private lookUpLater(entry: PooledCommand, now: number): void {
    const waitMs = Math.min(ANSWERED_CHECK_MAX_MS, (this.nextLookup.get(entry)?.waitMs ?? ANSWERED_CHECK_MS) * 2);
    this.nextLookup.set(entry, { at: now + waitMs, waitMs });
  }

  private async hold(pool: CommandPool, message: IncomingMessage): Promise<void> {
    // Stopping, or no longer serving the service: the handler fails once its consumer has stopped, so nothing counts it.
    if (this.closing || pool.isClosed) {
      await sleep(SHUTDOWN_RETURN_DELAY_MS);
      throw new DependencyUnavailableError(this.closing ? 'Baton is shutting down' : 'this instance no longer serves the service', undefined);
    }
    const body = parseMessage(commandSchema, message.body);
    const attempt = attemptSchema.safeParse(body);
    const deadline = deadlineSchema.safeParse(body);
    const handOver = () => pool.handOver(body.commandId, new DependencyUnavailableError('its partition went to another consumer', undefined));
    await new Promise<void>((resolve, reject) => {
      pool.offer({
        commandId: body.commandId, body, trace: traceHeadersOf(message.headers), attempt: attempt.success ? attempt.data : undefined,
        deadlineAt: deadline.success ? Date.parse(deadline.data.deadline) : undefined,
        done: (error) => (error ? reject(error) : resolve()),
      });
      if (message.handedOver?.aborted) handOver();
      else message.handedOver?.addEventListener('abort', handOver, { once: true });
    }).finally(() => message.handedOver?.removeEventListener('abort', handOver));
  }

  /**
   * Runs only when a lease expires, never per command. A failed read must neither crash nor drop
   * the command: offering it again keeps delivery at least once.
   */
  private async afterLeaseExpired(entry: PooledCommand, leaseStartedAt: Date): Promise<LeaseExpiry> {
    if (!entry.attempt) return { action: 'offer-again' };
    const { flowId, stepName, action, attempt } = entry.attempt;
    const fields = { flowId, step: stepName, action, attempt, commandId: entry.commandId };
    // Taken before the read, whose database clock reads the heartbeat's age later: a heartbeat that
    // renewed this very lease (recorded just before it restarted) then never reads younger than it.
    const leaseAgeMs = Date.now() - leaseStartedAt.getTime();
    try {
      const found = await this.attempts.attemptOfCommand({ ...entry.attempt, commandId: entry.commandId });
      const decided = leaseExpiryAction(found, leaseAgeMs);
      this.logger.debug({ ...fields, decided }, 'HTTP lease expired');
      return { action: decided, untilDeadlineMs: found?.untilDeadlineMs };
    } catch (error) {
      this.logger.warn({ ...fields, err: errorMessage(error) }, 'HTTP lease expired and its attempt could not be read: command offered again');
      return { action: 'offer-again' };
    }
  }
}
