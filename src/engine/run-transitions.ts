import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import type { HandlerSpec, StepTemplateEntity } from '../registry/entities/step-template.entity';
import { attemptWindowSeconds } from './core/attempt-window';
import type { OnDeadline } from './core/deadline-action';
import { decideTransition, Transition } from './core/decide-transition';
import { latestAttempts } from './core/latest-attempts';
import { ActionRefusal, ActionRequest, decideOperatorAction } from './core/operator-action';
import type { Dispatch, Plan } from './core/plan';
import { retryFailedUndos } from './core/retry-undos';
import { unsendableFirstCommands, unsendableRunEnd } from './core/unsendable-result';
import { encodePayload, EncodedPayload } from './core/run-payload';
import { isTerminal, RunStatus } from './core/run-status';
import type { StepCommand } from './dispatch/step-command';
import { StepDispatchers } from './dispatch/step-dispatchers';
import { AttemptRow, RunChanges, RunState } from './run-changes';
import { RunStatusListeners } from './run-status-listeners';
import { LoadedPlan, TemplatePlans } from './template-plans';
import { recordRunSpan } from '../tracing/run-span';
import { ATTR, stepAttributes } from '../tracing/span-attributes';
import { SpanKind, tracing } from '../tracing/tracing';

/** Refusals of an operator action that are about the step it named, or failed to name. */
const STEP_NAME_REFUSALS: ReadonlySet<ActionRefusal> = new Set(['STEP_NOT_FOUND', 'STEP_NAME_REQUIRED']);

/** What an event on the run status topic reports: a change of the run's status, or a deadline it missed. */
export type RunStatusEventType = 'STATUS_CHANGED' | 'DEADLINE_MISSED';

/** An operator's action as the API received it: who asked, and why. */
export interface OperatorRequest extends ActionRequest {
  /** skip: what later steps see as the skipped step's output. */
  output?: unknown;
  reason?: string;
  /** The principal's id, or `anonymous`. */
  actor: string;
  /** The request's, for the log line of the action. */
  correlationId?: string;
}

export interface OperatorOutcome {
  status: RunStatus;
  /** False when the run already was where the action would take it. */
  changed: boolean;
}

/**
 * Turns the engine's decision for a run into changes (new attempts, their commands through the
 * step handlers, a status change with its event on the status topic), collected in a RunChanges
 * that the executor then writes in one statement.
 */
@Injectable()
export class RunTransitions {
  private readonly logger = new Logger(RunTransitions.name);

  constructor(
    private readonly plans: TemplatePlans,
    private readonly dispatchers: StepDispatchers,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly listeners: RunStatusListeners,
  ) {}

  /** The engine's next move for the run (decideTransition). */
  advance(run: RunState, changes: RunChanges): Promise<RunStatus> {
    return this.carryOut(run, changes, decideTransition);
  }

  /** An operator's retry of the undos that ran out of attempts (retryFailedUndos). */
  retryFailedUndos(run: RunState, changes: RunChanges): Promise<RunStatus> {
    return this.carryOut(run, changes, retryFailedUndos);
  }

  private async carryOut(run: RunState, changes: RunChanges,
    decide: (plan: Plan, status: RunStatus, attempts: AttemptRow[], now: number) => Transition<AttemptRow>): Promise<RunStatus> {
    const loaded = await this.plans.get(run.templateId, run.templateVersion);
    const attempts = run.attempts; // as decided on; dispatching adds the new ones to run.attempts
    const decision = decide(loaded.plan, run.status, attempts, Date.now());
    if (decision.voids) changes.voidAttempts(run, decision.voids, `not sent: the run was ${decision.voidedBy} before it was due`);
    if (decision.abandons) changes.abandonAttempts(run, decision.abandons);
    for (const d of decision.owed ?? []) {
      const step = loaded.steps.get(d.stepName)!;
      changes.owe(run, { flowId: run.flowId, stepName: step.name, seq: step.seq, action: d.action, attempt: d.attempt,
        budgetStart: d.budgetStart ?? d.attempt, commandId: randomUUID(), handlerType: undoHandlerOf(step).type }, OWED_REASON);
    }
    await this.sendAll(run, changes, loaded, decision.dispatch);
    const error = decision.failedStep ? errorOf(attempts, decision.failedStep) : null;
    if (decision.status !== run.status) {
      this.changeStatus(run, changes, decision.status, decision.failedStep ?? null, error);
    } else if (decision.failedStep && !run.failedStep) {
      // A step failed on a run paused by an operator or its deadline: it stays PAUSED (no status
      // event), naming the step, whose error replaces the pause's reason.
      changes.setStatus(run, { status: run.status, failedStep: decision.failedStep, error, terminal: false, clearsFailure: true });
    }
    return decision.status;
  }

