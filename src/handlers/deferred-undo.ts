import type { StepCommand } from '../engine/dispatch/step-command';
import type { HandlersConfig } from './handlers-config';
import type { TargetKind } from './job-kind';
import { planHttpCall } from './http-call/plan-http-call';
import { planJob, PlannedJob } from './job-plan';

/** An UNDO command kept in its job row (as JSON) until its DO's job has ended: see undoToPlanLater. */
export interface DeferredUndo {
  /** The dispatcher that planned it: `awx` and `oo` plan with planJob, `http` with planHttpCall. */
  kind: TargetKind | 'http';
  command: Omit<StepCommand, 'notBefore'>;
}

/**
 * Plans a deferred UNDO again once its DO's job has ended, with that job's output as the step's
 * own: what an undo refers to (`${steps.createVm.output.artifacts.vm_id}`). The output is given
 * even when the job failed or was cancelled, since the undo is there to remove what it started.
 * A plan that fails again has `error` set.
 */
export function planUndoAfterDo(deferred: DeferredUndo, doOutput: Record<string, unknown>, config: HandlersConfig, now: Date): PlannedJob {
  const { command } = deferred;
  const c: StepCommand = { ...command, outputs: { ...command.outputs, [command.stepName]: doOutput }, notBefore: now };
  return deferred.kind === 'http' ? planHttpCall(c, config, now) : planJob(c, config, deferred.kind, now);
}
