import { errorText, type WorkerLogger } from './logger';
import { checkOutput, errorForReply } from './output-rules';
import type { ResultStore } from './result-store';
import { replyTo, type WireCommand } from './wire';

export interface LateDeps {
  store: ResultStore;
  logger: WorkerLogger;
  maxReplyBytes?: number;
  /** Lets the next copy of the command (its retry, by idempotency key) run before this delivery ends. */
  releaseKey?(): void;
}

/**
 * A handler given up on (handlerTimeoutMs) keeps running in the background: a promise cannot be
 * stopped, only its `cmd.signal` aborted. Its step has failed (HANDLER_TIMEOUT), but its effect
 * may still happen: a success it returns now is recorded by idempotency key, as any success is
 * (first write wins), so that Baton's retry replays it instead of doing the work again. An output
 * Baton would refuse is recorded as dropped, as on time. A throw adds nothing to the recorded failure.
 *
 * Its key is freed at once: a retry waiting for it would wait without heartbeats, past its own
 * deadline (handlerTimeoutMs is set above the step's window, as auto heartbeats outlive it), and
 * be dropped unrun. A retry that comes after the late success finds it recorded and replays it;
 * one that comes while the handler still runs runs beside it, as its idempotency key allows. The
 * handler holds its slot until it ends, so that no more than `concurrency` run at once.
 */
export async function waitForLate(late: Promise<unknown>, c: WireCommand, fields: Record<string, unknown>, deps: LateDeps): Promise<void> {
  deps.releaseKey?.();
  const started = Date.now();
  const outcome = await late.then((output) => ({ ok: true as const, output: output ?? undefined }), (error: unknown) => ({ ok: false as const, error }));
  const lateFields = { ...fields, lateMs: Date.now() - started };
  if (!outcome.ok) {
    deps.logger.warn(lateFields, `a handler that timed out has now thrown (${errorText(outcome.error)}); its HANDLER_TIMEOUT stands`);
    return;
  }
  const checked = checkOutput(replyTo(c, { status: 'SUCCESS', error: null }, outcome.output), deps.maxReplyBytes ?? Number.POSITIVE_INFINITY);
  const result = checked.problem ? { output: undefined, droppedBecause: errorForReply(checked.problem.message) } : { output: outcome.output };
  try {
    await deps.store.put(c.idempotencyKey, result, checked.json);
  } catch (error) {
    deps.logger.error(lateFields, `a handler that timed out has now returned, but recording its result failed, so the step's retry runs it again: ${errorText(error)}`);
    return;
  }
  deps.logger.warn({ ...lateFields, ...(checked.problem ? { outputDropped: true } : {}) },
    `a handler that timed out has now returned; its result is recorded ${checked.problem ? `without its output (${checked.problem.message}) ` : ''}for the step's retry to replay`);
}
