import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { TemplateRepository } from '../registry/template.repository';
import { expiryReason, parkedRunVerdict } from './policies';
import { RunExecutor } from '../engine/run-executor.service';
import { LockedRun, RunRepository } from '../engine/run.repository';
import { RunTransitions } from '../engine/run-transitions';

export interface TimedOutAttempt {
  flowId: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  attempt: number;
  reason: string;
}

/**
 * The healer's actions on one run, each one transaction that first claims the run with SKIP
 * LOCKED (another instance busy with it: skip) and records on the run's timeline why it acted.
 * Every action returns whether it changed anything.
 */
@Injectable()
export class RunRevivals {
  private readonly logger = new Logger(RunRevivals.name);

  constructor(
    private readonly executor: RunExecutor,
    private readonly runs: RunRepository,
    private readonly transitions: RunTransitions,
    private readonly templates: TemplateRepository,
  ) {}

  /** Ends an attempt that missed its deadline; the decision then retries it or fails the step. */
  timeOut(a: TimedOutAttempt): Promise<boolean> {
    return this.claimed(a.flowId, async (m, run) => {
      const ended = await this.runs.completeAttempt(m, { ...a, status: 'TIMED_OUT', error: a.reason });
      if (!ended) return false;
      await this.runs.recordEvent(m, a.flowId, 'STEP_TIMED_OUT', a.reason, a.stepName);
      await this.transitions.advance(m, run, await this.runs.attemptsOf(m, a.flowId));
      return true;
    });
  }

  /** Starts a parked run whose template became READY, or ends it past its expiry. */
  settleParked(flowId: string, expiresAt: Date | null): Promise<boolean> {
    return this.claimed(flowId, async (m, run) => {
      if (run.status !== 'WAITING_FOR_WORKERS') return false;
      const template = await this.templates.findByName(run.orchName, m);
      const verdict = parkedRunVerdict({ expiresAt }, template?.status ?? 'PENDING', new Date());
      if (verdict === 'wait') return false;
      if (verdict === 'expire') {
        const reason = expiryReason(expiresAt, template?.missingSteps ?? []);
        await this.runs.recordEvent(m, flowId, 'EXPIRED', reason);
        await this.transitions.changeStatus(m, run, 'EXPIRED', null, reason);
        return true;
      }
      await this.runs.repinVersion(m, flowId, template!.currentVersion);
      await this.runs.recordEvent(m, flowId, 'STARTED_AFTER_WAIT', `template ${run.orchName} became READY`);
      await this.transitions.changeStatus(m, { ...run, templateVersion: template!.currentVersion }, 'RUNNING', null, null);
      await this.transitions.advance(m, { ...run, status: 'RUNNING', templateVersion: template!.currentVersion }, []);
      return true;
    });
  }

  /** Re-runs the decision for an active run with nothing in flight (a crash lost its next step). */
  revive(flowId: string, reason: string): Promise<boolean> {
    return this.claimed(flowId, async (m, run) => {
      if (!['RUNNING', 'COMPENSATING', 'UNDOING'].includes(run.status)) return false;
      await this.runs.recordEvent(m, flowId, 'REVIVED', reason);
      await this.transitions.advance(m, run, await this.runs.attemptsOf(m, flowId));
      return true;
    });
  }

  private async claimed(flowId: string, work: (m: EntityManager, run: LockedRun) => Promise<boolean>): Promise<boolean> {
    const changed = await this.executor.inTransaction(async (m) => {
      const run = await this.runs.claimRun(m, flowId);
      return run ? work(m, run) : false;
    });
    if (changed) this.logger.log({ flowId }, 'run healed');
    return changed;
  }
}
