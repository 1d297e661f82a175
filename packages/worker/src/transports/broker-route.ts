import { DEFAULT_EXCHANGE, DEFAULT_REPLY_TOPIC } from './broker-names';
import type { TransportChoice } from './create-transport';

/** What a broker transport must share with Baton, as Baton tells it (GET /api/workers/{service}/broker). */
export interface BrokerRoute {
  driver: string;
  replyTopic: string;
  exchange?: string;
}

/** The route a transport choice expects; none for HTTP (Baton itself hands commands over) or a transport of the caller's own. */
export function expectedRouteOf(choice: TransportChoice | object | undefined): BrokerRoute | undefined {
  if (typeof choice !== 'object' || choice === null) return undefined;
  if ('rabbitmq' in choice) {
    const { replyTopic, exchange } = choice.rabbitmq;
    return { driver: 'rabbitmq', replyTopic: replyTopic ?? DEFAULT_REPLY_TOPIC, exchange: exchange ?? DEFAULT_EXCHANGE };
  }
  if ('kafka' in choice) return { driver: 'kafka', replyTopic: choice.kafka.replyTopic ?? DEFAULT_REPLY_TOPIC };
  return undefined;
}

/**
 * Where this worker's settings and Baton's differ, each said with the setting to change. A worker
 * whose broker, exchange or reply topic is not Baton's would wait for commands that go elsewhere,
 * or reply where nobody reads, with nothing said but step timeouts. `told` is Baton's answer, read
 * as untrusted: a Baton that tells nothing (an older version, a control of the caller's own) is not checked.
 */
export function routeProblems(expected: BrokerRoute | undefined, told: unknown): string[] {
  if (!expected || typeof told !== 'object' || told === null) return [];
  const { driver, replyTopic, exchange } = told as Partial<Record<keyof BrokerRoute, unknown>>;
  if (typeof driver === 'string' && driver !== expected.driver) {
    return [driver === 'memory'
      ? `Baton runs its in-process broker, which no ${expected.driver} worker reaches: use transport: 'http'`
      : `Baton's broker is ${driver} (MESSAGING_DRIVER), not ${expected.driver}: use transport: {${driver}: …} or 'http'`];
  }
  const problems: string[] = [];
  if (typeof replyTopic === 'string' && replyTopic !== expected.replyTopic) {
    problems.push(`Baton reads replies on "${replyTopic}" (TOPIC_REPLY), this worker sends them to "${expected.replyTopic}": set replyTopic: "${replyTopic}"`);
  }
  if (expected.exchange !== undefined && typeof exchange === 'string' && exchange !== expected.exchange) {
    problems.push(`Baton's exchange is "${exchange}" (RABBITMQ_EXCHANGE), this worker's "${expected.exchange}": set exchange: "${exchange}"`);
  }
  return problems;
}
