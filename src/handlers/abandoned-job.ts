/**
 * What the row of a built-in step's job says once its run was terminated without compensation
 * while the job was in flight (run.repository's ABANDON_JOBS writes it, in the run's own write).
 * The texts go into that statement as SQL literals, so they hold no quote.
 */
export const ABANDONED_JOB = 'abandoned: the run was terminated without compensation while this job was in flight; it is no longer followed';

export const ABANDONED_JOB_TEXTS = {
  /** Its launch was under way: a job that launch started is written here when its answer comes (JobWorker). */
  launching: `${ABANDONED_JOB} (a launch was under way: a job it started is recorded here if its answer comes, and is not followed)`,
  cancelSent: `${ABANDONED_JOB} (its cancel had been sent)`,
  notCancelled: `${ABANDONED_JOB}, and was not cancelled`,
};

/** The row of a job abandoned while launching, once the launch's answer came. */
export function abandonedLaunchAnswered(job: string): string {
  return `${ABANDONED_JOB} (a launch was under way; its answer came after, naming ${job}, which is not followed)`;
}