  /**
   * An operator's action (decideOperatorAction), recorded on the timeline with who asked and why,
   * then the engine's next move for the run. Throws the refusal.
   *
   * `unsendable`: the refusal of the same action's write because the undos it starts are too large
   * to send, for ever. The run ends as the healer ends such a run (unsendableRunEnd): an unwind
   * ends COMPENSATION_FAILED with the reason, its effects left for an operator, instead of the
   * request failing every time while the run stays put. Any other action's refusal stands.
   */
  async operate(run: RunState, changes: RunChanges, req: OperatorRequest, unsendable?: AppError): Promise<OperatorOutcome> {
    const loaded = await this.plans.get(run.templateId, run.templateVersion);
    const { plan, steps } = loaded;
    const verdict = decideOperatorAction(plan, run.status, run.attempts, req);
    if (verdict.kind === 'refused') {
      // A refusal of what the request's stepName says (none, or none such) names that field, as a 400 of the body would.
      const problems = STEP_NAME_REFUSALS.has(verdict.code) ? [{ path: 'body.stepName', message: verdict.reason }] : [];
      throw new AppError(ErrorCode[verdict.code], `Cannot ${req.action} run ${run.flowId}: ${verdict.reason}`, problems,
        { status: run.status, action: req.action });
    }
    if (verdict.kind === 'unchanged') return { status: run.status, changed: false };
    const refused = unsendable ? unsendableFirstCommands(verdict.status, run.attempts) : null;
    if (unsendable && verdict.status !== 'COMPENSATING' && !refused) throw unsendable;
    const end = unsendable ? unsendableRunEnd(verdict.status) : null;
    const why = req.reason ?? 'no reason given';
    changes.event(run.flowId, `OPERATOR_${req.action.toUpperCase()}`, why, verdict.stepName ?? null, req.actor);
    if (refused) {
      // As RunRevivals.refuseStart ends a start refused: the run fails, having run nothing, saying why.
      const error = `PAYLOAD_TOO_LARGE: ${req.action} requested by ${req.actor}, but the run's first commands cannot be sent: ${unsendable!.message}`;
      changes.event(run.flowId, 'START_REFUSED', error);
      this.changeStatus(run, changes, refused, null, error, true);
      return { status: run.status, changed: true };
    }
    if (verdict.retry) await this.sendAll(run, changes, loaded, [verdict.retry]);
    if (verdict.skipAttempt) {
      const step = steps.get(verdict.stepName!)!;
      changes.skip(run, { flowId: run.flowId, stepName: step.name, seq: step.seq, attempt: verdict.skipAttempt, commandId: randomUUID() },
        req.output);
    }
    if (verdict.status !== run.status) {
      const failedStep = verdict.failedStep ?? null;
      const error = req.action === 'terminate' ? `terminated by ${req.actor}: ${why}` : failedStep && errorOf(run.attempts, failedStep);
      if (end) {
        // The reason replaces the run's error (a failed step's stays named): it is why the run ended with its effects in place.
        const unsent = `${error ?? `${req.action} requested by ${req.actor}: ${why}`}; its undos cannot be sent: ${unsendable!.message}`;
        this.changeStatus(run, changes, end, failedStep ?? run.failedStep, unsent, true);
      } else {
        this.changeStatus(run, changes, verdict.status, failedStep, error, verdict.clearsFailure);
      }
    }
    // Then the engine's move: RUNNING and COMPENSATING go on; any status voids the retries it no longer sends.
    await this.advance(run, changes);
    return { status: run.status, changed: true };
  }

