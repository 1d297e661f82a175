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
      const refusal = heartbeatRefusal(error, attempt);
      if (refusal) end(refusal);
      // Not passed on to the handler: a heartbeat lost to a blip (Baton answering 503, a broker
      // reconnecting) does not end the attempt, and a handler failing for it would fail its step,
      // whose retry runs the work again. A later heartbeat, or the reply, may still pass.
      else failures.failed(error);
      return;
    }
    failures.succeeded();
    if (answer === 'ended') end(new AttemptEndedError(attempt));
  };
  // One at a time: a heartbeat still being retried (Baton answering 503) is not joined by the next
  // tick's, which would pile retries up against a Baton already struggling.
  let beating = false;
  const beat = () => {
    // Once stop() gave up on the handler and disconnected, a heartbeat can only fail: no command here to keep.
    if (deps.stopped()) {
      clearInterval(timer);
      return;
    }
    if (beating) return;
    beating = true;
    void heartbeat().finally(() => { beating = false; });
  };
  // Unref'd: a handler still running after stop() gave up on it (drainTimeoutMs) must not keep the
  // process alive through its heartbeats alone, which would also hold its command here for ever.
  const timer = deps.autoHeartbeatMs > 0 ? setInterval(beat, deps.autoHeartbeatMs).unref() : undefined;
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
