import type { Slots } from '../slots';
import type { BrokerRoute } from './broker-route';
import type { TraceHeaders } from '../tracing';
import type { WireCommand, WireReply } from '../wire';

/** One command handed to the worker; the transport acknowledges it only through `settle` or `drop`. */
export interface Delivery {
  command: WireCommand;
  /** The trace context the command came with (empty when Baton traces nothing). */
  trace?: TraceHeaders;
  /**
   * How far the clock of the Baton that handed the command over runs ahead of this process's (its
   * answer's Date header, to the second), when known: the command's deadline is by Baton's clock.
   */
  batonClockAheadMs?: number;
  /** Sends the reply; resolves once Baton or the broker confirmed it, and only then acknowledges. */
  settle(reply: WireReply): Promise<void>;
  /** Acknowledges without a reply (an expired command). */
  drop(): Promise<void>;
  /**
   * Sends a HEARTBEAT reply (and, over HTTP, renews the lease). Resolves to `ended` when Baton
   * answered that the attempt is no longer in flight (over HTTP: it timed out, or its run was
   * terminated); brokers carry no answer.
   */
  heartbeat(reply: WireReply): Promise<'ended' | void>;
  /**
   * Gives the command back to be delivered again, when handling it failed before any reply (the
   * result store was unreachable). Without it the command returns only when the connection or the
   * lease ends. Called at most once, and only after `settle` failed or was never called.
   */
  abandon?(): Promise<void>;
}

/** Moves commands in and replies out. It takes a command only while `slots` has a free one. */
export interface Transport {
  /** Extra fields of the worker's registration document (e.g. its topic). */
  readonly registration?: Record<string, string>;
  /** On a broker: the broker, reply topic and exchange it uses, which must be Baton's (checked at start, broker-route.ts). */
  readonly route?: BrokerRoute;
  /** The largest reply, as bytes of JSON, Baton takes through this transport by default (see output-rules). */
  readonly maxReplyBytes?: number;
  /** Before registration: makes sure no command sent right after it can be missed (declares the queue, opens the poll). */
  prepare?(): Promise<void>;
  start(receive: (delivery: Delivery) => void, slots: Slots): Promise<void>;
  /** Takes nothing new; resolves once the transport no longer fetches (deliveries may still settle). */
  pause(): Promise<void>;
  /** Disconnects, after every delivery settled. */
  close(): Promise<void>;
}