  /** A status change and its event on the status topic. */
  changeStatus(run: RunState, changes: RunChanges, status: RunStatus, failedStep: string | null, error: string | null,
    clearsFailure = false): void {
    const previous = run.status;
    changes.setStatus(run, { status, failedStep, error, terminal: isTerminal(status), clearsFailure });
    this.announce(run, changes, status, previous, failedStep ?? run.failedStep, error);
    changes.send(this.listeners.messagesFor(run, status, previous));
  }

  /** The run status event; `previousStatus` is null for a run just accepted. */
  announce(run: Pick<RunState, 'flowId' | 'orchName' | 'correlationId'>, changes: RunChanges, status: RunStatus, previousStatus: RunStatus | null,
    failedStep: string | null, error: string | null): void {
    this.publishStatusEvent(run, changes, { type: 'STATUS_CHANGED', status, previousStatus, failedStep, error });
    changes.announced.push({ status, previousStatus, failedStep, error });
  }

  /**
   * A deadline the run missed, on the status topic whatever `onDeadline` then does: with `alert`
   * the run's status does not change, so without this event its consumers would never hear of it.
   */
  announceDeadlineMissed(run: Pick<RunState, 'flowId' | 'orchName' | 'correlationId' | 'status' | 'failedStep'>, changes: RunChanges,
    deadlineAt: Date, onDeadline: OnDeadline): void {
    this.publishStatusEvent(run, changes, {
      type: 'DEADLINE_MISSED', status: run.status, previousStatus: run.status, failedStep: run.failedStep, error: null,
      deadlineAt: deadlineAt.toISOString(), onDeadline,
    });
  }

  private publishStatusEvent(run: Pick<RunState, 'flowId' | 'orchName' | 'correlationId'>, changes: RunChanges,
    event: { type: RunStatusEventType; status: RunStatus } & Record<string, unknown>): void {
    const { type, ...fields } = event;
    changes.send([{
      topic: this.config.TOPIC_RUN_STATUS, key: run.flowId,
      headers: { 'content-type': 'application/json', 'x-correlation-id': run.correlationId },
      body: Buffer.from(JSON.stringify({
        type, flowId: run.flowId, orchName: run.orchName, ...fields, at: new Date().toISOString(), correlationId: run.correlationId,
      })),
    }]);
  }

  /** Logs, counts and traces the status changes of a transition once it is written (not for one that lost a race). */
  written(run: Pick<RunState, 'flowId' | 'orchName' | 'correlationId' | 'startedAt' | 'traceContext'>, changes: RunChanges): void {
    for (const { status, previousStatus, failedStep, error } of changes.announced) {
      if (isTerminal(status)) {
        this.metrics.runsFinished.inc({ orch_name: run.orchName, status });
        recordRunSpan(run, status);
      }
      // The failed step's error, bounded: without it the log says a run failed, never why.
      this.logger.log({ flowId: run.flowId, orchName: run.orchName, correlationId: run.correlationId, status,
        previousStatus, failedStep, ...(error ? { error: logged(error) } : {}) }, `run ${status}`);
    }
  }

  private async sendAll(run: RunState, changes: RunChanges, { steps, ownerService }: LoadedPlan, dispatch: Dispatch[]): Promise<void> {
    if (dispatch.length === 0) return;
    const outputs = outputsOf(run.attempts);
    const payload = encodePayload(run.payload, run.contentType);
    for (const d of dispatch) await this.send(run, changes, steps.get(d.stepName)!, d, { ...payload, outputs, ownerService });
  }

