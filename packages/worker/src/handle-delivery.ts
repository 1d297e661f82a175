import { BatonHttpError } from './baton-client';
import { toStepCommand, type StepCommand } from './command';
import { HandlerTimeoutError, NonRetryableError, OutputNotJsonError } from './errors';
import { errorText, type WorkerLogger } from './logger';
import type { ResultStore } from './result-store';
import { inHandlerSpan } from './tracing';
import type { Delivery } from './transports/transport';
import { replyTo, type WireCommand } from './wire';

export type StepFn = (cmd: StepCommand) => unknown;

export interface DeliveryDeps {
  handlerFor(c: WireCommand): StepFn | undefined;
  store: ResultStore;
  logger: WorkerLogger;
  /** Sends a heartbeat this often while a handler runs; 0 = only when the handler calls `heartbeat()`. */
  autoHeartbeatMs: number;
  /** Fails the step of a handler still running after this long; 0 = no limit. */
  handlerTimeoutMs?: number;
}

/**
 * One delivery, start to end: drop it when expired, replay a recorded result, or run the handler;
 * record a success before replying, and let the transport acknowledge only after the reply is
 * confirmed. A reply that could not be sent leaves the command unacknowledged, so it comes back.
 */
export function handleDelivery(delivery: Delivery, deps: DeliveryDeps): Promise<void> {
  return inHandlerSpan(delivery.trace, delivery.command, (fail) => handleInSpan(delivery, deps, fail));
}

async function handleInSpan(delivery: Delivery, deps: DeliveryDeps, fail: (error: string) => void): Promise<void> {
  const c = delivery.command;
  const fields = { flowId: c.flowId, step: c.stepName, action: c.action, attempt: c.attempt, correlationId: c.correlationId };
  try {
    if (Date.parse(c.deadline) <= Date.now()) {
      deps.logger.warn({ ...fields, deadline: c.deadline }, 'command expired before it was handled: dropped');
      await delivery.drop();
      return;
    }
    const recorded = await deps.store.get(c.idempotencyKey);
    if (recorded) {
      deps.logger.info(fields, 'already done: replaying the recorded result');
      await delivery.settle(replyTo(c, { status: 'SUCCESS', error: null }, recorded.output));
      return;
    }
    const fn = deps.handlerFor(c);
    if (!fn) {
      await delivery.settle(replyTo(c, { status: 'FAILED', error: `No handler for ${c.orchName}/${c.stepName}`, nonRetryable: true }));
      return;
    }
    const outcome = await run(fn, delivery, deps);
    if (outcome.ok) {
      const unsendable = jsonProblemOf(outcome.output);
      if (unsendable) {
        // Neither a reply nor a store could carry it, and running the handler again returns the same.
        deps.logger.warn({ ...fields, nonRetryable: true }, unsendable.message);
        fail(unsendable.message);
        await delivery.settle(replyTo(c, { status: 'FAILED', error: unsendable.message, nonRetryable: true }));
        return;
      }
      await deps.store.put(c.idempotencyKey, { output: outcome.output });
      await delivery.settle(replyTo(c, { status: 'SUCCESS', error: null }, outcome.output));
    } else {
      const nonRetryable = outcome.error instanceof NonRetryableError || undefined;
      deps.logger.warn({ ...fields, nonRetryable: nonRetryable ?? false }, `handler failed: ${errorText(outcome.error)}`);
      fail(errorText(outcome.error));
      await delivery.settle(replyTo(c, { status: 'FAILED', error: errorText(outcome.error), nonRetryable }));
      if (outcome.late) await waitForLate(outcome.late, fields, deps.logger);
    }
  } catch (error) {
    // 404: another copy of this command was settled first (an expired lease's reply settles the
    // newer lease too), so there is nothing left to do.
    if (error instanceof BatonHttpError && error.status === 404) deps.logger.info(fields, 'command already settled by another copy');
    else {
      deps.logger.error(fields, `reply not confirmed, the command will come again: ${errorText(error)}`);
      await delivery.abandon?.();
    }
  }
}

/** Why an output cannot go out as JSON (a BigInt, a cycle), if it cannot. */
function jsonProblemOf(output: unknown): OutputNotJsonError | undefined {
  try {
    JSON.stringify(output);
    return undefined;
  } catch (error) {
    return new OutputNotJsonError(error);
  }
}

type Outcome = { ok: true; output: unknown } | { ok: false; error: unknown; late?: Promise<unknown> };

/** What the timer resolves to: no handler can return it. */
const EXPIRED = Symbol('expired');

async function run(fn: StepFn, delivery: Delivery, deps: DeliveryDeps): Promise<Outcome> {
  const heartbeat = () => delivery.heartbeat(replyTo(delivery.command, { status: 'HEARTBEAT', error: null }));
  const timer = deps.autoHeartbeatMs > 0
    ? setInterval(() => heartbeat().catch((e) => deps.logger.warn({ flowId: delivery.command.flowId }, `heartbeat failed: ${errorText(e)}`)),
      deps.autoHeartbeatMs)
    : undefined;
  const abort = new AbortController();
  const handler = Promise.resolve().then(() => fn(toStepCommand(delivery.command, heartbeat, abort.signal)));
  let expiry: NodeJS.Timeout | undefined;
  // With auto heartbeats, Baton would wait for a hung handler for ever: the timeout is what ends it.
  const expired = deps.handlerTimeoutMs
    ? new Promise<typeof EXPIRED>((resolve) => { expiry = setTimeout(() => resolve(EXPIRED), deps.handlerTimeoutMs); })
    : undefined;
  try {
    const first = await (expired ? Promise.race([handler, expired]) : handler);
    if (first === EXPIRED) {
      const error = new HandlerTimeoutError(deps.handlerTimeoutMs!);
      abort.abort(error);
      return { ok: false, error, late: handler };
    }
    return { ok: true, output: first ?? undefined };
  } catch (error) {
    return { ok: false, error };
  } finally {
    if (timer) clearInterval(timer);
    clearTimeout(expiry);
  }
}

/**
 * A handler given up on still holds its slot (and its idempotency key) until it ends, so no more
 * than `concurrency` run at once and a copy of its command cannot run beside it; what it returns
 * then is dropped: its step has already failed.
 */
async function waitForLate(late: Promise<unknown>, fields: Record<string, unknown>, logger: WorkerLogger): Promise<void> {
  const started = Date.now();
  const how = await late.then(() => 'returned', (e: unknown) => `threw (${errorText(e)})`);
  logger.warn({ ...fields, lateMs: Date.now() - started }, `a handler that timed out has now ${how}; its result is dropped`);
}
