import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { OutboxRelay } from '../messaging/outbox/outbox-relay.service';
import type { OutboxRecord } from '../messaging/outbox/outbox.service';
import { TemplateRepository } from '../registry/template.repository';
import type { RunStatus } from './core/run-status';
import { ApplyOutcome, InboxKey, StepResult, StepResultSink } from './dispatch/step-result';
import { TransactionOutbox } from './dispatch/transaction-outbox';
import { LockedRun, RunRepository } from './run.repository';
import { RunTransitions } from './run-transitions';

export interface StartRequest {
  orchName: string;
  payload: Buffer;
  contentType: string;
  correlationId: string;
  idempotencyKey?: string;
}

export interface StartedRun {
  flowId: string;
  status: RunStatus;
  correlationId: string;
  /** False when an earlier request with the same idempotency key created the run. */
  created: boolean;
  missingSteps: string[];
}

const UNDOABLE: RunStatus[] = ['COMPLETED', 'FAILED'];

/**
 * Starts runs and moves them on: every event (a step result, an operator's undo, a healer's
 * nudge) is one short transaction that locks the run, records the event, lets the pure core
 * decide, and writes the outcome; the outbox rows it wrote are published right after commit.
 */
@Injectable()
export class RunExecutor extends StepResultSink {
  private readonly logger = new Logger(RunExecutor.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: RunRepository,
    private readonly transitions: RunTransitions,
    private readonly templates: TemplateRepository,
    private readonly outbox: TransactionOutbox,
    private readonly relay: OutboxRelay,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
  ) {
    super();
  }

  async start(req: StartRequest): Promise<StartedRun> {
    const template = await this.templates.findByName(req.orchName);
    if (!template) throw new AppError(ErrorCode.TEMPLATE_NOT_FOUND, `No template named ${req.orchName}`);
    const payloadHash = createHash('sha256').update(req.contentType).update('\0').update(req.payload).digest('hex');
    const ready = template.status === 'READY';
    const run: LockedRun = {
      flowId: randomUUID(), orchName: template.orchName, templateId: template.id, templateVersion: template.currentVersion,
      status: ready ? 'RUNNING' : 'WAITING_FOR_WORKERS', correlationId: req.correlationId, payload: req.payload,
      contentType: req.contentType, failedStep: null,
    };
    const outcome = await this.inTransaction(async (m) => {
      const inserted = await this.runs.insertRun(m, {
        ...run, idempotencyKey: req.idempotencyKey ?? null, payloadHash,
        expiresAt: ready ? null : new Date(Date.now() + this.config.PARKED_RUN_EXPIRY_SECONDS * 1000),
      });
      if (!inserted) return this.existingRun(m, req, payloadHash);
      await this.transitions.announce(m, run, run.status, null, null, null);
      if (ready) run.status = await this.transitions.advance(m, run, []);
      return { flowId: run.flowId, status: run.status, correlationId: run.correlationId, created: true, missingSteps: template.missingSteps };
    });
    if (outcome.created) {
      this.metrics.runsStarted.inc({ orch_name: run.orchName });
      this.logger.log({ flowId: outcome.flowId, orchName: run.orchName, correlationId: run.correlationId, status: outcome.status }, 'run accepted');
    }
    return outcome;
  }

  async apply(result: StepResult, inboxKey?: InboxKey): Promise<ApplyOutcome> {
    const started = process.hrtime.bigint();
    const outcome = await this.inTransaction(async (m): Promise<ApplyOutcome> => {
      const recorded = await this.runs.recordResult(m, {
        ...result, status: result.status === 'SUCCESS' ? 'SUCCEEDED' : 'FAILED', error: result.error ?? null,
      }, inboxKey);
      if (recorded.outcome !== 'applied') return recorded.outcome;
      await this.transitions.advance(m, recorded.run, await this.runs.attemptsOf(m, result.flowId));
      return 'applied';
    });
    if (outcome === 'applied') {
      this.metrics.transitions.inc({ action: result.action, outcome: result.status });
      this.metrics.transitionSeconds.observe(Number(process.hrtime.bigint() - started) / 1e9);
    } else {
      this.metrics.ignoredReplies.inc({ reason: outcome });
      this.logger.debug({ flowId: result.flowId, step: result.stepName, action: result.action, attempt: result.attempt, outcome },
        'step result changed nothing');
    }
    return outcome;
  }

  /** An operator's undo of a finished run: its succeeded steps are undone in reverse order. */
  async requestUndo(flowId: string): Promise<RunStatus> {
    return this.inTransaction(async (m) => {
      const run = await this.runs.lockRun(m, flowId);
      if (!run) throw new AppError(ErrorCode.RUN_NOT_FOUND, `No run ${flowId}`);
      if (!UNDOABLE.includes(run.status)) {
        const why = ['UNDONE', 'UNDOING'].includes(run.status) ? 'it is already undone or being undone'
          : ['RUNNING', 'COMPENSATING', 'WAITING_FOR_WORKERS'].includes(run.status) ? 'it is still running'
            : 'its undo already ran and failed; see the run timeline';
        throw new AppError(ErrorCode.RUN_NOT_UNDOABLE, `Run ${flowId} is ${run.status}: cannot undo it because ${why}`,
          [], { status: run.status });
      }
      await this.runs.recordEvent(m, flowId, 'UNDO_REQUESTED', 'undo requested by an operator');
      await this.transitions.changeStatus(m, run, 'UNDOING', null, null);
      return this.transitions.advance(m, run, await this.runs.attemptsOf(m, flowId));
    });
  }

  /**
   * Runs in a transaction and, once it committed, hands the outbox rows it wrote to the relay's
   * fast path. Nothing is published for a transaction that rolled back.
   */
  async inTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    let written: OutboxRecord[] = [];
    const result = await this.dataSource.transaction(async (m) => {
      const value = await work(m);
      written = await this.outbox.flush(m);
      return value;
    });
    if (written.length > 0) this.relay.publishNow(written);
    return result;
  }

  private async existingRun(m: EntityManager, req: StartRequest, payloadHash: string): Promise<StartedRun> {
    const existing = await this.runs.findByIdempotencyKey(m, req.orchName, req.idempotencyKey!);
    if (!existing) throw new AppError(ErrorCode.INTERNAL, 'Idempotency key conflict without a run');
    if (existing.payloadHash !== payloadHash) {
      throw new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED,
        `Idempotency-Key ${req.idempotencyKey} was used for run ${existing.flowId} with a different payload`, [], { flowId: existing.flowId });
    }
    return { flowId: existing.flowId, status: existing.status, correlationId: existing.correlationId, created: false, missingSteps: [] };
  }
}
