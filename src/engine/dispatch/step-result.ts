import type { IgnoredReason } from '../core/match-reply';
import type { StepAction } from '../core/run-status';

/** The outcome of one attempt, whether a worker replied or a built-in handler finished. */
export interface StepResult {
  flowId: string;
  /** The template a worker's reply names: it must be the run's. Built-in handlers leave it out. */
  orchName?: string;
  stepName: string;
  action: StepAction;
  status: 'SUCCESS' | 'FAILED';
  /** Absent in the original reply format: then the attempt in flight is meant. */
  attempt?: number;
  commandId?: string;
  output?: unknown;
  error?: string;
  /** On FAILED: skip the step's remaining retries. */
  nonRetryable?: boolean;
  /** On SUCCESS: done, but its output could not be sent: the run unwinds, this step included (droppedOutputChange). */
  outputDropped?: boolean;
}

export type ApplyOutcome = 'applied' | 'duplicate' | 'stale' | 'unknown-flow' | IgnoredReason;

/** The consumed message a result came from: recorded with its effect, so a redelivery changes nothing. */
export interface InboxKey {
  consumer: string;
  messageId: string;
}

/** Port into the engine: applies a step result to its run exactly once. */
export abstract class StepResultSink {
  abstract apply(result: StepResult, inbox?: InboxKey): Promise<ApplyOutcome>;
}
