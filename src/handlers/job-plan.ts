import type { StepCommand } from '../engine/dispatch/step-command';
import type { DeferredUndo } from './deferred-undo';
import { parseBuiltInSpec, parseUndoHandler } from './handler-spec';
import { connectionClosedTo } from './connection-services';
import type { HandlersConfig } from './handlers-config';
import { InterpolationError } from './interpolate';
import type { JobExecutionEntity, JobOptions } from './job-execution.entity';
import type { TargetKind } from './job-kind';
import { BuiltInSpec, jobKind } from './job-kinds';
import { JobRequest, SpecError } from './job-request';

export type PlannedJob = Pick<JobExecutionEntity,
  'flowId' | 'stepName' | 'action' | 'attempt' | 'commandId' | 'correlationId' | 'targetType' | 'resourceType'
  | 'resourceId' | 'connection' | 'status' | 'nextLaunchAt' | 'nextPollAt' | 'completedAt' | 'error'
  | 'requestPayload' | 'options'>;

/** The request for a spec: interpolated, with the run's identifiers added for traceability. */
function requestFor(spec: BuiltInSpec, c: StepCommand, config: HandlersConfig): JobRequest {
  const connection = config.connection(spec.type, spec.connection);
  if (!connection) {
    const known = config.connectionNames().filter((n) => n.startsWith(`${spec.type}:`)).map((n) => n.slice(spec.type.length + 1));
    throw new SpecError(`${spec.type.toUpperCase()} connection '${spec.connection}' is not configured`
      + ` (configured: ${known.length ? known.join(', ') : 'none'})`);
  }
  // Checked at registration too; here for a template registered before its connection was closed to its service.
  if (c.ownerService !== undefined && !config.allowsService(spec.type, spec.connection, c.ownerService)) {
    throw new SpecError(`the step names ${connectionClosedTo(spec.type, spec.connection, c.ownerService)}`);
  }
  return jobKind(spec.type).request(spec, c, connection);
}

function problemOf(e: unknown): string {
  if (e instanceof SpecError || e instanceof InterpolationError) return e.message;
  throw e;
}

/**
 * Turns a command into the job row to insert. Nothing here throws for a bad spec, a template
 * reference that does not resolve or an unknown connection: the row is then FAILED at once
 * (due for reporting), so the step fails with that message through the normal result path.
 */
export function planJob(c: StepCommand, config: HandlersConfig, dispatcherKind: TargetKind, now: Date): PlannedJob {
  const base = {
    flowId: c.flowId, stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId,
    correlationId: c.correlationId ?? null, completedAt: null, error: null,
    nextLaunchAt: null, nextPollAt: null, requestPayload: null, options: null,
  };
  const failed = (kind: TargetKind, connection: string, error: string): PlannedJob => ({
    ...base, targetType: jobKind(kind).targetType, resourceType: null, resourceId: null, connection,
    status: 'FAILED', completedAt: now, nextPollAt: now, error,
  });
  const notBefore = c.notBefore ?? now;

  if (c.action === 'DO') {
    let spec: BuiltInSpec;
    try {
      spec = parseBuiltInSpec(c.handler);
    } catch (e) {
      return failed(dispatcherKind, String((c.handler as { connection?: unknown })?.connection ?? 'default'), problemOf(e));
    }
    try {
      return { ...base, ...requestFor(spec, c, config), targetType: jobKind(spec.type).targetType, connection: spec.connection,
        status: 'PENDING_LAUNCH', nextLaunchAt: notBefore };
    } catch (e) {
      return failed(spec.type, spec.connection, problemOf(e));
    }
  }

  // UNDO: first cancel the DO's job if it is still active (CANCELLING), then run the undo template.
  let plan;
  try {
    plan = parseUndoHandler(c.handler, dispatcherKind);
  } catch (e) {
    // A broken undo spec must not stop us cancelling the DO's job: the error fails the UNDO afterwards.
    return { ...base, targetType: jobKind(dispatcherKind).targetType, resourceType: null, resourceId: null, connection: 'default',
      status: 'CANCELLING', nextPollAt: notBefore, error: problemOf(e) };
  }
  if (!plan.undo) {
    return { ...base, targetType: jobKind(plan.kind).targetType, resourceType: null, resourceId: null, connection: plan.connection,
      status: 'CANCELLING', nextPollAt: notBefore, options: { cancelOnly: true } };
  }
  try {
    return { ...base, ...requestFor(plan.undo, c, config), targetType: jobKind(plan.undo.type).targetType, connection: plan.undo.connection,
      status: 'CANCELLING', nextPollAt: notBefore };
  } catch (e) {
    return { ...base, targetType: jobKind(plan.undo.type).targetType, resourceType: null, resourceId: null, connection: plan.undo.connection,
      status: 'CANCELLING', nextPollAt: notBefore, error: problemOf(e), options: undoToPlanLater(e, dispatcherKind, c) };
  }
}

/**
 * An undo whose references do not resolve yet is planned again once the DO has ended: sent while
 * the DO was running (a cancel), it cannot see the step's own output, which the DO's job gives.
 * The error stays on the row in case the second plan fails the same way.
 */
export function undoToPlanLater(e: unknown, kind: DeferredUndo['kind'], c: StepCommand): JobOptions | null {
  if (!(e instanceof InterpolationError)) return null;
  const { notBefore: _notBefore, ...command } = c;
  return { deferredUndo: { kind, command } };
}
