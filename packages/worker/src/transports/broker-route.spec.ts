import type { BatonClient } from '../baton-client';
import { routeProblems } from './broker-route';
import { HttpTransport } from './http-transport';
import { KafkaTransport } from './kafka-transport';
import { RabbitMqTransport } from './rabbitmq-transport';
import type { Transport } from './transport';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('the route a worker expects, against the one Baton tells', () => {
  const rabbit = new RabbitMqTransport('shop', { url: 'amqp://127.0.0.1' }, quiet).route;
  const kafka = new KafkaTransport('shop', { brokers: ['127.0.0.1:9092'], replyTopic: 'ns.reply' }, quiet).route;

  it("expects Baton's defaults unless told otherwise, and nothing over HTTP", () => {
    expect(rabbit).toEqual({ driver: 'rabbitmq', replyTopic: 'orchestrator.reply', exchange: 'baton' });
    expect(kafka).toEqual({ driver: 'kafka', replyTopic: 'ns.reply' });
    const http: Transport = new HttpTransport({ service: 'shop' } as BatonClient, quiet);
    expect(http.route).toBeUndefined();
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
