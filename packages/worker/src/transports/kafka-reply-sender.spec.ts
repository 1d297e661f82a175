import type { Producer } from 'kafkajs';
import { KafkaReplySender } from './kafka-reply-sender';

function producers() {
  const made: Array<{ connect: jest.Mock; send: jest.Mock; disconnect: jest.Mock }> = [];
  const newProducer = () => {
    const p = { connect: jest.fn(async () => undefined), send: jest.fn(async () => []), disconnect: jest.fn(async () => undefined) };
    made.push(p);
    return p as unknown as Producer;
  };
  return { made, newProducer };
}

const reply = (n: number, bytes = 10) => ({ key: `f${n}`, value: 'x'.repeat(bytes) });
const sentKeys = (send: jest.Mock) => send.mock.calls.map(([r]) => (r as { messages: Array<{ key: string }> }).messages.map((m) => m.key));

describe('KafkaReplySender', () => {
  it('sends the replies of one turn in one request, and those that come while it is out in the next', async () => {
    const { made, newProducer } = producers();
    const sender = new KafkaReplySender(newProducer, 'orchestrator.reply');
    let answer!: () => void;
    made[0].send.mockImplementationOnce(() => new Promise((resolve) => (answer = () => resolve([]))));
    const first = [sender.send(reply(1)), sender.send(reply(2))];
    await new Promise((resolve) => setImmediate(resolve));
    const second = [sender.send(reply(3)), sender.send(reply(4)), sender.send(reply(5))];
    await new Promise((resolve) => setImmediate(resolve));
    expect(sentKeys(made[0].send)).toEqual([['f1', 'f2']]); // one request out at a time
    answer();
    await Promise.all([...first, ...second]);
    expect(sentKeys(made[0].send)).toEqual([['f1', 'f2'], ['f3', 'f4', 'f5']]);
    expect(made[0].send.mock.calls[0][0]).toMatchObject({ topic: 'orchestrator.reply', acks: -1 });
    expect(made[0].connect).toHaveBeenCalledTimes(1);
  });

  it('fails each reply of a failed request, replaces the producer once, and sends the next on the new one', async () => {
    const { made, newProducer } = producers();
    const sender = new KafkaReplySender(newProducer, 'orchestrator.reply');
    made[0].send.mockRejectedValueOnce(new Error('Connection error: ECONNREFUSED'));
    const settled = await Promise.allSettled([sender.send(reply(1)), sender.send(reply(2))]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(made).toHaveLength(2);
    expect(made[0].disconnect).toHaveBeenCalled();
    await sender.send(reply(3));
    expect(sentKeys(made[1].send)).toEqual([['f3']]);
    expect(made[1].connect).toHaveBeenCalledTimes(1);
  });

  it('keeps each request under its bounds, in order', async () => {
    const { made, newProducer } = producers();
    const sender = new KafkaReplySender(newProducer, 'orchestrator.reply');
    await Promise.all(Array.from({ length: 502 }, (_, i) => sender.send(reply(i))));
    expect(sentKeys(made[0].send).map((keys) => keys.length)).toEqual([500, 2]);
    // 512 KiB at most, unless one reply alone is larger: 600, then 300 + 200, then 400 KiB.
    await Promise.all([600, 300, 200, 400].map((kib, i) => sender.send(reply(i, kib * 1024))));
    expect(sentKeys(made[0].send).slice(2).map((keys) => keys.length)).toEqual([1, 2, 1]);
    expect(sentKeys(made[0].send).flat().slice(0, 502)).toEqual(Array.from({ length: 502 }, (_, i) => `f${i}`));
  });
});
