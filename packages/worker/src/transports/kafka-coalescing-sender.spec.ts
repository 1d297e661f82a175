import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSProtocolError, type Producer } from 'kafkajs';
import { KafkaCoalescingSender, type CoalescingSenderOptions } from './kafka-coalescing-sender';

/** Producers whose sendBatch answers as `answer` (by default, acknowledges). */
function producers(answer: (request: Request) => Promise<unknown> = async () => []) {
  const made: Array<{ connect: jest.Mock; sendBatch: jest.Mock; disconnect: jest.Mock }> = [];
  const newProducer = () => {
    const p = { connect: jest.fn(async () => undefined), sendBatch: jest.fn(answer), disconnect: jest.fn(async () => undefined) };
    made.push(p);
    return p as unknown as Producer;
  };
  return { made, newProducer };
}

const bounds: CoalescingSenderOptions = { maxMessages: 500, maxBytes: 512 * 1024, timeoutMs: 30_000 };
const message = (n: number, bytes = 10, topic = 'orchestrator.reply') => ({ topic, message: { key: `f${n}`, value: 'x'.repeat(bytes) } });
type Request = { topicMessages: Array<{ topic: string; messages: Array<{ key: string }> }>; acks: number };
const sentKeys = (sendBatch: jest.Mock) => sendBatch.mock.calls.map(([r]) => (r as Request).topicMessages.flatMap((t) => t.messages.map((m) => m.key)));
const turn = () => new Promise((resolve) => setImmediate(resolve));
/** As kafkajs's sendBatch fails (its retrier's wrapping) when the broker refuses a message over the topic's max.message.bytes. */
const tooLarge = () => {
  const answer = new KafkaJSProtocolError(Object.assign(new Error('The request included a message larger than the max message size the server will accept'), {
    type: 'MESSAGE_TOO_LARGE', code: 10, retriable: false,
  }));
  return Object.assign(new KafkaJSNonRetriableError(answer), { cause: answer }); // kafkajs's types leave `cause` out
};
/** As kafkajs's sendBatch fails when the client may not write to a topic. */
const denied = () => {
  const answer = new KafkaJSProtocolError(Object.assign(new Error('Not authorized to access topics: [Topic authorization failed]'), {
    type: 'TOPIC_AUTHORIZATION_FAILED', code: 29, retriable: false,
  }));
  return Object.assign(new KafkaJSNonRetriableError(answer), { cause: answer });
};
/** A broker that refuses any request to `topic`. */
const denying = (topic: string) => async (request: Request) => {
  if (request.topicMessages.some((t) => t.topic === topic)) throw denied();
  return [];
};
/** A broker that refuses any request holding a message of `refusedKey` (it answers for the whole request). */
const refusing = (refusedKey: string) => async (request: Request) => {
  if (request.topicMessages.some((t) => t.messages.some((m) => m.key === refusedKey))) throw tooLarge();
  return [];
};
const statuses = (settled: PromiseSettledResult<unknown>[]) => settled.map((s) => s.status);

