import type { Logger } from '@nestjs/common';
import type { WorkerLogger } from '@baton/worker';

/** The worker SDK's log lines through a scoped Nest logger (the SDK itself knows no Nest). */
export function nestWorkerLogger(logger: Logger): WorkerLogger {
  return {
    info: (fields, message) => logger.log(fields, message),
    warn: (fields, message) => logger.warn(fields, message),
    error: (fields, message) => logger.error(fields, message),
  };
}
