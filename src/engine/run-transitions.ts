import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import type { HandlerSpec, StepTemplateEntity } from '../registry/entities/step-template.entity';
import { decideTransition } from './core/decide-transition';
import { latestAttempts } from './core/latest-attempts';
import type { Dispatch } from './core/plan';
import { encodePayload, EncodedPayload } from './core/run-payload';
import { isTerminal, RunStatus } from './core/run-status';
import type { StepCommand } from './dispatch/step-command';
import { StepDispatchers } from './dispatch/step-dispatchers';
import { TransactionOutbox } from './dispatch/transaction-outbox';
import { AttemptRow, LockedRun, NewAttempt, RunRepository } from './run.repository';
import { TemplatePlans } from './template-plans';

/**
 * Applies the engine's decision to a locked run inside the caller's transaction: writes the new
 * attempts, sends their commands through the step handlers, and records a status change together
 * with its event on the status topic.
 */
@Injectable()
export class RunTransitions {
  private readonly logger = new Logger(RunTransitions.name);

  constructor(
    private readonly runs: RunRepository,
    private readonly plans: TemplatePlans,
    private readonly dispatchers: StepDispatchers,
    private readonly outbox: TransactionOutbox,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {}

  async advance(m: EntityManager, run: LockedRun, attempts: AttemptRow[]): Promise<RunStatus> {
    const { plan, steps } = await this.plans.get(run.templateId, run.templateVersion, m);
    const decision = decideTransition(plan, run.status, attempts);
    if (decision.dispatch.length > 0) {
      const outputs = outputsOf(attempts);
      const payload = encodePayload(run.payload, run.contentType);
      const rows: NewAttempt[] = [];
      for (const d of decision.dispatch) rows.push(await this.send(m, run, steps.get(d.stepName)!, d, payload, outputs));
      await this.runs.insertAttempts(m, rows);
    }
    if (decision.status !== run.status) {
      const error = decision.failedStep ? errorOf(attempts, decision.failedStep) : null;
      await this.changeStatus(m, run, decision.status, decision.failedStep ?? null, error);
    }
    return decision.status;
  }

  /** Records a status change and publishes it on the status topic, in the same transaction. */
  async changeStatus(m: EntityManager, run: LockedRun, status: RunStatus, failedStep: string | null, error: string | null): Promise<void> {
    await this.runs.setStatus(m, run.flowId, status, failedStep, error, isTerminal(status));
    await this.announce(m, run, status, run.status, failedStep ?? run.failedStep, error);
    run.status = status;
  }

  /** The run status event; `previousStatus` is null for a run just accepted. */
  async announce(m: EntityManager, run: LockedRun, status: RunStatus, previousStatus: RunStatus | null,
    failedStep: string | null, error: string | null): Promise<void> {
    this.outbox.add(m, [{
      topic: this.config.TOPIC_RUN_STATUS, key: run.flowId,
      headers: { 'content-type': 'application/json', 'x-correlation-id': run.correlationId },
      body: Buffer.from(JSON.stringify({
        flowId: run.flowId, orchName: run.orchName, status, previousStatus, failedStep, error,
        at: new Date().toISOString(), correlationId: run.correlationId,
      })),
    }]);
    if (isTerminal(status)) this.metrics.runsFinished.inc({ status });
    this.logger.log({ flowId: run.flowId, orchName: run.orchName, correlationId: run.correlationId, status,
      previousStatus, failedStep }, `run ${status}`);
  }

  private async send(m: EntityManager, run: LockedRun, step: StepTemplateEntity, d: Dispatch,
    payload: EncodedPayload, outputs: Record<string, unknown>): Promise<NewAttempt> {
    const notBefore = new Date(Date.now() + d.delayMs);
    const handler = d.action === 'DO' ? step.handler : undoHandlerOf(step);
    // A built-in handler enforces its own launch and poll limits and reports failure itself; a
    // healer re-dispatch would launch a second job while the first still runs.
    const timeoutSeconds = handler.type === 'worker' ? step.timeoutSeconds ?? this.config.STEP_TIMEOUT_SECONDS : BUILT_IN_DEADLINE_SECONDS;
    const command: StepCommand = {
      flowId: run.flowId, orchName: run.orchName, stepName: step.name, action: d.action, attempt: d.attempt,
      commandId: randomUUID(), objectType: step.objectType, ...payload, outputs, correlationId: run.correlationId,
      handler, notBefore, timeoutSeconds,
    };
    const log = { flowId: run.flowId, step: step.name, action: d.action, attempt: d.attempt, correlationId: run.correlationId };
    let target: string | null = null;
    try {
      target = await this.dispatchers.get(handler.type).dispatch(m, command);
      this.logger.debug(log, `dispatched to ${target}`);
    } catch (e) {
      // Nowhere to send it (no worker any more): the attempt stays visibly in flight and the
      // healer times it out, which retries it or fails the step.
      this.logger.warn({ ...log, err: (e as Error).message }, 'command could not be dispatched');
    }
    return {
      flowId: run.flowId, stepName: step.name, seq: step.seq, action: d.action, attempt: d.attempt,
      commandId: command.commandId, handlerType: handler.type, target,
      dispatchedAt: notBefore, deadlineAt: new Date(notBefore.getTime() + timeoutSeconds * 1000),
    };
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
