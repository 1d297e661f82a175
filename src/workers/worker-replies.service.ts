import { Injectable, Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppError, type Problem } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { type ApplyOutcome, StepResultSink } from '../engine/dispatch/step-result';
import { type FinalStepReply, isFinalReply, type StepReply, toStepResult } from '../engine/messages/step-reply.schema';
import { StepHeartbeats } from '../engine/step-heartbeats.service';
import { CommandAttempts, type CommandRef } from './command-attempts';
import type { Lease, PooledCommand } from './pooled-command';
import { HttpWorkerHub } from './http-worker-hub.service';
import { commandOfLease } from './lease-id';
import { PollSlots } from './poll-slots';
import { AppConfig } from '../config/app-config';
import { HandlersConfig } from '../handlers/handlers-config';
import { attemptFields } from '../common/logging/attempt-fields';

/** A service over its poll limit tries again this soon: a poll of its own ends within its wait meanwhile. */
const POLL_RETRY_AFTER_SECONDS = 1;

export type LeaseReplyOutcome = ApplyOutcome | 'heartbeat';

type NamedReply = StepReply & { commandId: string };

/** Outcomes of a reply that answered nothing of its command: a worker's bug, not the end of the attempt. */
const UNANSWERED: ReadonlySet<ApplyOutcome> = new Set(['wrong-orch-name', 'unknown-flow']);

/** Leases released lately, remembered per instance: a heartbeat under one must not lease its command again. */
const RELEASED_REMEMBERED = 4096;

/** What HTTP workers do with their leases: poll, reply, heartbeat, drop, release. */
@Injectable()
export class WorkerReplies {
  private readonly logger = new Logger(WorkerReplies.name);
  private readonly polls: PollSlots;
  /** Commands whose reply is being applied here: a release meanwhile must not offer them again. */
  private readonly answering = new Set<string>();
  private readonly released = new LRUCache<string, true>({ max: RELEASED_REMEMBERED });

  constructor(
    private readonly hub: HttpWorkerHub, private readonly sink: StepResultSink, private readonly heartbeats: StepHeartbeats,
    private readonly attempts: CommandAttempts, config: AppConfig, private readonly handlers: HandlersConfig,
  ) {
    this.polls = new PollSlots(config.WORKER_POLLS_PER_SERVICE);
  }

  /**
   * Leases up to `max` commands, waiting up to `waitMs` for one. A poll aborted (its poller gone,
   * or its key revoked) in the instant its commands were handed over gives them back at once,
   * rather than leave them under leases no one will answer.
   */
  async poll(service: string, max: number, waitMs: number, signal: AbortSignal): Promise<Lease[]> {
    const release = this.polls.enter(service);
    if (!release) {
      throw new AppError(ErrorCode.TOO_MANY_POLLS, `${service} holds WORKER_POLLS_PER_SERVICE polls on this instance already: `
        + 'poll with a larger max rather than more polls at once', [], { retryAfterSeconds: POLL_RETRY_AFTER_SECONDS });
    }
    try {
      const pool = await this.hub.poolFor(service);
      const leases = await pool.take(max, waitMs, signal);
      if (!signal.aborted || leases.length === 0) return leases;
      pool.giveBack(leases.map((l) => l.leaseId));
      return [];
    } finally {
      release();
    }
  }

