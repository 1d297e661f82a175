import { Injectable, Logger } from '@nestjs/common';
import { deadlineVerdict, OnDeadline, parkedStart } from '../engine/core/deadline-action';
import { findInFlight } from '../engine/core/in-flight';
import type { RunStatus } from '../engine/core/run-status';
import { unsendableRunEnd, unsendableSuccessUnwinds } from '../engine/core/unsendable-result';
import { Metrics } from '../metrics/metrics';
import { RunExecutor, Transition } from '../engine/run-executor.service';
import { RunTransitions } from '../engine/run-transitions';
import { escalateUnsendable } from '../engine/unsendable-escalation';
import { TemplateRepository } from '../registry/template.repository';
import { ATTR, stepAttributes } from '../tracing/span-attributes';
import { tracing } from '../tracing/tracing';
import { expiryReason, parkedRunVerdict, unsendableRevivalError, unsendableStartError, unsendableTimeoutError } from './policies';
import { DEADLINE_EXCEEDED, ParkedRun, StuckWorkRepository } from './stuck-work.repository';
import { attemptFields } from '../common/logging/attempt-fields';

export interface TimedOutAttempt {
  flowId: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  attempt: number;
  reason: string;
}

/**
 * The healer's actions on one run, each one transition of the executor (read, decide, write
 * guarded by the version read), so a healer racing a reply or another instance's healer never
 * applies anything twice: the loser reads the run again and finds nothing left to do. Each
 * action records on the run's timeline why it acted, and returns whether it changed anything.
 */
@Injectable()
export class RunRevivals {
  private readonly logger = new Logger(RunRevivals.name);

  constructor(
    private readonly executor: RunExecutor,
    private readonly transitions: RunTransitions,
    private readonly templates: TemplateRepository,
    private readonly stuck: StuckWorkRepository,
    private readonly metrics: Metrics,
  ) {}

  /**
   * Ends an attempt that missed its deadline; the decision then retries it or fails the step.
   * What the decision sends carries every earlier output: over MESSAGE_MAX_BYTES its write is
   * refused, and would be on every tick for ever. Then the step fails for good instead, and if
   * what that calls for (its undos) is refused too, the run ends with its effects in place
   * (unsendableRunEnd).
   */
  async timeOut(a: TimedOutAttempt): Promise<boolean> {
    await this.deadlineFirst(a.flowId);
    return escalateUnsendable(() => this.endAttempt(a), (refusal) => {
      const error = unsendableTimeoutError(a.reason, refusal.message);
      this.logger.warn(attemptFields(a), error);
      return [() => this.endAttempt(a, { error, endRun: false }), () => this.endAttempt(a, { error, endRun: true })];
    });
  }

  /** Ends the attempt TIMED_OUT, or FAILED_FINAL when what follows is `unsendable` (and the run too, with endRun), then decides the run. */
  private endAttempt(a: TimedOutAttempt, unsendable?: { error: string; endRun: boolean }): Promise<boolean> {
    const step = { step: a.stepName, action: a.action, attempt: a.attempt, reason: unsendable?.error ?? a.reason };
    return this.heal('time-out', a.flowId, async (run, changes) => {
      const attempt = findInFlight(run.attempts, a);
      if (!attempt || !(await this.stuck.stillOverdue(a))) return false;
      const error = unsendable?.error ?? a.reason;
      changes.complete(run, attempt, { status: unsendable ? 'FAILED_FINAL' : 'TIMED_OUT', output: undefined, error });
      changes.event(a.flowId, 'STEP_TIMED_OUT', error, a.stepName);
      const end = unsendable?.endRun ? unsendableRunEnd(run.status) : null;
      if (end) this.transitions.changeStatus(run, changes, end, a.stepName, error);
      // An ended run sends nothing: its decision only voids the retries still waiting to go out.
      await this.transitions.advance(run, changes);
      return true;
    }, step);
  }

  /**
   * Starts a parked run whose template became READY, or ends it past its expiry. Nothing checks a
   * run's first commands while it is parked (its template's steps are not known yet): if they are
   * over MESSAGE_MAX_BYTES the start is refused, and would be on every tick for ever, the run
   * saying it starts on the next one. It fails instead, having run nothing, saying why.
   */
  settleParked(parked: ParkedRun): Promise<boolean> {
    return escalateUnsendable(() => this.startOrExpire(parked), (refusal) => [() => this.refuseStart(parked.flowId, refusal.message)]);
  }