describe('KafkaCoalescingSender', () => {
  it('sends the sends of one turn in one request, and those that come while it is out in the next', async () => {
    const { made, newProducer } = producers();
    const sender = new KafkaCoalescingSender(newProducer, bounds);
    let answer!: () => void;
    made[0].sendBatch.mockImplementationOnce(() => new Promise((resolve) => (answer = () => resolve([]))));
    const first = [sender.send([message(1)]), sender.send([message(2)])];
    await turn();
    const second = [sender.send([message(3)]), sender.send([message(4), message(5)])];
    await turn();
    expect(sentKeys(made[0].sendBatch)).toEqual([['f1', 'f2']]); // one request out at a time
    answer();
    await Promise.all([...first, ...second]);
    expect(sentKeys(made[0].sendBatch)).toEqual([['f1', 'f2'], ['f3', 'f4', 'f5']]);
    expect(made[0].sendBatch.mock.calls[0][0]).toMatchObject({ acks: -1, topicMessages: [{ topic: 'orchestrator.reply' }] });
    expect(made[0].connect).toHaveBeenCalledTimes(1);
  });

  it('groups a request by topic, and runs beforeRequest with its topics first', async () => {
    const { made, newProducer } = producers();
    const beforeRequest = jest.fn(async () => undefined);
    const sender = new KafkaCoalescingSender(newProducer, { ...bounds, beforeRequest });
    await sender.send([message(1, 10, 'a'), message(2, 10, 'b'), message(3, 10, 'a')]);
    expect(beforeRequest).toHaveBeenCalledWith(['a', 'b']);
    expect((made[0].sendBatch.mock.calls[0][0] as Request).topicMessages.map((t) => [t.topic, t.messages.map((m) => m.key)]))
      .toEqual([['a', ['f1', 'f3']], ['b', ['f2']]]);
  });

  it('fails each send of a failed request, replaces the producer once, and sends the next on the new one', async () => {
    const { made, newProducer } = producers();
    const sender = new KafkaCoalescingSender(newProducer, bounds);
    made[0].sendBatch.mockRejectedValueOnce(new Error('Connection error: ECONNREFUSED'));
    const settled = await Promise.allSettled([sender.send([message(1)]), sender.send([message(2)])]);
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    expect(made).toHaveLength(2);
    expect(made[0].disconnect).toHaveBeenCalled();
    await sender.send([message(3)]);
    expect(sentKeys(made[1].sendBatch)).toEqual([['f3']]);
    expect(made[1].connect).toHaveBeenCalledTimes(1);
  });

  it('keeps each request under its bounds, in order, and settles a send only with its last message', async () => {
    const { made, newProducer } = producers();
    const sender = new KafkaCoalescingSender(newProducer, bounds);
    await Promise.all(Array.from({ length: 502 }, (_, i) => sender.send([message(i)])));
    expect(sentKeys(made[0].sendBatch).map((keys) => keys.length)).toEqual([500, 2]);
    // 512 KiB at most, unless one message alone is larger: 600, then 300 + 200, then 400 KiB.
    await Promise.all([600, 300, 200, 400].map((kib, i) => sender.send([message(i, kib * 1024)])));
    expect(sentKeys(made[0].sendBatch).slice(2).map((keys) => keys.length)).toEqual([1, 2, 1]);
    expect(sentKeys(made[0].sendBatch).flat().slice(0, 502)).toEqual(Array.from({ length: 502 }, (_, i) => `f${i}`));
    // One send of 1,200 goes in three requests, the second of which fails: the send fails, the next one is untouched.
    made[0].sendBatch.mockClear();
    made[0].sendBatch.mockResolvedValueOnce([]).mockRejectedValueOnce(new Error('Request timed out'));
    const large = sender.send(Array.from({ length: 1200 }, (_, i) => message(i)));
    const next = sender.send([message(9999)]);
    await expect(large).rejects.toThrow('Request timed out');
    await next;
    expect(sentKeys(made[0].sendBatch).map((keys) => keys.length)).toEqual([500, 500]);
    expect(sentKeys(made[1].sendBatch)).toEqual([['f9999']]); // untouched by the failure, sent on the new producer
  });

  it('fails a request not acknowledged in time, and replaces its producer', async () => {
    jest.useFakeTimers();
    try {
      const { made, newProducer } = producers();
      const sender = new KafkaCoalescingSender(newProducer, { ...bounds, timeoutMs: 1000 });
      made[0].sendBatch.mockImplementationOnce(() => new Promise(() => undefined));
      const sent = sender.send([message(1)]);
      const outcome = sent.catch((error: Error) => error.message);
      await jest.advanceTimersByTimeAsync(1000);
      expect(await outcome).toBe('Kafka send: no answer within 1000 ms');
      expect(made).toHaveLength(2);
    } finally {
      jest.useRealTimers();
    }
  });

  it('settles a send split over requests with its last one, which it shares with the next send', async () => {
    const { made, newProducer } = producers();
    const sender = new KafkaCoalescingSender(newProducer, { ...bounds, maxMessages: 3 });
    const settled: string[] = [];
    const a = sender.send([1, 2, 3, 4, 5].map((n) => message(n))).then(() => void settled.push('a'));
    const b = sender.send([6, 7].map((n) => message(n))).then(() => void settled.push('b'));
    await Promise.all([a, b]);
    expect(sentKeys(made[0].sendBatch)).toEqual([['f1', 'f2', 'f3'], ['f4', 'f5', 'f6'], ['f7']]);
    expect(settled).toEqual(['a', 'b']);
  });

  it('fails the sends of a request whose beforeRequest failed, and sends the next', async () => {
    const { made, newProducer } = producers();
    const beforeRequest = jest.fn().mockRejectedValueOnce(new Error('topic not created')).mockResolvedValue(undefined);
    const sender = new KafkaCoalescingSender(newProducer, { ...bounds, beforeRequest });
    await expect(sender.send([message(1)])).rejects.toThrow('topic not created');
    await sender.send([message(2)]);
    expect(sentKeys(made[1].sendBatch)).toEqual([['f2']]);
  });

  it('fails every send waiting when no new producer can be made, and serves later sends', async () => {
    let calls = 0;
    const producer = { connect: jest.fn(async () => undefined), sendBatch: jest.fn(), disconnect: jest.fn(async () => undefined) };
    const sender = new KafkaCoalescingSender(() => {
      if (calls++ === 1) throw new Error('invalid producer options');
      return producer as unknown as Producer;
    }, bounds);
    producer.sendBatch.mockRejectedValueOnce(new Error('Connection error')).mockResolvedValue([]);
    const settled = await Promise.allSettled([sender.send([message(1)]), sender.send([message(2)])]);
    expect(settled.map((s) => s.status === 'rejected' && (s.reason as Error).message)).toEqual(['invalid producer options', 'invalid producer options']);
    await sender.send([message(3)]);
    expect(sentKeys(producer.sendBatch).at(-1)).toEqual(['f3']);
  });

  it('connects no producer after a disconnect while a request is out, and sends again once connected', async () => {
    const { made, newProducer } = producers();
    const sender = new KafkaCoalescingSender(newProducer, bounds);
    await sender.connect();
    let fail!: () => void;
    made[0].sendBatch.mockImplementationOnce(() => new Promise((_, reject) => (fail = () => reject(new Error('The producer is disconnected')))));
    const out = sender.send([message(1)]);
    await turn();
    const behind = sender.send([message(2)]);
    await sender.disconnect();
    fail();
    await expect(out).rejects.toThrow('The producer is disconnected');
    await expect(behind).rejects.toThrow('Kafka sender closed');
    expect(made.slice(1).map((p) => p.connect.mock.calls.length)).toEqual([0]);
    await sender.connect();
    await sender.send([message(3)]);
    expect(sentKeys(made[1].sendBatch)).toEqual([['f3']]);
  });

  describe('a request the broker refuses', () => {
    it('fails only the refused send: the others of its request go again one by one, and out', async () => {
      const { made, newProducer } = producers(refusing('f2'));
      const sender = new KafkaCoalescingSender(newProducer, bounds);
      const settled = await Promise.allSettled([1, 2, 3].map((n) => sender.send([message(n)])));
      expect(statuses(settled)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect((settled[1] as PromiseRejectedResult).reason).toBeInstanceOf(KafkaJSNonRetriableError);
      expect(made.flatMap((p) => sentKeys(p.sendBatch))).toEqual([['f1', 'f2', 'f3'], ['f1'], ['f2'], ['f3']]);
      // Replaced after the request of three, which the broker may have written in part; not after f2 alone, refused whole.
      expect(made.map((p) => sentKeys(p.sendBatch))).toEqual([[['f1', 'f2', 'f3']], [['f1'], ['f2'], ['f3']]]);
      await sender.send([message(4)]); // and the sender goes on
      expect(made.flatMap((p) => sentKeys(p.sendBatch)).at(-1)).toEqual(['f4']);
    });

    it('replaces the producer after each send apart refused that the broker may have written in part', async () => {
      // kafkajs takes back the sequence numbers of f3's partition too: f4 on the same producer could be dropped as a duplicate.
      const { made, newProducer } = producers(refusing('f2'));
      const sender = new KafkaCoalescingSender(newProducer, bounds);
      const settled = await Promise.allSettled([sender.send([message(1)]), sender.send([message(2), message(3)]), sender.send([message(4)])]);
      expect(statuses(settled)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(made.map((p) => sentKeys(p.sendBatch))).toEqual([[['f1', 'f2', 'f3', 'f4']], [['f1'], ['f2', 'f3']], [['f4']]]);
    });

    it('fails every send to a topic refused as a whole with one request, and one new producer', async () => {
      const { made, newProducer } = producers(denying('denied'));
      const sender = new KafkaCoalescingSender(newProducer, bounds);
      const settled = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => sender.send([message(i, 10, 'denied')])));
      expect(settled.every((s) => s.status === 'rejected' && (s.reason as Error).message.includes('Not authorized'))).toBe(true);
      expect(made.map((p) => sentKeys(p.sendBatch).map((keys) => keys.length))).toEqual([[200], []]);
      await sender.send([message(1, 10, 'open')]);
      expect(sentKeys(made[1].sendBatch)).toEqual([['f1']]);
    });

    it('replaces the producer after a lone send refused for a topic it can no longer describe, whatever the send\'s topic', async () => {
      // kafkajs refreshes the metadata of every topic its producer ever sent to, and fails the refresh with the first one's error.
      let revoked = false;
      const sentTo = new Map<number, Set<string>>();
      let made = 0;
      const newProducer = () => {
        const topics = new Set<string>();
        sentTo.set(made++, topics);
        return {
          connect: jest.fn(async () => undefined),
          disconnect: jest.fn(async () => undefined),
          sendBatch: jest.fn(async (request: Request) => {
            if (revoked && topics.has('old')) throw denied();
            for (const t of request.topicMessages) topics.add(t.topic);
            return [];
          }),
        } as unknown as Producer;
      };
      const sender = new KafkaCoalescingSender(newProducer, bounds);
      await sender.send([message(1, 10, 'old')]);
      revoked = true; // the broker user lost DESCRIBE on 'old'
      await expect(sender.send([message(2, 10, 'b')])).rejects.toThrow('Not authorized');
      await sender.send([message(3, 10, 'b')]);
      await sender.send([message(4, 10, 'b')]);
      expect(made).toBe(2);
    });

    it('sends apart the others of a request to a topic refused as a whole, and not again those to it', async () => {
      const { made, newProducer } = producers(denying('denied'));
      const sender = new KafkaCoalescingSender(newProducer, bounds);
      const topics = ['denied', 'open', 'denied', 'open', 'denied'];
      const settled = await Promise.allSettled(topics.map((topic, i) => sender.send([message(i, 10, topic)])));
      expect(statuses(settled)).toEqual(['rejected', 'fulfilled', 'rejected', 'fulfilled', 'rejected']);
      expect((settled[4] as PromiseRejectedResult).reason).toBeInstanceOf(KafkaJSNonRetriableError);
      // The request to both topics may have been written in part (replaced); f0, alone to the denied topic, was not.
      expect(made.map((p) => sentKeys(p.sendBatch))).toEqual([[['f0', 'f2', 'f4', 'f1', 'f3']], [['f0'], ['f1'], ['f3']]]);
    });

    it('sends a lone send once: refused alone, it is refused for good', async () => {
      const { made, newProducer } = producers(refusing('f1'));
      const sender = new KafkaCoalescingSender(newProducer, bounds);
      await expect(sender.send([message(1), message(2)])).rejects.toBeInstanceOf(KafkaJSNonRetriableError);
      expect(made.flatMap((p) => sentKeys(p.sendBatch))).toEqual([['f1', 'f2']]);
    });

    it('fails the rest at once when a send gone apart meets an outage, rather than each wait it out', async () => {
      const down = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED 127.0.0.1:9092');
      let requests = 0;
      const { made, newProducer } = producers(async (request) => {
        if (++requests === 3) throw down; // the second send, alone
        return refusing('f3')(request);
      });
      const sender = new KafkaCoalescingSender(newProducer, bounds);
      const settled = await Promise.allSettled([1, 2, 3, 4].map((n) => sender.send([message(n)])));
      expect(settled.map((s) => (s.status === 'rejected' ? s.reason : 'sent'))).toEqual(['sent', down, down, down]);
      expect(made.flatMap((p) => sentKeys(p.sendBatch))).toEqual([['f1', 'f2', 'f3', 'f4'], ['f1'], ['f2']]);
    });

    it('sends apart a send split over requests: the part in the refused request, and the rest in the next', async () => {
      const { made, newProducer } = producers(refusing('f2'));
      const sender = new KafkaCoalescingSender(newProducer, { ...bounds, maxMessages: 4 });
      const settled = Promise.allSettled([
        sender.send([message(1)]), sender.send([message(2)]), sender.send([3, 4, 5, 6].map((n) => message(n))), sender.send([message(7)]),
      ]);
      expect(statuses(await settled)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
      expect(made.flatMap((p) => sentKeys(p.sendBatch))).toEqual([['f1', 'f2', 'f3', 'f4'], ['f1'], ['f2'], ['f3', 'f4'], ['f5', 'f6', 'f7']]);
    });

    it('drops the rest of a refused send split over requests', async () => {
      const { made, newProducer } = producers(refusing('f3'));
      const sender = new KafkaCoalescingSender(newProducer, { ...bounds, maxMessages: 3 });
      const settled = Promise.allSettled([sender.send([message(1)]), sender.send([2, 3, 4, 5].map((n) => message(n))), sender.send([message(6)])]);
      expect(statuses(await settled)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
      expect(made.flatMap((p) => sentKeys(p.sendBatch))).toEqual([['f1', 'f2', 'f3'], ['f1'], ['f2', 'f3'], ['f6']]);
    });
  });
});