  /**
   * Applies a reply, then acknowledges its command to the broker. The lease need not be this
   * instance's: behind a load balancer a reply may reach an instance that never leased the
   * command, which applies it all the same once the command proves to be the service's (a poller
   * cannot answer another service's steps); the leasing instance learns of it when the lease expires.
   */
  async reply(service: string, leaseId: string, reply: StepReply): Promise<LeaseReplyOutcome> {
    const pool = this.hub.existingPool(service);
    const entry = pool?.get(leaseId);
    if (reply.commandId === undefined) {
      throw new AppError(ErrorCode.INVALID_REQUEST, 'A reply over HTTP names the command it answers', [
        { path: 'body.commandId', message: entry ? `must be the leased command's, ${entry.commandId}` : 'required' },
      ]);
    }
    const named: NamedReply = { ...reply, commandId: reply.commandId };
    // Under an expired or unknown lease id, the command as held here all the same: a reply that names
    // it with another step or attempt would otherwise be acknowledged as answered.
    const held = entry ?? pool?.heldCommand(named.commandId);
    const mismatches = held ? leasedMismatches(held, named) : [];
    if (mismatches.length) throw new AppError(ErrorCode.INVALID_REQUEST, 'The reply is not for the leased command', mismatches);
    if (isFinalReply(named)) return this.settle(service, named, entry !== undefined);
    if (!entry && this.released.has(leaseId)) {
      // Its worker released the command (a stale heartbeat timer): re-leased, it would hide from the pollers for a whole lease.
      throw new AppError(ErrorCode.NOT_FOUND, `Lease ${leaseId} was released: its command went back to the pollers`);
    }
    return this.heartbeat(service, named, entry ? leaseId : undefined);
  }

  /**
   * Acknowledges the leased command without a reply (the worker found it expired, or not a command),
   * once the database's clock agrees that its attempt is past its deadline: a worker whose clock runs
   * ahead would otherwise drop fresh commands, each then waiting out its timeout unrun. Until then the
   * command stays under its lease, which acknowledges it once past its deadline or offers it again.
   * Elsewhere than on the instance holding the lease, the command its id names is checked as a
   * reply's is and left be likewise.
   */
  async drop(service: string, leaseId: string): Promise<void> {
    const pool = this.hub.existingPool(service);
    const entry = pool?.get(leaseId);
    if (entry) {
      if (await this.stillDue(entry)) {
        const { flowId, stepName, action, attempt } = entry.attempt!;
        this.logger.warn({ flowId, step: stepName, action, attempt, commandId: entry.commandId, service },
          'HTTP drop of a command not past its deadline by the database\'s clock (a worker clock ahead, or a command the worker could not read): left under its lease');
      } else {
        pool!.settle(leaseId);
      }
      return;
    }
    const command = commandOfLease(leaseId);
    if (!command) throw new AppError(ErrorCode.NOT_FOUND, `Lease ${leaseId} is unknown or expired`);
    await this.refuseOthers(service, command, 'drop');
  }

  /**
   * Hands a leased command back unanswered (a worker whose start failed after its first poll leased
   * it), for the next poller at once rather than once its lease ran out. Only the instance holding
   * the lease can: elsewhere the command its id names is checked as a drop's is and left to its
   * lease. A second release of the same lease finds it gone, and so ends up there too.
   */
  async release(service: string, leaseId: string): Promise<void> {
    const pool = this.hub.existingPool(service);
    const entry = pool?.get(leaseId);
    if (entry) {
      const due = await this.stillDue(entry);
      // A reply of the command being applied meanwhile (the worker released what it had answered)
      // leaves it leased: offered again, a second worker would run it too.
      if (this.answering.has(entry.commandId) || pool!.get(leaseId) !== entry) return;
      const correlationId = (entry.body as { correlationId?: unknown } | null)?.correlationId;
      const fields = { ...(entry.attempt && attemptFields(entry.attempt)), commandId: entry.commandId, correlationId, service };
      if (!due) {
        // Its attempt is over (answered elsewhere, timed out): acknowledged, as its lease's expiry would.
        pool!.settle(leaseId);
        this.logger.log(fields, 'HTTP lease released after its attempt ended: its command is acknowledged, not offered again');
        return;
      }
      pool!.giveBack([leaseId]);
      this.released.set(leaseId, true);
      this.logger.log(fields, 'HTTP lease released unanswered: its command goes to the next poller');
      return;
    }
    const command = commandOfLease(leaseId);
    if (!command) throw new AppError(ErrorCode.NOT_FOUND, `Lease ${leaseId} is unknown or expired`);
    await this.refuseOthers(service, command, 'release');
  }

