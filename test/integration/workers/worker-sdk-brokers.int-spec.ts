import type { TransportChoice } from '@baton/worker';
import { serverSuite, type Driver } from '../../helpers/server-env';
import { workerSdkContract } from '../../helpers/worker-sdk-contract';

/** Baton on real PostgreSQL and the broker; the SDK consumes the broker directly, or polls Baton over HTTP. */
function onServers(driver: Driver, transportOf: (env: Record<string, string>) => TransportChoice) {
  return async () => {
    const suite = serverSuite(driver);
    const env = await suite.env();
    return { env, transport: transportOf(env), cleanup: async () => { await suite.cleanup(); } };
  };
}

const names = (env: Record<string, string>) => ({ commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, replyTopic: env.TOPIC_REPLY });

workerSdkContract('RabbitMQ', onServers('rabbitmq', (env) => ({ rabbitmq: { url: env.RABBITMQ_URL, ...names(env) } })));
workerSdkContract('Kafka', onServers('kafka', (env) => ({ kafka: { brokers: env.KAFKA_BROKERS.split(','), ...names(env) } })));
workerSdkContract('HTTP, with Baton on PostgreSQL and RabbitMQ', onServers('rabbitmq', () => 'http'));
