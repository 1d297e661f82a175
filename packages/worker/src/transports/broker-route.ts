/** What a broker transport must share with Baton, as Baton tells it (GET /api/workers/{service}/broker). */
export interface BrokerRoute {
  driver: string;
  replyTopic: string;
  exchange?: string;
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
