import { KeyLanes } from '@baton/worker/internal';
import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { InboxMessageEntity } from '../messaging/outbox/inbox-message.entity';
import { OutboxRelay } from '../messaging/outbox/outbox-relay.service';
import { attemptStatusOf } from './core/attempt-status';
import { matchReply } from './core/match-reply';
import { payloadProblems } from './core/run-payload';
import { decideUndo, undoRefusal } from './core/undo-request';
import { CurrentTemplates } from './current-templates';
import { acceptsResults } from './core/run-status';
import { ApplyOutcome, InboxKey, StepResult, StepResultSink } from './dispatch/step-result';
import { RunChanges, RunState } from './run-changes';
import { HTTP_START_FIELDS, StartedRun, StartFields, StartRequest } from './start-request';
import { RunRepository, WriteResult } from './run.repository';
import { lostVoids } from './lost-voids';
import { payloadFingerprint, replayRefusal } from './idempotency-fingerprint';
import { RunStateCache } from './run-state-cache';
import { OperatorOutcome, OperatorRequest, RunTransitions } from './run-transitions';
import { TemplatePlans } from './template-plans';
import { escalateUnsendable } from './unsendable-escalation';
import { unsendableRunEnd } from './core/unsendable-result';
import { droppedOutputChange, RunChange, unsendableReplyFallbacks } from './unsendable-reply';
import { runTraceContext } from '../tracing/run-span';
import { ATTR, stepAttributes } from '../tracing/span-attributes';
import { SpanKind, tracing } from '../tracing/tracing';

/** What a transition of an existing run decides: its outcome, and whether there is anything to write. */
export type Transition<T> = (run: RunState, changes: RunChanges) => Promise<T>;

/** Events racing for one run (two engine instances, a reply and the healer) retry this often before giving up. */
const MAX_CONFLICTS = 50;

/**
 * Starts runs and moves them on. Every event (a step result, an operator's undo, a healer's
 * nudge) is one read of the run, a decision in memory, and one write guarded by the version it
 * read (optimistic concurrency: if another event wrote first, read again and decide again). The
 * outbox rows a write contains are published right after it; a write that did not happen sends
 * nothing.
 */
@Injectable()
export class RunExecutor extends StepResultSink {
  private readonly logger = new Logger(RunExecutor.name);
  private readonly lanes = new KeyLanes();

