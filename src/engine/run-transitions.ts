import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import type { HandlerSpec, StepTemplateEntity } from '../registry/entities/step-template.entity';
import { decideTransition, Transition } from './core/decide-transition';
import { latestAttempts } from './core/latest-attempts';
import type { Attempt, Dispatch, Plan } from './core/plan';
import { retryFailedUndos } from './core/retry-undos';
import { encodePayload, EncodedPayload } from './core/run-payload';
import { isTerminal, RunStatus } from './core/run-status';
import type { StepCommand } from './dispatch/step-command';
import { StepDispatchers } from './dispatch/step-dispatchers';
import { AttemptRow, RunChanges, RunState } from './run-changes';
import { TemplatePlans } from './template-plans';

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
    decide: (plan: Plan, status: RunStatus, attempts: Attempt[]) => Transition): Promise<RunStatus> {
    const { plan, steps } = await this.plans.get(run.templateId, run.templateVersion);
    const attempts = run.attempts; // as decided on; dispatching adds the new ones to run.attempts
    const decision = decide(plan, run.status, attempts);
    if (decision.dispatch.length > 0) {
      const outputs = outputsOf(attempts);
      const payload = encodePayload(run.payload, run.contentType);
      for (const d of decision.dispatch) await this.send(run, changes, steps.get(d.stepName)!, d, payload, outputs);
    }
    if (decision.status !== run.status) {
      const error = decision.failedStep ? errorOf(attempts, decision.failedStep) : null;
      this.changeStatus(run, changes, decision.status, decision.failedStep ?? null, error);
    }
    return decision.status;
  }

  /** A status change and its event on the status topic. */
  changeStatus(run: RunState, changes: RunChanges, status: RunStatus, failedStep: string | null, error: string | null): void {
    const previous = run.status;
    changes.setStatus(run, { status, failedStep, error, terminal: isTerminal(status) });
    this.announce(run, changes, status, previous, failedStep ?? run.failedStep, error);
  }

  /** The run status event; `previousStatus` is null for a run just accepted. */
  announce(run: Pick<RunState, 'flowId' | 'orchName' | 'correlationId'>, changes: RunChanges, status: RunStatus, previousStatus: RunStatus | null,
    failedStep: string | null, error: string | null): void {
    changes.send([{
      topic: this.config.TOPIC_RUN_STATUS, key: run.flowId,
      headers: { 'content-type': 'application/json', 'x-correlation-id': run.correlationId },
      body: Buffer.from(JSON.stringify({
        flowId: run.flowId, orchName: run.orchName, status, previousStatus, failedStep, error,
        at: new Date().toISOString(), correlationId: run.correlationId,
      })),
    }]);
    changes.announced.push({ status, previousStatus, failedStep });
  }

  /** Logs and counts the status changes of a transition once it is written (not for one that lost a race). */
  written(run: Pick<RunState, 'flowId' | 'orchName' | 'correlationId'>, changes: RunChanges): void {
    for (const { status, previousStatus, failedStep } of changes.announced) {
      if (isTerminal(status)) this.metrics.runsFinished.inc({ status });
      this.logger.log({ flowId: run.flowId, orchName: run.orchName, correlationId: run.correlationId, status,
        previousStatus, failedStep }, `run ${status}`);
    }
  }

  private async send(run: RunState, changes: RunChanges, step: StepTemplateEntity, d: Dispatch,
    payload: EncodedPayload, outputs: Record<string, unknown>): Promise<void> {
    const notBefore = new Date(Date.now() + d.delayMs);
    const handler = d.action === 'DO' ? step.handler : undoHandlerOf(step);
    // A built-in handler enforces its own launch and poll limits and reports failure itself; a
    // healer re-dispatch would launch a second job while the first still runs.
    const timeoutSeconds = handler.type === 'worker' ? step.timeoutSeconds ?? this.config.STEP_TIMEOUT_SECONDS : BUILT_IN_DEADLINE_SECONDS;
    const command: StepCommand = {
      flowId: run.flowId, orchName: run.orchName, stepName: step.name, action: d.action, attempt: d.attempt,
      commandId: randomUUID(), objectType: step.objectType, ...payload, outputs, correlationId: run.correlationId,
      handler, notBefore, timeoutSeconds, retry: step.retry,
    };
    const log = { flowId: run.flowId, step: step.name, action: d.action, attempt: d.attempt, correlationId: run.correlationId };
    let target: string | null = null;
    try {
      target = await this.dispatchers.get(handler.type).dispatch(changes, command);
      this.logger.debug(log, `dispatched to ${target}`);
    } catch (e) {
      // Nowhere to send it (no worker any more): the attempt stays visibly in flight and the
      // healer times it out, which retries it or fails the step.
      this.logger.warn({ ...log, err: (e as Error).message }, 'command could not be dispatched');
    }
    changes.dispatch(run, {
      flowId: run.flowId, stepName: step.name, seq: step.seq, action: d.action, attempt: d.attempt,
      commandId: command.commandId, handlerType: handler.type, target,
      dispatchedAt: notBefore, deadlineAt: new Date(notBefore.getTime() + timeoutSeconds * 1000),
    });
  }
}

const BUILT_IN_DEADLINE_SECONDS = 30 * 24 * 3600;

/** A worker step is undone by its worker; a built-in step by its handler, told what the DO was. */
function undoHandlerOf(step: StepTemplateEntity): HandlerSpec {
  if (step.handler.type === 'worker') return step.undo === false ? step.handler : step.undo;
  return { type: step.handler.type, do: step.handler, undo: step.undo };
}

function outputsOf(attempts: AttemptRow[]): Record<string, unknown> {
  const outputs: Record<string, unknown> = {};
  for (const a of latestAttempts(attempts).values()) {
    if (a.action === 'DO' && a.status === 'SUCCEEDED') outputs[a.stepName] = a.output ?? null;
  }
  return outputs;
}

function errorOf(attempts: AttemptRow[], stepName: string): string | null {
  const last = attempts.filter((a) => a.stepName === stepName && a.action === 'DO').sort((a, b) => b.attempt - a.attempt)[0];
  return last?.error ?? `step ${stepName} failed`;
}
