import type { Writable } from 'node:stream';

const BATCHED = Symbol('baton.turnWrites');

type Corkable = Writable & { [BATCHED]?: true };

/**
 * Makes what a RabbitMQ connection writes in one turn of the event loop leave in one `writev`.
 * amqplib's Mux writes every frame it has queued (a publish, an ack) with a write of its own, and
 * with Nagle off (noDelay) each write is a syscall and a packet. Under load that adds up: socket
 * writes were 11-15% of Baton's busy time on RabbitMQ, and a worker with 64 commands in flight
 * spent about twice the kernel time without it (test/bench/README.md, Rounds seven and ten). The
 * socket is corked at a turn's first write and uncorked on the next tick, so nothing waits for a
 * timer or for a write that may not come. (kafkajs's connections showed no gain: a turn rarely
 * sends two requests on one of them.) Baton's own RabbitMQ driver uses it too; a connection that
 * reconnects has a new socket each time, so apply it on every connect.
 *
 * False, leaving it as it is, when `stream` is not a stream that corks. Idempotent.
 */
export function writeTurnsWhole(stream: unknown): boolean {
  if (!corkable(stream)) return false;
  if (stream[BATCHED]) return true;
  stream[BATCHED] = true;
  const write = stream.write.bind(stream) as Writable['write'];
  let corked = false;
  const uncork = () => {
    corked = false;
    stream.uncork();
  };
  stream.write = ((...args: Parameters<Writable['write']>) => {
    if (!corked) {
      corked = true;
      stream.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  }) as Writable['write'];
  return true;
}

function corkable(stream: unknown): stream is Corkable {
  const s = stream as Partial<Writable> | undefined;
  return typeof s?.write === 'function' && typeof s.cork === 'function' && typeof s.uncork === 'function';
}

/**
 * amqplib keeps a connection's socket as its untyped `stream` (amqplib creates it; no option hands
 * it in). Typed by shape, so the SDK's declarations need no amqplib types; a `ChannelModel` fits.
 */
export function amqpSocketOf(model: { connection: unknown }): unknown {
  return (model.connection as unknown as { stream?: unknown }).stream;
}
