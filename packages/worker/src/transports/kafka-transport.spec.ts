import { Kafka } from 'kafkajs';
import { Slots } from '../slots';
import { DEFAULT_REPLY_TOPIC } from './broker-names';
import { KafkaTransport } from './kafka-transport';
import { closeStarted, fakeKafka, holdNextCommit, oneCommitOutOneDue, quiet, reply, started, transports, until } from './kafka-transport.fixtures';


/** Closes the transport under fake timers: still closing 1 ms before `ms`, closed at `ms`. */
async function closesAt(transport: { close(): Promise<void> }, ms: number): Promise<void> {
  jest.useFakeTimers();
  try {
    let closed = false;
    const closing = transport.close().then(() => (closed = true));
    await jest.advanceTimersByTimeAsync(ms - 1);
    expect(closed).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    await closing;
  } finally {
    jest.useRealTimers();
  }
}

describe('KafkaTransport', () => {
  afterEach(closeStarted);

  it('runs a partition\'s commands at once up to the free slots, one flow\'s one after another, and commits over what is done', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries } = await started();
    const batch = deliver(['1', 'a'], ['2', 'b'], ['3', 'a'], ['4', 'c']);
    const offsets = () => deliveries.map((d) => d.command.commandId);
    expect(offsets()).toEqual(['c1', 'c2']); // two slots
    await deliveries[1].settle(reply(deliveries[1]));
    // Offset 3 waits behind its flow's command 1, which holds a slot; 4 takes the slot 2 freed.
    await until(() => deliveries.length === 3);
    expect(offsets()).toEqual(['c1', 'c2', 'c4']);
    await deliveries[2].settle(reply(deliveries[2]));
    expect(consumers[0].commitOffsets).not.toHaveBeenCalled(); // 1 still runs: nothing may be committed
    await deliveries[0].settle(reply(deliveries[0]));
    await until(() => deliveries.length === 4);
    expect(offsets()).toEqual(['c1', 'c2', 'c4', 'c3']);
    await deliveries[3].settle(reply(deliveries[3]));
    await batch;
    expect(consumers[0].resolveOffset.mock.calls).toEqual([['2'], ['4']]);
    await until(() => consumers[0].commitOffsets.mock.calls.length === 2);
    expect(consumers[0].commitOffsets.mock.calls.map(([offsets]) => (offsets as Array<{ offset: string }>)[0].offset)).toEqual(['3', '5']);
  });

  it('skips a malformed command (a deadline that is no date), logged once with its ids, and commits past it instead of running it', async () => {
    const { consumers } = fakeKafka();
    const { deliveries, logger } = await started();
    const malformed = {
      flowId: 'f1', orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: 'c1', objectType: 'Order',
      payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: 'k', idempotencyKey: 'i1', deadline: 'not a date',
    };
    const batch = consumers[0].consume([{ offset: '1', key: Buffer.from('f1'), headers: {}, value: Buffer.from(JSON.stringify(malformed)) }]);
    try {
      await until(() => logger.error.mock.calls.length + deliveries.length > 0);
      expect(deliveries).toHaveLength(0);
      expect(logger.error.mock.calls).toEqual([[
        { topic: 'orchestrator.commands.shop', offset: '1', code: 'MALFORMED_COMMAND', flowId: 'f1', stepName: 'charge', commandId: 'c1' },
        'not a command, skipped: MALFORMED_COMMAND: deadline must be an ISO 8601 date and time, not "not a date"',
      ]]);
    } finally {
      await Promise.all(deliveries.map((d) => d.settle(reply(d)))); // one handed over by mistake would hold its batch for ever
      await batch;
    }
    await until(() => consumers[0].commitOffsets.mock.calls.length === 1);
    expect(consumers[0].commitOffsets.mock.calls[0][0]).toEqual([expect.objectContaining({ offset: '2' })]);
  });

  it('ends its batch at a command given back, once the handlers running are done, resolving nothing past it', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries } = await started();
    const batch = deliver('1', '2', '3');
    await deliveries[0].abandon!(); // after the redelivery delay
    let ended = false;
    void batch.then(() => (ended = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false); // 2 still runs
    await deliveries[1].settle(reply(deliveries[1]));
    await batch;
    expect(deliveries).toHaveLength(2); // 3 was not handed over: kafkajs fetches from 1 again
    expect(consumers[0].resolveOffset).not.toHaveBeenCalled();
    expect(consumers[0].commitOffsets).not.toHaveBeenCalled();
  });

  it('never holds more commands than its slots, a flow\'s next command included', async () => {
    const { deliver } = fakeKafka();
    const { deliveries, mostInUse } = await started(quiet(), new Slots(2));
    // 2 waits behind 1 without a slot, so 3 takes the second; when 1 is done, 2 must wait for its slot to be freed.
    const batch = deliver(['1', 'a'], ['2', 'a'], ['3', 'b']);
    expect(deliveries.map((d) => d.command.commandId)).toEqual(['c1', 'c3']);
    await deliveries[0].settle(reply(deliveries[0]));
    await until(() => deliveries.length === 3);
    await Promise.all(deliveries.slice(1).map((d) => d.settle(reply(d))));
    await batch;
    expect(mostInUse()).toBe(2);
  });

  it('heartbeats while handlers run, and hands a failed heartbeat to kafkajs once they are done and committed', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries } = await started();
    const batch = deliver('1', '2', '3');
    await until(() => consumers[0].heartbeat.mock.calls.length >= 1); // every second, while 1 and 2 run
    const rebalancing = Object.assign(new Error('The group is rebalancing, so a rejoin is needed'), { type: 'REBALANCE_IN_PROGRESS' });
    consumers[0].heartbeat.mockRejectedValue(rebalancing);
    const beats = consumers[0].heartbeat.mock.calls.length;
    await until(() => consumers[0].heartbeat.mock.calls.length > beats);
    let ended = false;
    const outcome = batch.then(() => 'resolved', (error: Error) => error).finally(() => (ended = true));
    const answer = holdNextCommit(consumers[0]);
    await deliveries[0].settle(reply(deliveries[0]));
    expect(ended).toBe(false); // 2 still runs
    await deliveries[1].settle(reply(deliveries[1]));
    await new Promise((resolve) => setImmediate(resolve));
    expect(ended).toBe(false); // the commit of 1 is still out, and 2's waits behind it
    answer();
    expect(await outcome).toBe(rebalancing);
    expect(deliveries).toHaveLength(2); // 3 is left to the partition's next owner
    expect(consumers[0].commitOffsets.mock.calls.at(-1)).toEqual([[{ topic: 'orchestrator.commands.shop', partition: 0, offset: '3' }]]);
  });

  it('drops the offsets due when the group rebalances', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries } = await started();
    const answer = await oneCommitOutOneDue(consumers[0], deliver, deliveries);
    consumers[0].listeners.get('rebalancing')!({ payload: {} });
    answer();
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumers[0].commitOffsets).toHaveBeenCalledTimes(1);
  });

  it('hands nothing more over once paused, and ends the batch once its handlers are done', async () => {
    const { deliver } = fakeKafka();
    const slots = new Slots(1);
    const { transport, deliveries } = await started(quiet(), slots);
    const batch = deliver('1', '2');
    await transport.pause();
    await deliveries[0].settle(reply(deliveries[0]));
    await batch;
    expect(deliveries).toHaveLength(1);
  });

  it('drops the offsets due when its consumer is replaced, rather than commit them through the new one', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries } = await started();
    const answer = await oneCommitOutOneDue(consumers[0], deliver, deliveries);
    consumers[0].crash(false);
    await until(() => consumers[1]?.eachBatch !== undefined);
    answer();
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumers[0].commitOffsets.mock.calls).toEqual([[[{ topic: 'orchestrator.commands.shop', partition: 0, offset: '2' }]]]);
    expect(consumers[1].commitOffsets).not.toHaveBeenCalled();
  });

  it('warns of failed offset commits once until one succeeds, and says when they do', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries, logger } = await started();
    consumers[0].commitOffsets.mockRejectedValueOnce(new Error('Connection error')).mockRejectedValueOnce(new Error('Connection error'));
    for (const offset of ['1', '2', '3']) {
      const batch = deliver(offset);
      const d = deliveries.at(-1)!;
      await d.settle(reply(d));
      await batch;
      await until(() => consumers[0].commitOffsets.mock.calls.length === Number(offset));
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(logger.warn.mock.calls.map(([, message]) => message)).toEqual(['offset commit failed, the command may come again: Connection error']);
    expect(logger.info).toHaveBeenCalledWith({ topic: 'orchestrator.commands.shop' }, 'offset commits succeed again');
  });

  it('asks the group to wait five minutes at a rebalance for running handlers, not kafkajs\'s one', async () => {
    fakeKafka();
    await started();
    expect(Kafka.prototype.consumer).toHaveBeenCalledWith(expect.objectContaining({ rebalanceTimeout: 300_000, sessionTimeout: 10_000 }));
  });

  it('ends an idle fetch within half a second, which bounds how long stop() waits for it', async () => {
    fakeKafka();
    await started();
    expect(Kafka.prototype.consumer).toHaveBeenCalledWith(expect.objectContaining({ maxWaitTimeInMs: 500 }));
  });

  it('sends the replies that came while a request was out together, at most 500 to a request', async () => {
    const { producers, deliver } = fakeKafka();
    const { deliveries } = await started(quiet(), new Slots(502));
    const offsets = Array.from({ length: 502 }, (_, i) => String(i + 1));
    const batch = deliver(...offsets);
    expect(deliveries).toHaveLength(502);
    let answer!: () => void;
    producers[0].sendBatch.mockImplementationOnce(() => new Promise((resolve) => (answer = () => resolve([]))));
    const first = deliveries[0].settle(reply(deliveries[0]));
    await until(() => producers[0].sendBatch.mock.calls.length === 1);
    const rest = deliveries.slice(1).map((d) => d.settle(reply(d)));
    answer();
    await Promise.all([first, ...rest]);
    await batch;
    const repliesPerRequest = producers[0].sendBatch.mock.calls.map(([{ topicMessages }]) =>
      topicMessages.reduce((n: number, t: { messages: unknown[] }) => n + t.messages.length, 0));
    expect(repliesPerRequest).toEqual([1, 500, 1]);
  });

  it('fails a reply the brokers do not acknowledge within 30 s, so that its command comes again', async () => {
    const { producers, deliver } = fakeKafka();
    const { deliveries } = await started();
    producers[0].sendBatch.mockImplementation(() => new Promise(() => undefined));
    void deliver('1');
    jest.useFakeTimers({ doNotFake: ['setImmediate'] }); // the slot's release waits for one
    try {
      let failed: Error | undefined;
      const settling = deliveries[0].settle(reply(deliveries[0])).catch((e: Error) => (failed = e));
      await jest.advanceTimersByTimeAsync(29_999);
      expect(failed).toBeUndefined();
      await jest.advanceTimersByTimeAsync(1);
      await settling;
      expect(failed?.message).toBe('Kafka send: no answer within 30000 ms');
    } finally {
      jest.useRealTimers();
    }
  });

  it('closes within three seconds when its consumer does not leave the group, and says so', async () => {
    const { consumers } = fakeKafka();
    const { transport, logger } = await started();
    transports.pop(); // closed here
    consumers[0].disconnect.mockImplementation(() => new Promise(() => undefined)); // a leave amid a rebalance
    await closesAt(transport, 3_000);
    expect(logger.warn).toHaveBeenCalledWith({ topic: 'orchestrator.commands.shop' }, expect.stringContaining('closed without it'));
  });

  it('closes within two seconds when its reply producer does not disconnect (a reply the broker does not answer), and says so', async () => {
    const { producers } = fakeKafka();
    const { transport, logger } = await started();
    transports.pop(); // closed here
    producers[0].disconnect.mockImplementation(() => new Promise(() => undefined)); // kafkajs waits for the reply in flight
    await closesAt(transport, 2_000);
    expect(logger.warn).toHaveBeenCalledWith({ topic: DEFAULT_REPLY_TOPIC }, expect.stringContaining('closed without it'));
  });

  it('disconnects its reply producer beside the leave: closes within three seconds when neither is answered', async () => {
    const { consumers, producers } = fakeKafka();
    const { transport } = await started();
    transports.pop(); // closed here
    consumers[0].disconnect.mockImplementation(() => new Promise(() => undefined));
    producers[0].disconnect.mockImplementation(() => new Promise(() => undefined));
    await closesAt(transport, 3_000);
  });

  it('waits two seconds at most for a commit the broker does not answer, its reply sent before, then leaves the group', async () => {
    const { consumers, producers, deliver } = fakeKafka();
    const { transport, deliveries, logger } = await started();
    transports.pop(); // closed here
    consumers[0].commitOffsets.mockImplementation(() => new Promise(() => undefined)); // kafkajs's request timeout is 30 s
    const batch = deliver('1');
    await deliveries[0].settle(reply(deliveries[0]));
    await batch;
    expect(producers[0].sendBatch).toHaveBeenCalledTimes(1);
    await until(() => consumers[0].commitOffsets.mock.calls.length === 1);
    jest.useFakeTimers();
    try {
      let closed = false;
      const closing = transport.close().then(() => (closed = true));
      await jest.advanceTimersByTimeAsync(1_999);
      expect([closed, consumers[0].disconnect.mock.calls.length]).toEqual([false, 0]);
      await jest.advanceTimersByTimeAsync(1);
      await closing;
      expect(consumers[0].disconnect).toHaveBeenCalled();
      expect(logger.warn).toHaveBeenCalledWith({ topic: 'orchestrator.commands.shop' }, expect.stringMatching(/^offsets not committed within 2000 ms/));
    } finally {
      jest.useRealTimers();
    }
  });

  it('disconnects a consumer whose first join ended after the worker stopped', async () => {
    const { consumers } = fakeKafka();
    const transport = new KafkaTransport('shop', { brokers: ['127.0.0.1:1'] }, quiet());
    transports.push(transport);
    await transport.prepare();
    let joined!: () => void;
    const run = consumers[0].run.bind(consumers[0]);
    consumers[0].run = async (config) => {
      await new Promise<void>((resolve) => (joined = resolve));
      await run(config);
    };
    const starting = transport.start(() => undefined, new Slots(1));
    await new Promise((resolve) => setImmediate(resolve));
    await transport.pause();
    joined();
    await starting;
    expect(consumers[0].disconnect).toHaveBeenCalled();
  });
});
