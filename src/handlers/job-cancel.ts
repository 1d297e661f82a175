import type { LoggerService } from '@nestjs/common';
import type { HandlerHttpError } from './http/handler-http-error';
import { logContext } from './job-claimer';
import type { JobExecutionEntity } from './job-execution.entity';
import { jobLabel } from './job-result';
import type { JobTarget } from './job-target';

/** What came of a job's cancel. */
export interface CancelOutcome {
  /** Not to be tried again: sent, or failed for good. */
  settled: boolean;
  /** The target took it: the job is being stopped. */
  requested: boolean;
  /** It could not be sent, so the job may still run. */
  failed: boolean;
  /** What came of it, for the step's error. */
  note: string;
}

/** Sends the job's cancel; never throws. */
export async function sendCancel(target: JobTarget, row: JobExecutionEntity, asHttpError: (e: unknown) => HandlerHttpError,
  logger: LoggerService): Promise<CancelOutcome> {
  try {
    const answer = await target.cancel(row);
    logger.log({ ...logContext(row), answer }, `cancel of ${jobLabel(row)}: ${answer}`);
    return answer === 'accepted' ? { settled: true, requested: true, failed: false, note: 'cancel requested' }
      : { settled: true, requested: false, failed: false, note: 'not cancelled (it has ended, or cannot be cancelled)' };
  } catch (e) {
    const error = asHttpError(e);
    // AWX/OO say the job does not exist (deleted, or purged after it ended): nothing is left to run.
    if (error.status === 404) {
      logger.warn(logContext(row), `cancel of ${jobLabel(row)}: it no longer exists (${error.message})`);
      return { settled: true, requested: false, failed: false, note: 'not cancelled (it no longer exists)' };
    }
    logger.warn(logContext(row), `cancel of ${jobLabel(row)} failed${error.retriable ? ', will retry' : ''}: ${error.message}`);
    return { settled: !error.retriable, requested: false, failed: true, note: `cancel could not be sent: ${error.message}` };
  }
}
