import type { StepAction, StepRunStatus } from './run-status';

/** How often, and how far apart, a failed step is tried again. */
export interface RetryPolicy {
  maxAttempts: number;
  backoff: 'fixed' | 'exponential';
  initialDelaySeconds: number;
  maxDelaySeconds: number;
}

/** What a step's failure (after its retries) does to its run: compensate, or pause for an operator. */
export type OnFailure = 'compensate' | 'pause';

/** What the decision logic needs of a template version's step. */
export interface PlanStep {
  name: string;
  seq: number;
  /** Whether the step has something to run on UNDO (a worker UNDO or an undo handler). */
  undoable: boolean;
  retry: RetryPolicy | null;
  /** Default `compensate`. */
  onFailure?: OnFailure;
  /** dag plans: the steps that must be done (succeeded or skipped) before this one starts. */
  dependsOn?: readonly string[];
  /** Run by a built-in handler (AWX, OO): its UNDO can cancel a DO still running. */
  builtIn?: boolean;
}

export interface Plan {
  type: 'sequential' | 'parallel' | 'dag';
  steps: PlanStep[];
}

/** One attempt of a DO or UNDO as the decision logic sees it. */
export interface Attempt {
  stepName: string;
  action: StepAction;
  attempt: number;
  status: StepRunStatus;
  /**
   * The first attempt of the retry budget this attempt counts against (default 1). An operator's
   * retry starts a fresh budget at its own attempt number; attempt numbers themselves never repeat.
   */
  budgetStart?: number;
  /**
   * When an attempt written ahead of its time (a retry waiting out its backoff) is sent, in ms
   * since the epoch; absent (or null) for one sent at once.
   */
  dueAt?: number | null;
}

/** A command the decision asks to send: attempt numbers are the decision's, never the caller's. */
export interface Dispatch {
  stepName: string;
  action: StepAction;
  attempt: number;
  delayMs: number;
  /** As on Attempt; absent means 1. */
  budgetStart?: number;
}
