import type { RetryPolicy } from '../../engine/core/plan';
import type { HandlerSpec, UndoSpec } from '../entities/step-template.entity';
import type { HandlerInput, InitiatorInput, UndoInput, WorkerInput } from './registration-document.schema';
import { depthsOf } from './find-cycle';
import type { InitiatorDocument, NormalizedStep, WorkerDocument } from './registration-document';

export const DEFAULT_INITIAL_DELAY_SECONDS = 1;
export const DEFAULT_MAX_DELAY_SECONDS = 60;

type StepInput = InitiatorInput['steps'][number];

/** Schema output → the stored form: defaults filled, shorthands expanded, steps in a fixed order. */
export function normalizeInitiator(input: InitiatorInput): InitiatorDocument {
  const description = input.description?.trim() || null;
  const dag = input.type === 'dag' || (input.type !== 'sequential' && input.steps.some((s) => s.dependsOn !== undefined));
  // In a DAG seq only orders the steps for display; one left out is the step's depth in the graph.
  const depths = dag ? depthsOf(input.steps.map((s) => ({ name: s.name, dependsOn: s.dependsOn ?? [] }))) : undefined;
  return {
    role: 'initiator',
    orchName: input.orchName,
    type: dag ? 'dag' : input.type === 'sequential' ? 'sequential' : 'parallel',
    description,
    service: input.service ?? null,
    ...(input.deadlineSeconds ? { deadlineSeconds: input.deadlineSeconds } : {}),
    ...(input.onDeadline ? { onDeadline: input.onDeadline } : {}),
    steps: input.steps.map((s) => normalizeStep(s, input.workers, depths?.get(s.name))).sort(bySeqThenName),
  };
}

export function normalizeWorker(input: WorkerInput): WorkerDocument {
  return {
    role: 'worker',
    orchName: input.orchName,
    service: input.service ?? null,
    topic: input.topic ?? null,
    steps: input.steps.map(({ name, objectType }) => ({ name, objectType })),
  };
}

export function normalizeStep(step: StepInput, templateWorkers?: string[], depth?: number): NormalizedStep {
  const handler = normalizeHandler(step.handler ?? { type: 'worker' });
  const workers = step.workers ?? templateWorkers;
  const dependsOn = [...new Set(step.dependsOn ?? [])].sort();
  return {
    // Left out when absent, so the content hash of templates without an allowlist is unchanged.
    ...(workers ? { workers: [...new Set(workers)].sort() } : {}),
    seq: step.seq ?? depth ?? 1,
    name: step.name,
    objectType: step.objectType,
    timeoutSeconds: step.timeoutSeconds ?? null,
    // Only when given, so that templates without it keep their content hash.
    ...(step.heartbeatSeconds ? { heartbeatSeconds: step.heartbeatSeconds } : {}),
    retry: step.retry ? normalizeRetry(step.retry) : null,
    handler,
    undo: normalizeUndo(step.undo, handler),
    ...(step.onFailure === 'pause' ? { onFailure: 'pause' as const } : {}),
    // Only when given, so that templates without dependencies keep their content hash.
    ...(dependsOn.length > 0 ? { dependsOn } : {}),
  };
}

export function normalizeRetry(retry: NonNullable<StepInput['retry']>): RetryPolicy {
  const initialDelaySeconds = retry.initialDelaySeconds ?? DEFAULT_INITIAL_DELAY_SECONDS;
  return {
    maxAttempts: retry.maxAttempts,
    backoff: retry.backoff ?? 'exponential',
    initialDelaySeconds,
    // A long first delay raises the default cap rather than contradicting it.
    maxDelaySeconds: retry.maxDelaySeconds ?? Math.max(DEFAULT_MAX_DELAY_SECONDS, initialDelaySeconds),
  };
}

/** Only the fields given are kept (no `undefined` values), so equal templates hash equal. */
export function normalizeHandler(handler: HandlerInput): HandlerSpec {
  const spec: HandlerSpec = { type: handler.type };
  for (const [key, value] of Object.entries(handler)) {
    if (value !== undefined) spec[key] = key === 'successResultTypes' ? [...new Set(value as string[])].sort() : value;
  }
  return spec;
}

/**
 * Worker steps compensate by default (the worker gets an UNDO command) unless `undo: false`.
 * Built-in steps do not: on undo the engine only cancels a job still running, unless an undo handler
 * is given. (`undo: true` on a built-in step is rejected earlier, in step-rules.ts.)
 */
export function normalizeUndo(undo: UndoInput | undefined, handler: HandlerSpec): UndoSpec {
  if (undo === false) return false;
  if (typeof undo === 'object') return normalizeHandler(undo);
  if (handler.type === 'worker') return { type: 'worker' };
  if (undo === true) throw new Error('undo: true on a built-in step must be rejected before normalizing');
  return false;
}

function bySeqThenName(a: NormalizedStep, b: NormalizedStep): number {
  if (a.seq !== b.seq) return a.seq - b.seq;
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
