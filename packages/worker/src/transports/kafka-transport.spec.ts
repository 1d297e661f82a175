import { Kafka, type EachMessagePayload } from 'kafkajs';
import { Slots } from '../slots';
import type { WireReply } from '../wire';
import { KafkaTransport } from './kafka-transport';
import type { Delivery } from './transport';

/** kafkajs's clients, stood in for at the Kafka class the transport builds them from. */
function fakeKafka() {
  const producers: Array<{ connect: jest.Mock; send: jest.Mock; disconnect: jest.Mock }> = [];
  let eachMessage!: (payload: EachMessagePayload) => Promise<void>;
  jest.spyOn(Kafka.prototype, 'admin').mockReturnValue({
    connect: async () => undefined, disconnect: async () => undefined, listTopics: async () => ['orchestrator.commands.shop'],
  } as never);
  jest.spyOn(Kafka.prototype, 'consumer').mockReturnValue({
    connect: async () => undefined, subscribe: async () => undefined, disconnect: async () => undefined,
    run: async (config: { eachMessage: typeof eachMessage }) => void (eachMessage = config.eachMessage),
    seek: jest.fn(), commitOffsets: async () => undefined,
  } as never);
  jest.spyOn(Kafka.prototype, 'producer').mockImplementation(() => {
    const producer = { connect: jest.fn(async () => undefined), send: jest.fn(async () => []), disconnect: jest.fn(async () => undefined) };
    producers.push(producer);
    return producer as never;
  });
  const command = (offset: string) => ({
    topic: 'orchestrator.commands.shop', partition: 0,
    message: { offset, headers: {}, value: Buffer.from(JSON.stringify({
      flowId: `f${offset}`, orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: `c${offset}`, objectType: 'Order',
      payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: 'k', idempotencyKey: `i${offset}`,
      deadline: new Date(Date.now() + 60_000).toISOString(),
    })) },
  }) as unknown as EachMessagePayload;
  return { producers, deliver: (offset: string) => eachMessage(command(offset)) };
}

describe('KafkaTransport', () => {
  afterEach(() => jest.restoreAllMocks());

  it('replaces its producer after a failed reply, once, and sends the next reply on the new one', async () => {
    const { producers, deliver } = fakeKafka();
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const transport = new KafkaTransport('shop', { brokers: ['127.0.0.1:1'] }, logger);
    const deliveries: Delivery[] = [];
    await transport.prepare();
    await transport.start((d) => deliveries.push(d), new Slots(2));
    void deliver('1');
    void deliver('2');
    expect(producers).toHaveLength(1);
    producers[0].send.mockRejectedValue(new Error('Connection error: ECONNREFUSED'));
    const reply = (d: Delivery) => ({ flowId: d.command.flowId, metadata: { status: 'SUCCESS' } }) as WireReply;
    const settled = await Promise.allSettled(deliveries.map((d) => d.settle(reply(d))));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    // Two replies failed on the same producer: one replacement, and the failed one let go.
    expect(producers).toHaveLength(2);
    expect(producers[0].disconnect).toHaveBeenCalled();
    void deliver('1');
    await deliveries[2].settle(reply(deliveries[2]));
    expect(producers[1].connect).toHaveBeenCalledTimes(1);
    expect(producers[1].send).toHaveBeenCalledTimes(1);
  });
});
