import { BatonHttpError, refusedForGood } from './baton-client';
import { NonRetryableError } from './errors';
import type { ExpiredDrops } from './expired-drops';
import { waitForLate } from './late-handler';
import type { FailureStreak } from './failure-streak';
import { errorText, isError, type WorkerLogger } from './logger';
import { checkOutput, errorForReply, outputProblem } from './output-rules';
import type { RecordedFailure, ResultStore } from './result-store';
import { run, type RunDeps, type StepFn } from './run-handler';
import { StoreFailure } from './store-failures';
import { inHandlerSpan } from './tracing';
import type { Delivery } from './transports/transport';
import { replyTo, type WireCommand, type WireReply } from './wire';

export type { StepFn } from './run-handler';

export interface DeliveryDeps extends RunDeps {
  handlerFor(c: WireCommand): StepFn | undefined;
  store: ResultStore;
  /** The largest reply Baton takes, as bytes of JSON (see output-rules). Default: no limit. */
  maxReplyBytes?: number;
  /** The worker's log of expired commands, shared by its deliveries so that a burst of them is one line. */
  expiredDrops: ExpiredDrops;
  /** The worker's streak of result-store failures (storeFailureStreak), shared so that an outage is one line. */
  storeFailures: FailureStreak;
  /** Lets the next copy of the command (its retry, by idempotency key) run before this delivery ends. */
  releaseKey?(): void;
}

type Fields = Record<string, unknown>;

/**
 * One delivery, start to end: drop it when expired, replay a recorded result or failure, or run the
 * handler; record its success (by idempotency key) or failure (by command id) before replying, and
 * let the transport acknowledge only after the reply is confirmed. A reply that could not be sent
 * leaves the command unacknowledged, so it comes back.
 */
export function handleDelivery(delivery: Delivery, deps: DeliveryDeps): Promise<void> {
  return inHandlerSpan(delivery.trace, delivery.command, (fail) => handleInSpan(delivery, deps, fail));
}

