import { setTimeout as sleep } from 'node:timers/promises';
import type { TraceHeaders } from '../tracing';
import type { WireCommand, WireReply } from '../wire';
import type { Delivery } from './transport';

/** How long a broker transport waits before giving a command back, so a failing store is not retried in a tight loop. */
export const REDELIVERY_DELAY_MS = 1000;

export interface BrokerMessage {
  command: WireCommand;
  trace?: TraceHeaders;
  /** Publishes a reply; resolves once the broker confirmed it. */
  send(reply: WireReply): Promise<void>;
  /** Acknowledges the message (an ack, an offset commit). */
  ack(): Promise<void>;
  /** Hands the message back to be delivered again (a nack with requeue, a seek back). */
  requeue(): Promise<void>;
}

/**
 * A delivery on a broker: acknowledged once its reply is confirmed, handed back (after a moment)
 * when the reply fails or handling failed before one, and never both: the SDK abandons a delivery
 * whose settle failed, and AMQP closes a channel that settles one message twice.
 */
export function brokerDelivery({ command, trace, send, ack, requeue }: BrokerMessage): Delivery {
  let done = false;
  const finish = async (action: () => Promise<void>) => {
    if (done) return;
    done = true;
    await action();
  };
  const giveBack = () => finish(async () => {
    await sleep(REDELIVERY_DELAY_MS); // not at once: the store or broker that failed needs a moment
    await requeue();
  });
  return {
    command, trace,
    settle: async (reply) => {
      try {
        await send(reply);
      } catch (error) {
        await giveBack();
        throw error;
      }
      await finish(ack);
    },
    drop: () => finish(ack),
    heartbeat: send,
    abandon: giveBack,
  };
}
