import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import { expectEventually } from '../helpers/expect-eventually';
import { startTestApp, TestApp } from '../helpers/test-app';

/*
 * What the Orca suites share: Orca's example documents (test/fixtures/orca), the check of a
 * document against them, and Orca's client (orcaClient).
 */
/* eslint-disable @typescript-eslint/no-explicit-any */
export const fixture = (name: string): any => JSON.parse(readFileSync(join(__dirname, '../fixtures/orca', name), 'utf8'));
export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string' && ISO_UTC.test(value)) return 'date-time';
  return typeof value;
}

/** Every field of Orca's example is in `actual`, with the same JSON type (an ISO UTC time counts as its own type). */
export function expectOrcaFields(actual: Record<string, unknown>, example: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(example)) {
    expect({ key, present: key in actual }).toEqual({ key, present: true });
    expect({ key, type: jsonType(actual[key]) }).toEqual({ key, type: jsonType(value) });
  }
}

export const OO_FLOW = '3f2a9c1e-7b4d-4e8a-9c61-2d5b8e0f4a17';

/**
 * Orca's side of one suite: topics of its own, so suites sharing a broker never hear each other, and what it
 * hears on them. `start` boots Baton as the drop-in on those topics, then subscribes as Orca's client would;
 * `publish` sends a RequestCreatedEvent (an object, or the text a signature covers) as its Requests service does.
 */
export function orcaClient() {
  const ns = randomBytes(4).toString('hex');
  const topics = { request: `RequestCreated.${ns}`, status: `RequestStatusUpdated.${ns}` };
  const statusEvents: any[] = [];
  const deadLetters: Array<{ reason: string; body: string }> = [];
  let app: TestApp | undefined;
  const publish = (event: object | string, headers: Record<string, string> = {}) => app!.get(MessagePublisher).publish([{
    topic: topics.request, headers: { 'content-type': 'application/json', ...headers },
    body: Buffer.from(typeof event === 'string' ? event : JSON.stringify(event)),
  }]);
  /** Orca's example request under a fresh RequestId. */
  const request = (overrides: object = {}) => ({ ...fixture('request-created.json'), RequestId: randomUUID(), ...overrides });
  const eventsOf = (requestId: string) => statusEvents.filter((e) => e.RequestId === requestId);
  const finalEventOf = (requestId: string) => expectEventually(() => {
    const final = eventsOf(requestId).find((e) => e.Status === 2 || e.Status === 3);
    expect(final).toBeDefined();
    return final;
  }, { timeoutMs: 20_000 });
  const start = async (env: Record<string, string>): Promise<TestApp> => {
    // One template per service: the adapter's own template per resource is not a service key's, and must not count.
    const t = app = await startTestApp({ ...env, ORCA_COMPAT: 'true', ORCA_REQUEST_TOPIC: topics.request, ORCA_STATUS_TOPIC: topics.status, MAX_TEMPLATES_PER_SERVICE: '1' });
    const consumer = t.get(MessageConsumer);
    await consumer.subscribe({ topic: topics.status, group: `orca-client-${ns}`, handler: async (m) => {
      statusEvents.push(JSON.parse(m.body.toString()));
    } });
    await consumer.subscribe({ topic: `${topics.request}.DLQ`, group: `orca-client-${ns}`, handler: async (m) => {
      deadLetters.push({ reason: m.headers['x-dead-letter-reason'], body: m.body.toString() });
    } });
    return t;
  };
  return { topics, statusEvents, deadLetters, start, publish, request, eventsOf, finalEventOf };
}