async function handleInSpan(delivery: Delivery, deps: DeliveryDeps, fail: (error: string) => void): Promise<void> {
  const c = delivery.command;
  /** A handler given up on (handlerTimeoutMs) that still runs. */
  let late: Promise<unknown> | undefined;
  const fields = { flowId: c.flowId, step: c.stepName, action: c.action, attempt: c.attempt, correlationId: c.correlationId };
  /** Whether this delivery's calls to the store all passed: that ends a streak of store failures. */
  let store = 'unused' as 'unused' | 'worked' | 'failed'; // set in a closure, which TypeScript's narrowing does not see
  const stored = async <T>(call: () => Promise<T> | T): Promise<T> => {
    try {
      const value = await call();
      store = 'worked';
      return value;
    } catch (error) {
      store = 'failed';
      throw new StoreFailure(error);
    }
  };
  const settle = (reply: WireReply) => settleFinal(delivery, reply, { ...fields, commandId: c.commandId }, deps.logger, fail);
  /** The handler did its work, but its output cannot be sent: a success without it, so that Baton undoes the step with the run. */
  const withoutOutput = (error: string): string => {
    deps.logger.warn({ ...fields, outputDropped: true }, `${error}; replying SUCCESS without the output: Baton unwinds the run, this step included`);
    fail(error);
    return errorForReply(error);
  };
  /**
   * The handler ran and its step fails: recorded by commandId before the reply, so that a duplicate
   * delivery of this command (a redelivery after a lost ack, a rebalance) replays it instead of
   * running the handler again, while Baton's retry (a new commandId) runs. A recording that fails
   * gives the command back unanswered, as a success's does: nothing recorded, its copy runs again.
   *
   * Not recorded, as no handler ran: a command no handler is declared for (that belongs to this
   * instance's code, not to the command: a copy reaching an instance that has the handler, in a
   * rolling deploy, should run it), and a recorded output refused on replay (its recorded success,
   * looked up first, leads every copy the same way). Nor the REPLY_REFUSED that replaces a refused
   * reply: what the handler did is recorded already, and its replay meets the same refusal.
   */
  const failWith = async (failure: RecordedFailure) => {
    await stored(() => deps.store.putFailure?.(c.commandId, failure));
    await settle(failedReply(c, failure));
  };
  try {
    // By Baton's clock where the transport knows it: a worker clock ahead would drop fresh commands.
    if (Date.parse(c.deadline) <= Date.now() + (delivery.batonClockAheadMs ?? 0)) {
      deps.expiredDrops.dropped({ ...fields, deadline: c.deadline });
      await delivery.drop().catch((error: unknown) => {
        // Its lease is gone as well (settled by another copy, or expired): nothing is left to drop.
        if (!(error instanceof BatonHttpError && error.status === 404)) throw error;
        deps.logger.info(fields, 'command already settled by another copy');
      });
      return;
    }
    // Both looked up at once: with a durable store, one round trip's wait instead of two.
    const [recorded, failed] = await stored(() => Promise.all([deps.store.get(c.idempotencyKey), deps.store.getFailure?.(c.commandId)]));
    if (recorded) {
      deps.logger.info(fields, 'already done: replaying the recorded result');
      if (recorded.droppedBecause !== undefined) {
        await settle(droppedReply(c, recorded.droppedBecause));
        return;
      }
      const replay = replyTo(c, { status: 'SUCCESS', error: null }, recorded.output);
      // Recorded by an earlier version, or under a larger maxReplyBytes: refused, it would be replayed for ever.
      const refused = outputProblem(replay, deps.maxReplyBytes ?? Number.POSITIVE_INFINITY);
      await settle(refused ? droppedReply(c, withoutOutput(refused.message)) : replay);
      return;
    }
    // Second: a late copy of a failed attempt whose retry has succeeded since gets the success, as before.
    if (failed) {
      deps.logger.info({ ...fields, commandId: c.commandId }, 'already failed: replaying the recorded failure');
      fail(failed.error);
      await settle(failedReply(c, failed));
      return;
    }
    const fn = deps.handlerFor(c);
    if (!fn) {
      // Another instance of the service may declare it (a rolling deploy that adds the step): the
      // step's retry may reach that one, so this attempt fails as retryable, and says why loudly.
      const error = `NO_HANDLER: this instance declares no handler for ${c.orchName}/${c.stepName} (an instance from before the step was added, or a run still on a template version that has the step after it was removed?)`;
      deps.logger.error({ flowId: c.flowId, orchName: c.orchName, stepName: c.stepName, action: c.action, attempt: c.attempt }, error);
      await settle(replyTo(c, { status: 'FAILED', error }));
      return;
    }
    const outcome = await run(fn, delivery, deps);
    if (outcome.ok) {
      const success = replyTo(c, { status: 'SUCCESS', error: null }, outcome.output);
      // Before it is recorded: running the handler again returns the same, and a recorded output
      // Baton refuses would be replayed, and refused, at every delivery.
      const { problem: refused, json } = checkOutput(success, deps.maxReplyBytes ?? Number.POSITIVE_INFINITY);
      if (refused) {
        // Recorded by idempotency key, as a success is: a duplicate, or Baton's retry of an attempt
        // it timed out before this reply came, replays it without running the handler again.
        const droppedBecause = withoutOutput(refused.message);
        await stored(() => deps.store.put(c.idempotencyKey, { output: undefined, droppedBecause }));
        await settle(droppedReply(c, droppedBecause));
        return;
      }
      // With the text just checked: the memory store keeps that, not the handler's object.
      await stored(() => deps.store.put(c.idempotencyKey, { output: outcome.output }, json));
      await settle(success);
    } else {
      late = outcome.late;
      const nonRetryable = outcome.error instanceof NonRetryableError;
      const error = failureText(outcome.error);
      deps.logger.warn({ ...fields, nonRetryable }, `handler failed: ${error}`);
      fail(error);
      await failWith({ error: errorForReply(error), nonRetryable });
    }
  } catch (error) {
    if (error instanceof StoreFailure) {
      // Nothing was recorded, so nothing may be replied: the command comes again, and its copy
      // finds what the store holds by then. Logged once for the worker, not once per command.
      deps.storeFailures.failed(error.cause, { ...fields, commandId: c.commandId });
      if (!deps.stopped()) await delivery.abandon?.();
    } else if (error instanceof BatonHttpError && error.status === 404) {
      // Another copy may have settled the command (an expired lease's reply settles the newer lease
      // too), or the reply reached a Baton instance that does not hold the lease: nothing here can
      // tell which, so it is not given back, and a command nobody settled comes again after its lease.
      deps.logger.warn({ ...fields, commandId: c.commandId },
        `reply not applied by this Baton instance: its lease is unknown there (expired and settled by another copy, or held by another instance): ${errorText(error)}`);
    } else if (deps.stopped()) {
      // stop() gave up on this handler (drainTimeoutMs) and disconnected: nothing is left to give
      // the command back to, and it comes again as every unacknowledged command does.
      deps.logger.warn(fields, `the worker stopped before the reply was confirmed, the command will come again: ${errorText(error)}`);
    } else {
      deps.logger.error(fields, `reply not confirmed, the command will come again: ${errorText(error)}`);
      await delivery.abandon?.();
    }
  } finally {
    if (store === 'worked') deps.storeFailures.succeeded();
  }
  if (late) await waitForLate(late, c, fields, deps);
}

