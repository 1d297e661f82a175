import type { ChannelModel } from 'amqplib';
import type { Writable } from 'node:stream';

const BATCHED = Symbol('baton.turnWrites');

type Corkable = Writable & { [BATCHED]?: true };

/**
 * Makes what a connection writes in one turn of the event loop leave in one `writev`. amqplib's
 * Mux writes every frame it has queued (a publish, an ack, a reply) to the socket with a write of
 * its own, and with Nagle off (noDelay: NOTES) each write is a syscall and a packet: at 32 runs in
 * flight, `writeBuffer` was 17.7% of the engine's busy time on RabbitMQ (test/bench/README.md,
 * Round seven). The socket is corked at a turn's first write and uncorked on the next tick, so
 * nothing waits for a timer or for a write that may not come.
 *
 * amqplib keeps the socket as its connection's untyped `stream`: false when it no longer does
 * (the connection is then left as it is). Called on every (re)connect, with the new socket.
 */
export function writeTurnsWhole(model: ChannelModel): boolean {
  const stream = (model.connection as unknown as { stream?: unknown }).stream;
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