  private async refuseStart(flowId: string, refusal: string): Promise<boolean> {
    let failed: { error: string; correlationId: string } | undefined;
    const changed = await this.heal('start-parked', flowId, async (run, changes) => {
      if (run.status !== 'WAITING_FOR_WORKERS') return false;
      failed = { error: unsendableStartError(run.orchName, refusal), correlationId: run.correlationId };
      changes.event(flowId, 'START_REFUSED', failed.error);
      this.transitions.changeStatus(run, changes, 'FAILED', null, failed.error);
      return true;
    });
    if (changed && failed) this.logger.warn({ flowId, correlationId: failed.correlationId }, failed.error);
    return changed;
  }

  private async startOrExpire(parked: ParkedRun): Promise<boolean> {
    const { flowId, expiresAt, deadlineAt, onDeadline } = parked;
    let handles: { correlationId: string } | undefined;
    let compensates = false;
    const changed = await this.heal('start-parked', flowId, async (run, changes) => {
      handles = undefined;
      compensates = false;
      if (run.status !== 'WAITING_FOR_WORKERS') return false;
      const template = await this.templates.findByName(run.orchName);
      const verdict = parkedRunVerdict(parked, template?.status ?? 'PENDING');
      if (verdict === 'wait') return false;
      if (verdict === 'expire') {
        const reason = expiryReason(expiresAt, template?.missingSteps ?? []);
        changes.event(flowId, 'EXPIRED', reason);
        this.transitions.changeStatus(run, changes, 'EXPIRED', null, reason);
        return true;
      }
      changes.templateVersion = run.templateVersion = template!.currentVersion;
      // Read after the run: a deadline pass written since makes this write fail on the version, and the next read sees it.
      const handled = onDeadline === 'pause' && deadlineAt !== null && (await this.stuck.deadlineHandled(flowId));
      const start = parkedStart({ onDeadline, passed: parked.deadlinePassed, handled });
      if (!start) {
        compensates = true;
        return false;
      }
      // Only reported while the run waited (nothing ran), or not yet: its deadline's pause applies now, before it sends anything.
      const pause = start.status === 'PAUSED' ? deadlineReason(deadlineAt!, 'pause') : null;
      if (start.handlesDeadline) {
        changes.event(flowId, DEADLINE_EXCEEDED, pause!);
        this.transitions.announceDeadlineMissed(run, changes, deadlineAt!, 'pause');
        handles = { correlationId: run.correlationId };
      }
      changes.event(flowId, 'STARTED_AFTER_WAIT', `template ${run.orchName} became READY${pause ? `; ${pause}` : ''}`);
      this.transitions.changeStatus(run, changes, start.status, null, pause);
      await this.transitions.advance(run, changes);
      return true;
    });
    if (changed && handles) this.deadlineApplied(flowId, handles.correlationId, 'pause', 'PAUSED');
    // Not started: its deadline, passed while it waited, compensates it now (nothing ran, so it fails).
    if (compensates) return this.passDeadline(flowId, deadlineAt!, 'compensate');
    return changed;
  }

  /**
   * Re-runs the decision for an active run with nothing in flight (a crash lost its next step).
   * What it sends may be refused as too large (MESSAGE_MAX_BYTES lowered since it was decided):
   * then the run unwinds, and if its undos are refused too it ends (unsendableRunEnd), as a
   * timed-out step's run does, rather than be revived and refused on every tick.
   */
  async revive(flowId: string, reason: string): Promise<boolean> {
    // A deadline that compensates or pauses the run moves it on itself: the revival then finds nothing left to do.
    const deadline = await this.deadlineFirst(flowId);
    const revived = await escalateUnsendable(() => this.reviveAs(flowId, reason), (refusal) => {
      const error = unsendableRevivalError(reason, refusal.message);
      this.logger.warn({ flowId }, error);
      return [() => this.reviveAs(flowId, reason, { error, endRun: false }), () => this.reviveAs(flowId, reason, { error, endRun: true })];
    });
    return deadline || revived;
  }

  private reviveAs(flowId: string, reason: string, unsendable?: { error: string; endRun: boolean }): Promise<boolean> {
    return this.heal('revive', flowId, async (run, changes) => {
      if (!['RUNNING', 'COMPENSATING', 'UNDOING'].includes(run.status)) return false;
      // The run was listed stalled before this read: another instance may have moved it on since
      // (an attempt in flight), or its decision may move nothing. Then it was not revived.
      if (run.attempts.some((a) => a.status === 'DISPATCHED')) return false;
      const to = unsendable && (unsendable.endRun ? unsendableRunEnd(run.status) : unsendableSuccessUnwinds(run.status));
      if (unsendable && to) this.transitions.changeStatus(run, changes, to, null, unsendable.error);
      await this.transitions.advance(run, changes);
      if (changes.isEmpty) return false;
      changes.event(flowId, 'REVIVED', unsendable?.error ?? reason);
      return true;
    }, { reason: unsendable?.error ?? reason });
  }