  private async send(run: RunState, changes: RunChanges, step: StepTemplateEntity, d: Dispatch,
    shared: EncodedPayload & Pick<StepCommand, 'outputs' | 'ownerService'>): Promise<void> {
    const notBefore = new Date(Date.now() + d.delayMs);
    const handler = d.action === 'DO' ? step.handler : undoHandlerOf(step);
    // A built-in handler enforces its own launch and poll limits and reports failure itself; a
    // healer re-dispatch would launch a second job while the first still runs.
    const timeoutSeconds = handler.type === 'worker'
      ? attemptWindowSeconds(step.timeoutSeconds ?? this.config.STEP_TIMEOUT_SECONDS, step.heartbeatSeconds) : BUILT_IN_DEADLINE_SECONDS;
    const command: StepCommand = {
      flowId: run.flowId, orchName: run.orchName, stepName: step.name, action: d.action, attempt: d.attempt,
      commandId: randomUUID(), objectType: step.objectType, ...shared, correlationId: run.correlationId,
      handler, notBefore, timeoutSeconds, retry: step.retry,
    };
    const log = { flowId: run.flowId, step: step.name, action: d.action, attempt: d.attempt, correlationId: run.correlationId };
    // A failure to look the destination up (the database is down) fails the transition, to be
    // retried: an attempt recorded without its command would wait out its whole timeout.
    const [target, dispatchSpan] = await tracing.held(`dispatch ${d.action}`, {
      kind: SpanKind.PRODUCER, attributes: { ...stepAttributes({ ...command, action: d.action }), [ATTR.handlerType]: handler.type },
    }, async (span) => {
      const to = await this.dispatchers.get(handler.type).dispatch(changes, command);
      if (to) {
        span.setAttribute(ATTR.messagingDestination, to);
        this.logger.debug(log, `dispatched to ${to}`);
        return to;
      }
      // Nowhere to send it (no worker any more): the attempt stays visibly in flight and the
      // healer times it out, which retries it or fails the step.
      span.setAttribute(ATTR.outcome, 'undispatched');
      this.logger.warn(log, 'command could not be dispatched: no worker is registered for the step');
      return null;
    });
    changes.holdSpan(dispatchSpan);
    changes.dispatch(run, {
      flowId: run.flowId, stepName: step.name, seq: step.seq, action: d.action, attempt: d.attempt, budgetStart: d.budgetStart ?? 1,
      commandId: command.commandId, handlerType: handler.type, target,
      dispatchedAt: notBefore, deadlineAt: new Date(notBefore.getTime() + timeoutSeconds * 1000),
    });
  }
}

const BUILT_IN_DEADLINE_SECONDS = 30 * 24 * 3600;

/** Why an undo retried by an operator was not sent with the others (Transition.owed). */
const OWED_REASON = 'retry requested by an operator: sent once the undos of the steps built on it are done';

/** A worker step is undone by its worker; a built-in step by its handler, told what the DO was. */
function undoHandlerOf(step: StepTemplateEntity): HandlerSpec {
  if (step.handler.type === 'worker') return step.undo === false ? step.handler : step.undo;
  return { type: step.handler.type, do: step.handler, undo: step.undo };
}

function outputsOf(attempts: AttemptRow[]): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const a of latestAttempts(attempts).values()) {
    if (a.action === 'DO' && (a.status === 'SUCCEEDED' || a.status === 'SKIPPED')) outputs[a.stepName] = a.output ?? null;
  }
  return outputs;
}

function errorOf(attempts: AttemptRow[], stepName: string): string | null {
  const last = attempts.filter((a) => a.stepName === stepName && a.action === 'DO').sort((a, b) => b.attempt - a.attempt)[0];
  return last?.error ?? `step ${stepName} failed`;
}

/** Longest worker error copied into the log line of a run's status: a reason, not a dump of the worker's output. */
const MAX_LOGGED_ERROR = 500;

function logged(error: string): string {
  return error.length > MAX_LOGGED_ERROR ? `${error.slice(0, MAX_LOGGED_ERROR)}…` : error;
}