  private async settle(service: string, reply: NamedReply & FinalStepReply, leased: boolean): Promise<ApplyOutcome> {
    const pool = this.hub.existingPool(service);
    // The service's own pool holding the command proves it the service's; anything else asks the database.
    if (!leased && !pool?.holds(reply.commandId)) await this.refuseOthers(service, reply, 'reply');
    this.answering.add(reply.commandId);
    let outcome: ApplyOutcome;
    try {
      outcome = await this.sink.apply(toStepResult(reply, this.handlers.secrets()));
    } finally {
      this.answering.delete(reply.commandId);
    }
    // By command, not by lease: while the reply was applied the lease may have expired and the command
    // been leased again. Not for a reply that names another template or run: the command is still unanswered.
    if (!UNANSWERED.has(outcome)) pool?.settleCommand(reply.commandId);
    this.logger.debug({ ...attemptFields(reply), outcome }, 'HTTP reply');
    return outcome;
  }

  /**
   * A heartbeat renews the lease at once when this instance holds the command (whatever the
   * database does meanwhile: an outage must not hand a command in progress to another poller), is
   * recorded for every instance, and once recorded restarts the lease again, so that its expiry
   * check finds this heartbeat no younger than the lease (only one recorded through another instance
   * since counts). `not-in-flight`: its attempt ended (answered, timed out), so the command is
   * acknowledged here and its worker may stop.
   */
  private async heartbeat(service: string, reply: NamedReply, leaseId: string | undefined): Promise<LeaseReplyOutcome> {
    const pool = this.hub.existingPool(service);
    const lease = leaseId ?? pool?.currentLease(reply.commandId);
    if (pool && lease) pool.renew(lease);
    else await this.refuseOthers(service, reply, 'reply');
    const untilDeadlineMs = await this.heartbeats.record(reply);
    if (untilDeadlineMs === null) pool?.settleCommand(reply.commandId);
    // Renewed again up to the deadline the heartbeat gave (the lease may have run out while it was
    // written: then the command's current lease).
    else if (pool && lease && !pool.renew(lease, untilDeadlineMs)) {
      const current = pool.currentLease(reply.commandId);
      if (current) pool.renew(current, untilDeadlineMs);
    }
    return untilDeadlineMs === null ? 'not-in-flight' : 'heartbeat';
  }

  /** Whether an attempt still awaits the command before its deadline; one no attempt names (not a command) is not due. */
  private async stillDue(entry: PooledCommand): Promise<boolean> {
    if (!entry.attempt) return false;
    const found = await this.attempts.attemptOfCommand({ ...entry.attempt, commandId: entry.commandId });
    return found?.inFlight === true && !found.pastDeadline;
  }

  /**
   * Another service's command is not found, exactly as one that does not exist: a 403 told the
   * caller that the command it guessed or copied exists. The log says what happened.
   */
  private async refuseOthers(service: string, ref: CommandRef, what: 'reply' | 'drop' | 'release'): Promise<void> {
    const attempt = await this.attempts.attemptOfCommand(ref);
    if (attempt?.target === this.hub.topicOf(service)) return;
    if (attempt) {
      this.logger.warn({ flowId: ref.flowId, step: ref.stepName, action: ref.action, attempt: ref.attempt, commandId: ref.commandId, service },
        `HTTP ${what} refused: the command is not the service's`);
    }
    const step = ref.stepName === undefined ? '' : ` of step ${ref.stepName} (${ref.action})`;
    throw new AppError(ErrorCode.NOT_FOUND, `No command ${ref.commandId}${step} of run ${ref.flowId}`);
  }
}

/**
 * How a reply differs from the command it is posted under. Applied as it came, a reply naming
 * another step or template was answered 200 `not-in-flight` and settled the lease, while the
 * leased attempt waited out its timeout: a worker's bug shown as success.
 */
function leasedMismatches(entry: PooledCommand, reply: NamedReply): Problem[] {
  const leased: Record<string, unknown> = { commandId: entry.commandId, ...entry.attempt, orchName: (entry.body as { orchName?: unknown } | null)?.orchName };
  if (reply.attempt === undefined) delete leased.attempt;
  return Object.entries(leased)
    .filter(([field, value]) => value !== undefined && reply[field as keyof NamedReply] !== value)
    .map(([field, value]) => ({ path: `body.${field}`, message: `must be the leased command's, ${String(value)}` }));
}
