import type { Writable } from 'node:stream';

const BATCHED = Symbol('baton.turnWrites');

type Corkable = Writable & { [BATCHED]?: true };

/**
 * Makes what a RabbitMQ connection writes in one turn of the event loop leave in one `writev`.
 * amqplib's Mux writes every frame it has queued (a publish, an ack) with a write of its own, and
 * with Nagle off (noDelay: NOTES) each write is a syscall and a packet: at 32 runs in flight,
 * socket writes were 11-15% of the engine's busy time on RabbitMQ (test/bench/README.md, Round
 * seven). The socket is corked at a turn's first write and uncorked on the next tick, so nothing
 * waits for a timer or for a write that may not come. (kafkajs's connections showed no gain: a
 * turn rarely sends two requests on one of them.)
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
