import type { StepCommand } from '../engine/dispatch/step-command';
import { interpolate, InterpolationContext } from './interpolate';
import type { JobExecutionEntity } from './job-execution.entity';

/** What a built-in step's spec decides of its job row: the resource launched and what is sent. */
export type JobRequest = Pick<JobExecutionEntity, 'resourceType' | 'resourceId' | 'requestPayload' | 'options'>;

/** A spec Baton cannot act on (a row older than the registry's checks, a broken reference): fails the step with its message. */
export class SpecError extends Error {}

export function contextOf(c: StepCommand): InterpolationContext {
  return { payload: c.payload, payloadEncoding: c.payloadEncoding, outputs: c.outputs ?? {}, flowId: c.flowId, correlationId: c.correlationId };
}

export function asInputString(value: unknown): string {
  if (typeof value === 'string') return value;
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** extraVars / inputs interpolated; a whole reference ('${payload}') must name an object. */
export function objectOf(template: Record<string, unknown> | string, c: StepCommand, where: string): Record<string, unknown> {
  const value = interpolate(template, contextOf(c), where);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new SpecError(`${where}: ${String(template)} is not an object`);
  }
  return value as Record<string, unknown>;
}