  constructor(
    private readonly runs: RunRepository,
    private readonly states: RunStateCache,
    private readonly transitions: RunTransitions,
    private readonly templates: CurrentTemplates,
    private readonly plans: TemplatePlans,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  start(req: StartRequest): Promise<StartedRun> {
    return tracing.span('run start', { attributes: { [ATTR.orchName]: req.orchName, [ATTR.correlationId]: req.correlationId } },
      async (span) => {
        const started = await this.startRun(req);
        span.setAttributes({ [ATTR.flowId]: started.flowId, [ATTR.runStatus]: started.status });
        return started;
      });
  }

  private async startRun(req: StartRequest): Promise<StartedRun> {
    const fields = req.fields ?? HTTP_START_FIELDS;
    const problems = payloadProblems(req.payload, req.contentType, fields.payload);
    if (problems.length) throw new AppError(ErrorCode.INVALID_REQUEST, 'The run payload cannot be dispatched', problems);
    const payloadHash = payloadFingerprint(req.contentType, req.payload);
    // Planned on the cached template; if the insert finds it changed, plan again on a fresh read.
    for (let tries = 1; ; tries++) {
      const template = await this.templates.get(req.orchName);
      if (!template || (req.ownerService !== undefined && template.ownerService !== req.ownerService)) {
        throw new AppError(ErrorCode.TEMPLATE_NOT_FOUND, `No template named ${req.orchName}`);
      }
      const ready = template.status === 'READY';
      const { deadline } = await this.plans.get(template.id, template.currentVersion);
      const deadlineSeconds = req.deadlineSeconds ?? deadline.seconds;
      const run: RunState = {
        flowId: req.flowId ?? randomUUID(), orchName: template.orchName, templateId: template.id, templateVersion: template.currentVersion,
        status: ready ? 'RUNNING' : 'WAITING_FOR_WORKERS', correlationId: req.correlationId, payload: req.payload,
        contentType: req.contentType, failedStep: null, version: 0 /* a new row's */, attempts: [],
        startedAt: new Date(), traceContext: runTraceContext(),
      };
      const changes = new RunChanges();
      const written = await endingSpans(changes, async () => {
        this.transitions.announce(run, changes, run.status, null, null, null);
        if (ready) await this.transitions.advance(run, changes);
        return this.runs.create({
          ...run, idempotencyKey: req.idempotencyKey ?? null, payloadHash,
          expirySeconds: ready ? null : this.config.PARKED_RUN_EXPIRY_SECONDS,
          deadlineSeconds: deadlineSeconds || null,
          onDeadline: deadlineSeconds ? deadline.onDeadline : null, traceContext: run.traceContext ?? null,
        }, template.status, changes);
      });
      if (written.templateChanged) {
        this.templates.forget(req.orchName);
        if (tries < MAX_CONFLICTS) continue;
        throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, `Template ${req.orchName} kept changing while a run was being started`);
      }
      if (!written.written) {
        const existing = await this.existingRun(req, payloadHash, template.missingSteps, fields);
        // Its run was removed (retention) between the insert and this read: the key is free again.
        if (existing) return existing;
        if (tries < MAX_CONFLICTS) continue;
        throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, `Idempotency-Key ${req.idempotencyKey} kept conflicting with a run that was gone`);
      }
      this.afterWrite(run, changes, written);
      // No line of its own: afterWrite logged the new run's status (previousStatus null) already.
      this.metrics.runsStarted.inc({ orch_name: run.orchName });
      return { flowId: run.flowId, status: run.status, correlationId: run.correlationId, created: true, missingSteps: template.missingSteps };
    }
  }

  /** A span per reply: the child of the worker's span when the reply carried its context. */
  apply(result: StepResult, inboxKey?: InboxKey): Promise<ApplyOutcome> {
    return tracing.span(`reply ${result.action}`, { kind: SpanKind.CONSUMER, attributes: stepAttributes(result) }, async (span) => {
      const outcome = await escalateUnsendable(() => this.applyResult(result, inboxKey, droppedOutputChange(result)), (refusal) =>
        unsendableReplyFallbacks(result, refusal.message, (r, runChange) => this.applyResult(r, inboxKey, runChange), this.logger));
      span.setAttribute(ATTR.outcome, outcome);
      return outcome;
    });
  }

  /** With `runChange` (a result whose follow-up cannot be sent), the run's status also changes before its decision. */
  private async applyResult(result: StepResult, inboxKey?: InboxKey, runChange?: RunChange): Promise<ApplyOutcome> {
    const started = process.hrtime.bigint();
    // A reply that names its attempt (commandId) can only complete that attempt once, so it needs
    // no inbox; one in the original format (no commandId) means "the attempt in flight", and its
    // redelivery after a retry was dispatched would complete the retry: the inbox stops that.
    const inbox = result.commandId ? undefined : inboxKey;
    const outcome = await this.transition<ApplyOutcome>(result.flowId, async (run, changes) => {
      if (inbox && (await this.runs.seenInbox(inbox))) return 'duplicate';
      if (!acceptsResults(run.status)) return 'not-in-flight';
      const match = matchReply(run, result, Date.now());
      if ('ignored' in match) return match.ignored;
      const { attempt } = match;
      changes.complete(run, attempt, { status: attemptStatusOf(result), output: result.output, error: result.error ?? null }, match.withdraws);
      if (inbox) changes.insert(InboxMessageEntity, inbox);
      const to = runChange?.to(run.status);
      if (to) this.transitions.changeStatus(run, changes, to, result.stepName, runChange!.error);
      await this.transitions.advance(run, changes);
      return 'applied';
    }) ?? 'unknown-flow';
    if (outcome === 'applied') {
      this.metrics.transitions.inc({ action: result.action, outcome: result.status });
      this.metrics.transitionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    } else {
      this.metrics.ignoredReplies.inc({ reason: outcome });
      this.logger.debug({ flowId: result.flowId, orchName: result.orchName, step: result.stepName, action: result.action,
        attempt: result.attempt, commandId: result.commandId, reason: outcome }, `step result ignored: ${outcome}`);
    }
    return outcome;
  }

  /**
   * An operator's undo of a finished run (decideUndo): its succeeded steps are unwound as a
   * compensation would (compensationPlan). For a run whose undo already ran and failed
   * (COMPENSATION_FAILED, UNDO_FAILED), each failed undo gets one more attempt. A run undone or
   * being undone already is left as it is (`changed: false`): a second click retries nothing.
   */
  async requestUndo(flowId: string, actor: string): Promise<OperatorOutcome> {
    // `unsendable`: the undos are too large to send, for ever. A finished run's undo then ends UNDO_FAILED with the
    // reason, as the healer ends such a run (unsendableRunEnd); a run that ended so already stays, and the refusal stands.
    const undo = (unsendable?: AppError) => this.transition<OperatorOutcome>(flowId, async (run, changes) => {
      const verdict = decideUndo(run.status);
      if (verdict.kind === 'retry-undos') {
        if (unsendable) throw unsendable;
        changes.event(flowId, 'UNDO_RETRY_REQUESTED', 'retry of the failed undos requested by an operator', null, actor);
        return { status: await this.transitions.retryFailedUndos(run, changes), changed: true };
      }
      if (verdict.kind === 'refused') {
        if (verdict.alreadyDone) return { status: run.status, changed: false };
        throw new AppError(ErrorCode[verdict.code], undoRefusal(`Run ${flowId}`, run.status, verdict.reason), [], { status: run.status });
      }
      changes.event(flowId, 'UNDO_REQUESTED', 'undo requested by an operator', null, actor);
      const end = unsendable ? unsendableRunEnd('UNDOING') : null;
      this.transitions.changeStatus(run, changes, end ?? 'UNDOING', null, end && `its undos cannot be sent: ${unsendable!.message}`);
      return { status: await this.transitions.advance(run, changes), changed: true };
    });
    const outcome = await escalateUnsendable(() => undo(), (refusal) => [() => undo(refusal)]);
    if (!outcome) throw new AppError(ErrorCode.RUN_NOT_FOUND, `No run ${flowId}`);
    return outcome;
  }

  /** An operator's action on a live run (terminate, pause, resume, retry, skip, compensate). */
  async act(flowId: string, req: OperatorRequest): Promise<OperatorOutcome> {
    const operate = (unsendable?: AppError) => this.transition(flowId, (run, changes) => this.transitions.operate(run, changes, req, unsendable));
    const outcome = await escalateUnsendable(() => operate(), (refusal) => [() => operate(refusal)]);
    if (!outcome) throw new AppError(ErrorCode.RUN_NOT_FOUND, `No run ${flowId}`);
    if (outcome.changed) {
      this.logger.log({ flowId, action: req.action, step: req.stepName, actor: req.actor, correlationId: req.correlationId, status: outcome.status },
        `operator ${req.action}`);
    }
    return outcome;
  }

  /**
   * Reads the run, lets `decide` collect its changes, and writes them guarded by the version it
   * read; if another event wrote first, starts over on the fresh run. Resolves to what `decide`
   * returned, or undefined for an unknown run.
   *
   * A run's events in this process are decided one at a time, in the order they came (`lanes`):
   * of two replies to one attempt consumed side by side (RabbitMQ hands a consumer many at once),
   * the first one delivered is applied, not whichever wrote first, and parallel steps' replies
   * no longer lose version races to each other. `decide` must not wait for another transition of
   * its own run: it would wait for itself.
   *
   * The run comes from the cache when this process wrote it last. A write guarded by a stale
   * version fails, so acting on the cache is safe; not acting is not (another instance may have
   * dispatched the attempt a reply answers): a decision to write nothing, or to refuse, is only
   * trusted when made on a fresh read.
   */
  transition<T>(flowId: string, decide: Transition<T>): Promise<T | undefined> {
    return new Promise((resolve, reject) => this.lanes.run(flowId, () => this.decideAndWrite(flowId, decide).then(resolve, reject)));
  }

  private async decideAndWrite<T>(flowId: string, decide: Transition<T>): Promise<T | undefined> {
    let useCache = true;
    for (let conflicts = 0; ; ) {
      const cached = useCache ? this.states.take(flowId) : undefined;
      useCache = false;
      const run = cached ?? await this.runs.load(flowId);
      if (!run) return undefined;
      const changes = new RunChanges();
      let outcome: T;
      try {
        outcome = await decide(run, changes);
      } catch (error) {
        changes.endSpans(false);
        if (cached) continue;
        throw error;
      }
      if (changes.isEmpty) {
        if (cached) continue;
        return outcome;
      }
      const written = await endingSpans(changes, () => this.runs.update(run, changes));
      if (written.written) {
        run.version += 1;
        this.afterWrite(run, changes, written);
        return outcome;
      }
      this.states.forget(flowId);
      this.metrics.writeConflicts.inc();
      if (++conflicts >= MAX_CONFLICTS) {
        throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, `Run ${flowId} kept changing under ${MAX_CONFLICTS} attempts to write it`);
      }
    }
  }

  /** `run` is what the write made of it, version included. */
  private afterWrite(run: RunState, changes: RunChanges, written: WriteResult): void {
    // A command to drop that went out meanwhile leaves an attempt other than this copy of the run says: the next event reads the run.
    const lost = lostVoids(changes, written);
    if (lost.length > 0) this.states.forget(run.flowId);
    else this.states.remember(run);
    for (const { fields, message } of lost) this.logger.warn({ flowId: run.flowId, correlationId: run.correlationId, ...fields }, message);
    if (written.messages.length > 0) void this.relay.publishNow(written.messages);
    this.transitions.written(run, changes);
  }

  /**
   * The run an earlier start with the same idempotency key made, or undefined when it is gone.
   * `missingSteps`: the template's now, which a parked run waits for (it starts on the template's current version).
   */
  private async existingRun(req: StartRequest, payloadHash: string, missingSteps: string[], fields: StartFields): Promise<StartedRun | undefined> {
    const existing = await this.runs.findByIdempotencyKey(req.orchName, req.idempotencyKey!);
    if (!existing) return undefined;
    const refusal = replayRefusal(req.idempotencyKey!, existing, payloadHash, req.deadlineSeconds, fields);
    if (refusal) throw refusal;
    return { flowId: existing.flowId, status: existing.status, correlationId: existing.correlationId, created: false,
      missingSteps: existing.status === 'WAITING_FOR_WORKERS' ? missingSteps : [] };
  }
}

/** Writes a transition, then ends its dispatch spans with the outcome: not written when the write lost or threw. */
async function endingSpans<W extends WriteResult>(changes: RunChanges, write: () => Promise<W>): Promise<W> {
  let result: W | undefined;
  try {
    result = await write();
    return result;
  } finally {
    changes.endSpans(result?.written ?? false);
  }
}
