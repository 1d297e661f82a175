import { AppConfig } from '../config/app-config';
import { isInfrastructureError } from '../common/errors/infrastructure-error';
import { brokerStartError } from './broker-start-error';

const config = (settings: Partial<AppConfig>) => Object.assign(new AppConfig(), settings);
const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:55499'), { code: 'ECONNREFUSED' });

describe('brokerStartError', () => {
  it('names RabbitMQ, RABBITMQ_URL and host:port, never the credentials, and keeps the cause', () => {
    const url = 'amqp://baton:s3cret-pass@127.0.0.1:55499/vhost';
    const cause = refused();
    const error = brokerStartError(config({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: url }), cause) as Error;
    expect(error.message).toBe('Cannot connect to RabbitMQ at 127.0.0.1:55499 (RABBITMQ_URL): connect ECONNREFUSED 127.0.0.1:55499');
    expect(error.cause).toBe(cause);
    expect(isInfrastructureError(error)).toBe(true);
  });

  it('masks the password or the URL should the client quote them', () => {
    const url = 'amqps://baton:p%40ss-w0rd@rabbit.example:5671';
    const error = brokerStartError(config({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: url }),
      new Error(`Handshake terminated by server: 403 (ACCESS-REFUSED) for ${url} with p@ss-w0rd`)) as Error;
    expect(error.message).toMatch(/^Cannot connect to RabbitMQ at rabbit\.example:5671 \(RABBITMQ_URL\): Handshake terminated by server: 403/);
    expect(error.message).not.toMatch(/p@ss-w0rd|p%40ss-w0rd|baton:/);
  });

  it('names Kafka and KAFKA_BROKERS', () => {
    const error = brokerStartError(config({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: '127.0.0.1:55499' }), refused()) as Error;
    expect(error.message).toBe('Cannot connect to Kafka at 127.0.0.1:55499 (KAFKA_BROKERS): connect ECONNREFUSED 127.0.0.1:55499');
  });

  it('leaves the in-memory driver\'s error as it was', () => {
    const cause = new Error('boom');
    expect(brokerStartError(config({ MESSAGING_DRIVER: 'memory' }), cause)).toBe(cause);
  });
});
