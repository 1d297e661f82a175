import { closeStarted, fakeKafka, reply, started, until } from './kafka-transport.fixtures';

/** How KafkaTransport replaces what kafkajs gives up on: its producer after a failed reply, a consumer that crashed for good. */
describe('KafkaTransport replacements', () => {
  afterEach(closeStarted);

  it('replaces its producer after a failed reply, once, and sends the next reply on the new one', async () => {
    const { producers, deliver } = fakeKafka();
    const { deliveries } = await started();
    void deliver('1');
    void deliver('2');
    expect(producers).toHaveLength(1);
    producers[0].sendBatch.mockRejectedValue(new Error('Connection error: ECONNREFUSED'));
    const settled = await Promise.allSettled(deliveries.map((d) => d.settle(reply(d))));
    expect(settled.map((s) => s.status)).toEqual(['rejected', 'rejected']);
    // Two replies failed on the same producer: one replacement, and the failed one let go.
    expect(producers).toHaveLength(2);
    expect(producers[0].disconnect).toHaveBeenCalled();
    const again = deliver('1'); // fetched again, as kafkajs does after a batch that gave its command back
    await deliveries[2].settle(reply(deliveries[2]));
    await again;
    expect(producers[1].connect).toHaveBeenCalledTimes(1);
    expect(producers[1].sendBatch).toHaveBeenCalledTimes(1);
  });

  it('replaces a consumer that crashed for good, and consumes on the new one', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries, logger } = await started();
    consumers[0].crash(false);
    expect(logger.error).toHaveBeenCalledWith({ topic: 'orchestrator.commands.shop' }, expect.stringContaining('replacing it'));
    await until(() => consumers.length === 2 && consumers[1].eachBatch !== undefined);
    expect(consumers[0].disconnect).toHaveBeenCalled();
    expect(consumers[1].subscribe).toHaveBeenCalledWith({ topic: 'orchestrator.commands.shop', fromBeginning: true });
    const batch = deliver('7');
    expect(deliveries.map((d) => d.command.flowId)).toEqual(['f7']);
    await deliveries[0].settle(reply(deliveries[0]));
    await batch;
  });

  it('leaves a crash that kafkajs restarts itself to kafkajs, and replaces nothing once paused', async () => {
    const { consumers } = fakeKafka();
    const { transport } = await started();
    const pastFirstDelay = () => new Promise((resolve) => setTimeout(resolve, 1_500));
    consumers[0].crash(true);
    await pastFirstDelay();
    expect(consumers).toHaveLength(1);
    await transport.pause();
    consumers[0].crash(false);
    await pastFirstDelay();
    expect(consumers).toHaveLength(1);
    expect(consumers[0].pause).toHaveBeenCalled(); // and threw, as kafkajs does: pause() still resolved
  });

  it('lets a delivery of a replaced consumer not commit, and hands a command it gave back over no more', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries } = await started();
    const batch = deliver('1', '2');
    consumers[0].crash(false);
    await until(() => consumers[1]?.eachBatch !== undefined);
    await deliveries[0].settle(reply(deliveries[0]));
    await deliveries[1].abandon!();
    await batch;
    await new Promise((resolve) => setImmediate(resolve)); // a commit due would have been sent by now
    for (const consumer of consumers) expect(consumer.commitOffsets).not.toHaveBeenCalled();
    expect(deliveries).toHaveLength(2);
  });

  it('logs a crash kafkajs restarts once per outage, and each crash it gives up on', async () => {
    const { consumers } = fakeKafka();
    const { logger } = await started();
    consumers[0].crash(true);
    consumers[0].crash(true); // the broker still down: kafkajs crashes again on its restart
    await until(() => !consumers[0].crashed); // restarted and joined: the outage is over
    consumers[0].crash(true);
    consumers[0].crash(false);
    expect(logger.error.mock.calls.map(([, message]) => message.replace(/^.*; /, ''))).toEqual([
      'kafkajs restarts it', 'kafkajs restarts it', 'replacing it',
    ]);
  });

  it('cancels the restart of a consumer that crashed around a stop, so that it consumes nothing more', async () => {
    const { consumers } = fakeKafka();
    const { transport } = await started();
    consumers[0].crash(true);
    await transport.pause(); // pause() throws inside, for a crashed consumer
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(consumers[0].stop).toHaveBeenCalled();
    expect(consumers[0].crashed).toBe(true);

    const second = fakeKafka();
    const other = await started();
    await other.transport.pause();
    second.consumers[0].crash(true); // after the stop
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(second.consumers[0].crashed).toBe(true);
  });

  it('ends a batch whose consumer crashed once a command is given back, handing it over no more', async () => {
    const { consumers, deliver } = fakeKafka();
    const { deliveries } = await started();
    const batch = deliver('1');
    consumers[0].crash(true);
    clearTimeout(consumers[0].restartTimer); // the broker stays down past the give-back
    await deliveries[0].abandon!();
    await batch;
    expect(deliveries).toHaveLength(1);
    expect(consumers[0].resolveOffset).not.toHaveBeenCalled();
  });
});
