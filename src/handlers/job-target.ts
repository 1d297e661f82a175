import type { ClassifiedStatus } from './job-phase';
import type { ExternalJobType, JobExecutionEntity, JobOptions } from './job-execution.entity';

export interface LaunchOutcome {
  externalJobId: string;
  externalJobType: ExternalJobType;
  response: Record<string, unknown>;
  /** Worth a warning in the log (e.g. AWX ignored_fields). */
  warnings: string[];
  /** The launch already decided the result (an HTTP call answered at once): nothing to poll. */
  result?: PollOutcome;
  /** Replaces the row's options (e.g. the status URL an HTTP 202 named). */
  options?: JobOptions;
}

export interface PollOutcome {
  externalStatus: string | null;
  externalResult: string | null;
  classified: ClassifiedStatus;
  response: Record<string, unknown>;
  /** Extra detail for a failure (AWX job_explanation). */
  explanation?: string;
}

/** Launch, poll and cancel for one kind of external system, given a job row. */
export interface JobTarget {
  launch(row: JobExecutionEntity): Promise<LaunchOutcome>;
  poll(row: JobExecutionEntity): Promise<PollOutcome>;
  cancel(row: JobExecutionEntity): Promise<'accepted' | 'not-cancellable'>;
  /**
   * The marker the row's launch carries, in words ("baton_command_id …"), by which findLaunched
   * finds its job; undefined when it carries none. Targets without either (http: its partner
   * deduplicates by Idempotency-Key) cannot tell whether an earlier attempt started a job.
   */
  launchMarker?(row: JobExecutionEntity): string | undefined;
  /** The job a launch of this row started, found by its marker; null when there is none. */
  findLaunched?(row: JobExecutionEntity): Promise<LaunchOutcome | null>;
}
