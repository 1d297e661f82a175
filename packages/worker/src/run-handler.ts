import { toStepCommand, type StepCommand } from './command';
import { AttemptEndedError, HandlerTimeoutError, HeartbeatRefusedError } from './errors';
import { FailureStreak } from './failure-streak';
import { heartbeatRefusal } from './heartbeat-refusal';
import type { WorkerLogger } from './logger';
import type { Delivery } from './transports/transport';
import { replyTo } from './wire';

export type StepFn = (cmd: StepCommand) => unknown;

export interface RunDeps {
  logger: WorkerLogger;
  /** Sends a heartbeat this often while a handler runs; 0 = only when the handler calls `heartbeat()`. */
  autoHeartbeatMs: number;
  /** Fails the step of a handler still running after this long; 0 = no limit. */
  handlerTimeoutMs?: number;
  /** Whether the worker has stopped (disconnected): heartbeats then stop, and a reply that fails failed for that. */
  stopped(): boolean;
}

/** A handler's end: its output, or what it threw; `late` is a handler given up on (handlerTimeoutMs) that still runs. */
export type Outcome = { ok: true; output: unknown } | { ok: false; error: unknown; late?: Promise<unknown> };

/** What the timer resolves to: no handler can return it. */
const EXPIRED = Symbol('expired');

/**
 * The longest `await cmd.heartbeat()` waits for its heartbeat: one that is retried (over HTTP,
 * through Baton's 503s for as long as the lease lasts, nearly a minute) goes on in the background,
 * and the handler goes on with its work, as heartbeat() promises.
 */
export const HEARTBEAT_WAIT_MS = 2000;

/** Runs one handler with its heartbeats, its signal and its time limit. */
export async function run(fn: StepFn, delivery: Delivery, deps: RunDeps): Promise<Outcome> {
  const abort = new AbortController();
  const { flowId, stepName, action, attempt, correlationId } = delivery.command;
  const fields = { flowId, step: stepName, action, attempt, correlationId };
  // A failing heartbeat is logged once until one passes again: a handler beating every second
  // through a minute's outage would otherwise write sixty lines.
  const failures = new FailureStreak(deps.logger, fields,
    'heartbeat failed, the handler goes on (the attempt ends only when Baton says so, or at its deadline)', 'heartbeats pass again');
  /** Set once Baton said the attempt is over for this handler: nothing it does now counts. */
  let over = false;
  /**
   * Set once the handler returned, threw or was given up on: a heartbeat answered after its reply
   * (Baton: not in flight, 404) says nothing of an attempt that already ended, and must not abort
   * the signal of a step that succeeded, nor log that Baton gave up on it.
   */
  let settled = false;
  // The handler is told through its signal, once, and the heartbeats stop: more would only be
  // answered the same, and a refused key's each count against Baton's auth-failure limiter.
  const end = (reason: AttemptEndedError | HeartbeatRefusedError) => {
    over = true;
    clearInterval(timer);
    if (abort.signal.aborted) return;
    // A refused key is an operator's to cure: an error, where an attempt Baton ended is a warning.
    deps.logger[reason instanceof HeartbeatRefusedError ? 'error' : 'warn'](fields, `${reason.message}: its cmd.signal is aborted`);
    abort.abort(reason);
  };
  const heartbeat = async () => {
    if (over) return;
    let answer;
    try {
      answer = await delivery.heartbeat(replyTo(delivery.command, { status: 'HEARTBEAT', error: null }));
    } catch (error) {
      if (settled) return;
      const refusal = heartbeatRefusal(error, attempt);
      if (refusal) end(refusal);
      // Not passed on to the handler: a heartbeat lost to a blip (Baton answering 503, a broker
      // reconnecting) does not end the attempt, and a handler failing for it would fail its step,
      // whose retry runs the work again. A later heartbeat, or the reply, may still pass.
      else failures.failed(error);
      return;
    }
    if (settled) return;
    failures.succeeded();
    if (answer === 'ended') end(new AttemptEndedError(attempt));
  };
  // One at a time: a heartbeat still being retried (Baton answering 503) is joined by the next
  // tick's or the handler's, which would otherwise pile retries up against a Baton already struggling.
  let out: Promise<void> | undefined;
  /** Resolves when the heartbeat out is answered, or after HEARTBEAT_WAIT_MS while it goes on. */
  const beat = (): Promise<void> => {
    if (!out) {
      let bound: NodeJS.Timeout | undefined;
      const sent = heartbeat().finally(() => {
        out = undefined;
        clearTimeout(bound);
      });
      // Unref'd: a wait cut short must not hold the process either.
      out = Promise.race([sent, new Promise<void>((resolve) => { bound = setTimeout(resolve, HEARTBEAT_WAIT_MS).unref(); })]);
    }
    return out;
  };
  const tick = () => {
    // Once stop() gave up on the handler and disconnected, a heartbeat can only fail: no command here to keep.
    if (deps.stopped()) clearInterval(timer);
    else void beat();
  };
  // Unref'd: a handler still running after stop() gave up on it (drainTimeoutMs) must not keep the
  // process alive through its heartbeats alone, which would also hold its command here for ever.
  const timer = deps.autoHeartbeatMs > 0 ? setInterval(tick, deps.autoHeartbeatMs).unref() : undefined;
  const handler = Promise.resolve().then(() => fn(toStepCommand(delivery.command, beat, abort.signal)));
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
    settled = true;
    if (timer) clearInterval(timer);
    clearTimeout(expiry);
  }
}
