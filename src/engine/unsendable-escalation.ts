import type { AppError } from '../common/errors/app-error';
import { isRefusalToSend } from '../messaging/outbox/outbox.service';

/**
 * What follows a step's result carries every earlier output, and the outbox refuses a message
 * over its limit (isRefusalToSend): retried, the same write is refused again, for ever. So a
 * refused write gives way to the fallbacks made for its refusal, each smaller than the last (see
 * core/unsendable-result), tried in turn while the one before is refused too. Any other error,
 * and the last fallback's refusal, is thrown.
 */
export async function escalateUnsendable<T>(write: () => Promise<T>, fallbacks: (refusal: AppError) => Array<() => Promise<T>>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!isRefusalToSend(error)) throw error;
    let refusal: unknown = error;
    for (const fallback of fallbacks(error)) {
      try {
        return await fallback();
      } catch (again) {
        if (!isRefusalToSend(again)) throw again;
        refusal = again;
      }
    }
    throw refusal;
  }
}
