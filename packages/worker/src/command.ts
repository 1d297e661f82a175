import type { WireCommand } from './wire';

/** What a step handler receives: one attempt of one DO or UNDO. */
export interface StepCommand<P = unknown> {
  flowId: string;
  orchName: string;
  step: string;
  action: 'DO' | 'UNDO';
  /** 1 for the first attempt; grows with every retry Baton makes. */
  attempt: number;
  /** The run payload, decoded: JSON as a value, text as a string, binary as a Buffer. */
  payload: P;
  /** Outputs of the steps that have succeeded so far, by step name. */
  outputs: Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- each step's output is the handler's own shape
  correlationId: string;
  /** Stable per (flowId, step, action) across retries and redeliveries: key your side effects by it. */
  idempotencyKey: string;
  /** After this the attempt is void; a heartbeat moves it forward. */
  deadline: Date;
  objectType: string;
  /**
   * Tells Baton this attempt is alive: it moves the deadline forward by the step's timeout (by its
   * heartbeatSeconds when declared, up to a declared timeoutSeconds from dispatch). It does not
   * reject when the heartbeat cannot be sent (Baton answering 503, a broker reconnecting): that is
   * logged, and the handler goes on. That Baton no longer waits for the attempt is told through
   * {@link signal}.
   */
  heartbeat(): Promise<void>;
  /**
   * Aborted when the worker gives up on this handler (`handlerTimeoutMs`), or, over HTTP, when Baton
   * answers a heartbeat that it no longer waits for the attempt or knows no such command
   * (AttemptEndedError), or refuses it with a 401 or 403 (HeartbeatRefusedError): pass it to fetch
   * and the like.
   */
  signal: AbortSignal;
}

export function decodePayload(c: Pick<WireCommand, 'payload' | 'payloadEncoding'>): unknown {
  if (c.payloadEncoding === 'base64' && typeof c.payload === 'string') return Buffer.from(c.payload, 'base64');
  return c.payload;
}

export function toStepCommand(c: WireCommand, heartbeat: () => Promise<void>, signal: AbortSignal): StepCommand {
  return {
    flowId: c.flowId, orchName: c.orchName, step: c.stepName, action: c.action, attempt: c.attempt,
    payload: decodePayload(c), outputs: c.outputs ?? {}, correlationId: c.correlationId,
    idempotencyKey: c.idempotencyKey, deadline: new Date(c.deadline), objectType: c.objectType, heartbeat, signal,
  };
}
