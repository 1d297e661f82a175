import type { WireCommand, WireReply } from '../wire';
import { brokerDelivery } from './broker-delivery';

const command = { flowId: 'f1', idempotencyKey: 'f1:s:DO' } as WireCommand;
const reply = { flowId: 'f1' } as WireReply;

function onBroker(sendFails = false) {
  const log: string[] = [];
  const delivery = brokerDelivery({
    command,
    send: async () => { if (sendFails) throw new Error('no confirm'); log.push('sent'); },
    ack: async () => { log.push('ack'); },
    requeue: async () => { log.push('requeue'); },
  });
  return { delivery, log };
}

describe('brokerDelivery', () => {
  it('acknowledges once the reply is confirmed, and only once', async () => {
    const { delivery, log } = onBroker();
    await delivery.settle(reply);
    await delivery.abandon!();
    expect(log).toEqual(['sent', 'ack']);
  });

  it('hands the message back when its reply is not confirmed, and abandoning it afterwards changes nothing', async () => {
    const { delivery, log } = onBroker(true);
    await expect(delivery.settle(reply)).rejects.toThrow('no confirm');
    await delivery.abandon!();
    expect(log).toEqual(['requeue']);
  });

  it('hands the message back when handling failed before any reply', async () => {
    const { delivery, log } = onBroker();
    await delivery.abandon!();
    await delivery.drop();
    expect(log).toEqual(['requeue']);
  });
});