  /**
   * Applies a run's onDeadline once it is past its deadline (deadlineVerdict): compensate, pause,
   * or only report it. Recorded on the timeline, which is also what makes it happen once: a racing
   * healer's write fails on the version, and its fresh read then finds the event.
   */
  async passDeadline(flowId: string, deadlineAt: Date, onDeadline: OnDeadline): Promise<boolean> {
    let applied: { status: RunStatus; correlationId: string } | undefined;
    const reason = deadlineReason(deadlineAt, onDeadline);
    // A compensating run's undos carry earlier outputs: refused as too large, the run ends instead (unsendableRunEnd).
    const pass = (unsendable?: string) => this.heal('deadline', flowId, async (run, changes) => {
      const status = deadlineVerdict(run.status, onDeadline);
      if (!status || (await this.stuck.deadlineHandled(flowId))) return false;
      changes.event(flowId, DEADLINE_EXCEEDED, unsendable ?? reason);
      this.transitions.announceDeadlineMissed(run, changes, deadlineAt, onDeadline);
      const end = unsendable ? unsendableRunEnd(status) : null;
      const to = end ?? status;
      const changed = to !== run.status;
      if (changed) this.transitions.changeStatus(run, changes, to, null, end ? unsendable! : reason);
      // A paused or compensating run voids the retries it no longer sends; a compensating one unwinds.
      if (changed || to === 'COMPENSATING') await this.transitions.advance(run, changes);
      applied = { status: to, correlationId: run.correlationId };
      return true;
    });
    const changed = await escalateUnsendable(() => pass(), (refusal) => [() => pass(unsendableRevivalError(reason, refusal.message))]);
    if (changed && applied) this.deadlineApplied(flowId, applied.correlationId, onDeadline, applied.status);
    return changed;
  }

  /**
   * Applies the run's deadline if it has passed (by the database's clock, read now) and is not
   * handled yet, before a timeout or a revival decides what the run sends: that decision would
   * send a retry or the next step, for the deadline's pass (compensate, pause) to undo or hold it
   * at once. The healer's pass applies deadlines first too; this covers one that passes meanwhile.
   */
  private async deadlineFirst(flowId: string): Promise<boolean> {
    const pending = await this.stuck.pendingDeadline(flowId);
    return pending ? this.passDeadline(flowId, pending.deadlineAt, pending.onDeadline) : false;
  }

  /** Counted and logged once written: a decision that lost its race to another healer is not. */
  private deadlineApplied(flowId: string, correlationId: string, onDeadline: OnDeadline, status: RunStatus): void {
    this.metrics.deadlinesExceeded.inc({ on_deadline: onDeadline });
    this.logger.warn({ flowId, correlationId, onDeadline, status }, 'run passed its deadline');
  }

  /**
   * Each decision in a span `healer <kind>` of the run's own trace, so what the healer sends continues it.
   * Logged once written, with what it acted on (`fields`: the step, the reason) and the run's correlation id.
   */
  private async heal(kind: string, flowId: string, act: Transition<boolean>, fields: Record<string, unknown> = {}): Promise<boolean> {
    let correlationId: string | undefined;
    const changed = (await this.executor.transition(flowId, (run, changes) => tracing.span(`healer ${kind}`, {
      parent: run.traceContext ? tracing.extract(run.traceContext) : undefined, attributes: stepAttributes(run),
    }, async (span) => {
      correlationId = run.correlationId;
      const acted = await act(run, changes);
      span.setAttribute(ATTR.outcome, acted ? 'healed' : 'nothing to do');
      return acted;
    }))) ?? false;
    if (changed) this.logger.log({ flowId, correlationId, healed: kind, ...fields }, `run healed: ${kind}`);
    return changed;
  }
}

/** The run's error, and its DEADLINE_EXCEEDED event's reason, once a deadline passed. */
function deadlineReason(deadlineAt: Date, onDeadline: OnDeadline): string {
  return `deadline ${deadlineAt.toISOString()} passed: ${onDeadline}`;
}
