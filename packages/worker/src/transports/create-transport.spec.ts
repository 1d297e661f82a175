import { createTransport } from './create-transport';
import { KafkaTransport } from './kafka-transport';
import { RabbitMqTransport } from './rabbitmq-transport';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('createTransport', () => {
  it('builds a broker transport from the service name alone, with no Baton client', () => {
    // Constructors make no network call: nothing listens on these addresses, and nothing needs to.
    const rabbit = createTransport({ rabbitmq: { url: 'amqp://127.0.0.1:1' } }, 'shop', undefined, quiet);
    expect(rabbit).toBeInstanceOf(RabbitMqTransport);
    expect(rabbit.registration).toEqual({ topic: 'orchestrator.commands.shop' });
    const kafka = createTransport({ kafka: { brokers: ['127.0.0.1:1'], commandTopicPrefix: 'x.' } }, 'shop', undefined, quiet);
    expect(kafka).toBeInstanceOf(KafkaTransport);
    expect(kafka.registration).toEqual({ topic: 'x.shop' });
  });

  it('needs the Baton client for the HTTP transport, which long-polls Baton', () => {
    expect(() => createTransport('http', 'shop', undefined, quiet)).toThrow('the HTTP transport long-polls Baton\'s REST API');
    expect(() => createTransport({ http: {} }, 'shop', undefined, quiet)).toThrow('the HTTP transport long-polls Baton\'s REST API');
  });

  it('refuses what is not a transport', () => {
    expect(() => createTransport({ sqs: {} } as never, 'shop', undefined, quiet)).toThrow('Unknown transport');
  });
});
