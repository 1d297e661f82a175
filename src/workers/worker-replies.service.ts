import { Injectable, Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { ApplyOutcome } from '../engine/dispatch/step-result';
import { isFinalReply, type StepReply, toStepResult } from '../engine/messages/step-reply.schema';
import { RunExecutor } from '../engine/run-executor.service';
import { StepHeartbeats } from '../engine/step-heartbeats.service';
import type { Lease } from './command-pool';
import { HttpWorkerHub } from './http-worker-hub.service';

export type LeaseReplyOutcome = ApplyOutcome | 'heartbeat';

/** What HTTP workers do with their leases: poll, reply, heartbeat, drop. */
@Injectable()
export class WorkerReplies {
  private readonly logger = new Logger(WorkerReplies.name);

  constructor(private readonly hub: HttpWorkerHub, private readonly executor: RunExecutor, private readonly heartbeats: StepHeartbeats) {}

  async poll(service: string, max: number, waitMs: number, signal: AbortSignal): Promise<Lease[]> {
    const pool = await this.hub.poolFor(service);
    return pool.take(max, waitMs, signal);
  }

  /**
   * Applies a reply to the leased command, then acknowledges the command to the broker. A reply
   * must be for the leased command: a poller cannot answer another service's steps.
   */
  async reply(service: string, leaseId: string, reply: StepReply): Promise<LeaseReplyOutcome> {
    const pool = this.hub.existingPool(service);
    const entry = pool?.get(leaseId);
    if (entry && reply.commandId !== entry.commandId) {
      throw new AppError(ErrorCode.INVALID_REQUEST, 'The reply is not for the leased command (commandId differs)');
    }
    // An expired lease: the command may wait or be leased again, and this reply still settles it.
    const lease = entry ? leaseId : reply.commandId && pool?.currentLease(reply.commandId);
    if (!pool || !lease) throw new AppError(ErrorCode.NOT_FOUND, `Lease ${leaseId} is unknown or expired`);
    if (!isFinalReply(reply)) {
      pool.renew(lease);
      await this.heartbeats.record(reply);
      return 'heartbeat';
    }
    const outcome = await this.executor.apply(toStepResult(reply));
    pool.settle(lease);
    this.logger.debug({ flowId: reply.flowId, step: reply.stepName, action: reply.action, attempt: reply.attempt, outcome }, 'HTTP reply');
    return outcome;
  }

  /** Acknowledges the leased command without a reply (the worker found it expired). */
  drop(service: string, leaseId: string): void {
    if (!this.hub.existingPool(service)?.settle(leaseId)) {
      throw new AppError(ErrorCode.NOT_FOUND, `Lease ${leaseId} is unknown or expired`);
    }
  }
}
