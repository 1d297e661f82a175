import type { StepCommand } from '../engine/dispatch/step-command';
import type { ConnectionConfig } from './handlers-config';
import type { HttpTransport } from './http/http-transport';
import type { JobExecutionEntity, JobTargetType } from './job-execution.entity';
import type { JobRequest } from './job-request';
import type { JobTarget } from './job-target';

/** The kinds of external job system a built-in step launches (an `http` step calls instead). */
export const TARGET_TYPES = ['awx', 'oo'] as const;
export type TargetKind = (typeof TARGET_TYPES)[number];

/**
 * One kind of external job system (AWX, OO), as the shared job runner needs it: each kind's folder
 * gives one, so what differs by kind is written there and nowhere else.
 */
export interface JobKind<S> {
  targetType: JobTargetType;
  /** The API prefix a connection of this kind has when its settings name none. */
  defaultApiPrefix: string;
  /** The most HTTP exchanges its lookup of a launch whose answer was lost makes (claimExchanges). */
  lookupExchanges: number;
  /** Reads a handler spec of this kind, its connection (`connectionOf`) last; throws SpecError. */
  parseSpec(spec: Record<string, unknown>, connectionOf: () => string): S;
  /** The request a spec makes for a command, interpolated; throws SpecError or InterpolationError. */
  request(spec: S, c: StepCommand, connection: ConnectionConfig): JobRequest;
  /** What a finished job of this kind adds to its step's output. */
  output(row: JobExecutionEntity): Record<string, unknown>;
  target(transport: HttpTransport): JobTarget;
}