/**
 * Sends a final reply. One Baton refuses for what it carries (a 400 or a 413 over HTTP) would be
 * refused at every delivery until the step timed out: it is replaced, once, by one that says why
 * and carries no output: a success's by the same success without its output (its effect is real,
 * so Baton unwinds the run, this step included), a failure's by a FAILED reply that fails the
 * step for good. If that is refused too, the error goes up.
 */
async function settleFinal(delivery: Delivery, reply: WireReply, fields: Fields, logger: WorkerLogger, fail: (error: string) => void): Promise<void> {
  try {
    await delivery.settle(reply);
  } catch (error) {
    if (!refusedForGood(error)) throw error;
    const why = `REPLY_REFUSED: Baton refused the ${reply.metadata.status} reply, and would refuse it again: ${errorText(error)}`;
    const succeeded = reply.metadata.status === 'SUCCESS' && !reply.metadata.outputDropped;
    logger.warn({ ...fields, status: error.status, ...(succeeded ? { outputDropped: true } : { nonRetryable: true }) },
      `${why}; replying ${succeeded ? 'SUCCESS without the output' : 'FAILED'} instead`);
    fail(why);
    const c = delivery.command;
    await delivery.settle(succeeded ? droppedReply(c, errorForReply(why)) : failedReply(c, { error: errorForReply(why), nonRetryable: true }));
  }
}

/** A FAILED reply, sent or replayed alike: `nonRetryable` only when true, as the reply always carried it. */
function failedReply(c: WireCommand, failure: RecordedFailure): WireReply {
  return replyTo(c, { status: 'FAILED', error: failure.error, nonRetryable: failure.nonRetryable || undefined });
}

/** The success of a handler whose output cannot be sent, without it: Baton unwinds the run, that step included. */
function droppedReply(c: WireCommand, because: string): WireReply {
  return replyTo(c, { status: 'SUCCESS', error: because, outputDropped: true });
}

/**
 * What a failed reply says of a handler's throw. An Error's message, or a string, says it all;
 * anything else (`throw {code: 42}`, `throw undefined`) would read "[object Object]" or
 * "undefined": it is printed as it is, and named as no Error.
 */
function failureText(thrown: unknown): string {
  if (isError(thrown) || typeof thrown === 'string') return errorText(thrown);
  return `the handler threw ${errorText(thrown)}, not an Error`;
}
