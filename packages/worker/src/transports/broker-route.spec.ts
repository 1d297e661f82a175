import { expectedRouteOf, routeProblems } from './broker-route';

describe('the route a worker expects, against the one Baton tells', () => {
  const rabbit = expectedRouteOf({ rabbitmq: { url: 'amqp://127.0.0.1' } });
  const kafka = expectedRouteOf({ kafka: { brokers: ['127.0.0.1:9092'], replyTopic: 'ns.reply' } });

  it("expects Baton's defaults unless told otherwise, and nothing over HTTP or from a transport of its own", () => {
    expect(rabbit).toEqual({ driver: 'rabbitmq', replyTopic: 'orchestrator.reply', exchange: 'baton' });
    expect(kafka).toEqual({ driver: 'kafka', replyTopic: 'ns.reply' });
    expect(expectedRouteOf('http')).toBeUndefined();
    expect(expectedRouteOf({ http: {} })).toBeUndefined();
    expect(expectedRouteOf({ start: async () => undefined })).toBeUndefined();
  });

  it('finds nothing to say when the routes agree, or when Baton tells none (an older Baton) or no object', () => {
    expect(routeProblems(rabbit, { driver: 'rabbitmq', replyTopic: 'orchestrator.reply', exchange: 'baton' })).toEqual([]);
    expect(routeProblems(kafka, { driver: 'kafka', replyTopic: 'ns.reply' })).toEqual([]);
    for (const told of [undefined, null, 'rabbitmq', 42]) expect(routeProblems(rabbit, told)).toEqual([]);
    expect(routeProblems(undefined, { driver: 'memory', replyTopic: 'x' })).toEqual([]);
  });

  it('names another broker, and the in-process one that only HTTP reaches, before anything else', () => {
    expect(routeProblems(rabbit, { driver: 'kafka', replyTopic: 'other' }))
      .toEqual(["Baton's broker is kafka (MESSAGING_DRIVER), not rabbitmq: use transport: {kafka: …} or 'http'"]);
    expect(routeProblems(kafka, { driver: 'memory', replyTopic: 'ns.reply' }))
      .toEqual(["Baton runs its in-process broker, which no kafka worker reaches: use transport: 'http'"]);
  });

  it('names each setting that differs, with the value to set; the exchange only on RabbitMQ', () => {
    expect(routeProblems(rabbit, { driver: 'rabbitmq', replyTopic: 'ns.reply', exchange: 'ns' })).toEqual([
      'Baton reads replies on "ns.reply" (TOPIC_REPLY), this worker sends them to "orchestrator.reply": set replyTopic: "ns.reply"',
      'Baton\'s exchange is "ns" (RABBITMQ_EXCHANGE), this worker\'s "baton": set exchange: "ns"',
    ]);
    expect(routeProblems(kafka, { driver: 'kafka', replyTopic: 'ns.reply', exchange: 'ns' })).toEqual([]);
  });
});
