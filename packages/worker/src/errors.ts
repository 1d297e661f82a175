import { errorText } from './logger';

/**
 * Throw it from a handler when trying again cannot help (invalid input, a refused operation):
 * Baton fails the step at once instead of spending its remaining retries.
 */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}

/**
 * A handler returned what JSON cannot carry (a BigInt, a cycle), or would carry as something else
 * (NaN or a function as null, a Map as {}). Running it again would return the same, and could not
 * be recorded either; the handler's work is done, so its step is answered SUCCESS without the
 * output, and Baton unwinds the run, this step's undo included.
 */
export class OutputNotJsonError extends NonRetryableError {
  readonly code = 'OUTPUT_NOT_JSON';

  /** `why`: JSON.stringify's own error, or the path of the value and what JSON would make of it. */
  constructor(why: unknown) {
    super(`OUTPUT_NOT_JSON: the handler's output cannot be serialised as JSON: ${errorText(why)}`, why instanceof Error ? { cause: why } : undefined);
    this.name = 'OutputNotJsonError';
  }
}

/**
 * A handler returned an output Baton refuses (a NUL character, nesting past 100 levels, a reply
 * over `maxReplyBytes`). Sent, it would be refused at every delivery until the step timed out.
 * The handler's work is done, so its step is answered SUCCESS without the output, and Baton
 * unwinds the run, this step's undo included; the output is not recorded.
 */
export class OutputRefusedError extends NonRetryableError {
  readonly code = 'OUTPUT_REFUSED';

  constructor(why: string) {
    super(`OUTPUT_REFUSED: ${why}`);
    this.name = 'OutputRefusedError';
  }
}

/**
 * A handler still running after `handlerTimeoutMs`: the step fails (retryable, as Baton's retry
 * policy decides), and the handler's `cmd.signal` is aborted.
 */
export class HandlerTimeoutError extends Error {
  readonly code = 'HANDLER_TIMEOUT';

  constructor(readonly timeoutMs: number) {
    super(`HANDLER_TIMEOUT: the handler ran longer than handlerTimeoutMs (${timeoutMs} ms)`);
    this.name = 'HandlerTimeoutError';
  }
}

/**
 * The reason a handler's `cmd.signal` is aborted when Baton answers its heartbeat that the attempt
 * is no longer in flight (over HTTP): it timed out, or its run was terminated; or that it knows no
 * such command of the service (a 404). Its reply is then not applied: the handler may stop its
 * work (a success is still recorded, and replayed to the step's retry).
 */
export class AttemptEndedError extends Error {
  readonly code = 'ATTEMPT_ENDED';

  constructor(readonly attempt: number, why = 'it timed out, or its run was terminated') {
    super(`ATTEMPT_ENDED: Baton no longer waits for attempt ${attempt} (${why})`);
    this.name = 'AttemptEndedError';
  }
}

/**
 * The reason a handler's `cmd.signal` is aborted when Baton refuses its heartbeat with a 401 or a
 * 403 (over HTTP): the worker's key was revoked or expired, or no longer allows the service. Its
 * work is no longer authorised, and its reply would be refused as well.
 */
export class HeartbeatRefusedError extends Error {
  readonly code = 'HEARTBEAT_REFUSED';

  /** `said`: Baton's code and message (BatonHttpError.said). */
  constructor(readonly attempt: number, readonly status: number, said: string) {
    super(`HEARTBEAT_REFUSED: Baton refused the heartbeat of attempt ${attempt} with ${status} (${said}): this worker's key is no longer accepted for its service`);
    this.name = 'HeartbeatRefusedError';
  }
}

/**
 * start() on a worker that cannot start now: one already started (or starting), or one stopped.
 * A worker runs once: its transport, presence and signal handlers are not made to start again,
 * so a second start would poll beside the first, or poll on after stop(). Create a new worker.
 */
export class WorkerStateError extends Error {
  constructor(readonly code: 'WORKER_ALREADY_STARTED' | 'WORKER_STOPPED', why: string) {
    super(`${code}: ${why}`);
    this.name = 'WorkerStateError';
  }
}

/**
 * start() found that this worker's broker, exchange or reply topic is not Baton's (Baton says
 * which, asked first): it would wait for commands that go elsewhere, or reply where nobody reads.
 * Nothing is declared on the broker and nothing registered: start a worker with the settings named.
 */
export class WorkerRouteError extends Error {
  readonly code = 'ROUTE_MISMATCH';

  constructor(readonly problems: string[]) {
    super(`ROUTE_MISMATCH: this worker's broker settings are not Baton's: ${problems.join('; ')}`);
    this.name = 'WorkerRouteError';
  }
}

/**
 * A message on a command topic, or a lease's command, that is not a command the SDK can run: not
 * JSON, a field missing or of the wrong type, a deadline that is no date, a key PostgreSQL could
 * not store. It never will be one: the transport drops it (over HTTP), dead-letters it (RabbitMQ)
 * or skips it (Kafka), logged once, rather than running a handler that could not be recorded.
 */
export class MalformedCommandError extends Error {
  readonly code = 'MALFORMED_COMMAND';

  /** `fields`: the ids it carried, cut short, to find it by in the logs. */
  constructor(readonly problems: string[], readonly fields: Record<string, string> = {}) {
    super(`MALFORMED_COMMAND: ${problems.join('; ')}`);
    this.name = 'MalformedCommandError';
  }
}

/**
 * `worker.step()` was given a step it cannot serve: a template or step name Baton would refuse or
 * trim (its commands would never match), a definition without `do` or `objectType`, or a step
 * declared twice. Thrown at once, as found at run time each would fail every command of the step.
 */
export class StepDeclarationError extends Error {
  readonly code = 'INVALID_STEP';

  constructor(message: string) {
    super(message);
    this.name = 'StepDeclarationError';
  }
}
