import { AppError } from './app-error';
import { ErrorCode } from './error-code';

/**
 * A readiness probe's "not ready" (Baton draining, a dependency down): a 503 that is the probe's
 * answer, not a failure. The health check logs when its state changes; the error filter logs each
 * answer at debug only (two probers during a 10 s drain wrote 49 warnings, each with a stack).
 */
export class NotReadyError extends AppError {
  constructor(message: string) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message);
    this.name = 'NotReadyError';
  }
}
