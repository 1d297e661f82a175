import { Socket } from 'node:net';
import type { KafkaSocketFactory } from './kafka-shapes';
import { noDelaySocketFactory } from './kafka-socket';

/**
 * The sockets of one kafkajs client, so that a close whose bounds ran out can end what is left.
 * kafkajs ends a connection only once its requests were answered or timed out (30 s each, retried),
 * so against a broker that does not answer (frozen, or a path that drops packets) a consumer's leave
 * or a producer's disconnect goes on for minutes after close() stopped waiting for it: its sockets
 * and request timers keep the process alive, its retries log errors after the client said it
 * stopped, and kafkajs may even restart a consumer that crashed meanwhile. Baton's Kafka driver and
 * the SDK's Kafka transport each keep one per client.
 */
export class KafkaConnections {
  private readonly sockets = new Set<Socket>();
  private closed = false;

  /** kafkajs's `socketFactory`: the shared no-delay sockets, failing at once once closed. */
  readonly socketFactory: KafkaSocketFactory = (options) => {
    if (this.closed) {
      // Never connected. The error is emitted on the next tick, once kafkajs listens.
      return new Socket().destroy(new Error('Kafka client closed'));
    }
    const socket = noDelaySocketFactory(options);
    this.sockets.add(socket);
    socket.once('close', () => this.sockets.delete(socket));
    return socket;
  };

  /**
   * kafkajs's `brokers`: `list` while open, none once closed. Each connection kafkajs retries after
   * a close fails at once (socketFactory), but as a connection error, which its retrier waits out
   * on a timer of its own (about 10 s at its default backoff) that no option can cancel: the
   * process could not exit meanwhile. To connect again kafkajs asks for the brokers, and an empty
   * list is a configuration error it does not retry, so what is left (a reply or a leave cut
   * short) fails at its next connection instead. While open, kafkajs gets `list` as before.
   */
  brokersOf(list: string[]): () => string[] {
    return () => (this.closed ? [] : list);
  }

  /** Whether kafkajs's lines are worth logging: not those about connections ended on purpose. */
  get isOpen(): boolean {
    return !this.closed;
  }

  /** Connections may be opened again: a driver connected again after its close. */
  open(): void {
    this.closed = false;
  }

  /**
   * Ends every socket still open and refuses new ones, so what kafkajs still runs fails at once and
   * winds down: a request in flight is failed now, rather than at its timeout. kafkajs learns of a
   * socket's end only from 'end' or 'error' (it ignores 'close'), hence the error on the ones it
   * has not ended itself.
   */
  close(): void {
    this.closed = true;
    for (const socket of this.sockets) {
      socket.destroy(socket.writableEnded ? undefined : new Error('Kafka client closed'));
    }
  }
}
