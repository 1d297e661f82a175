import type { DataSource } from 'typeorm';
import type { MessageAuthenticator } from '../auth/message-signing/message-authenticator';
import type { Principal } from '../auth/principal';
import { loadConfig } from '../config/load-config';
import type { IncomingMessage, MessageHandler } from '../messaging/message';
import type { MessageConsumer } from '../messaging/message-consumer';
import { RegistrationConsumer } from './registration.consumer';
import type { RegistrationRequest, RegistryService } from './registry.service';

/** The consumer over a registry that records each request, and an inbox held in a set. */
async function consumerFor(principal?: Principal) {
  let handler: MessageHandler | undefined;
  const requests: RegistrationRequest[] = [];
  const inbox = new Set<string>();
  const consumer = { subscribe: async (s: { handler: MessageHandler }) => void (handler = s.handler) } as unknown as MessageConsumer;
  const registry = { register: async (r: RegistrationRequest) => void requests.push(r) } as unknown as RegistryService;
  const authenticator = { authenticate: async () => principal } as unknown as MessageAuthenticator;
  const dataSource = { query: async (sql: string, [consumerName, id]: string[]) => {
    if (sql.startsWith('INSERT')) return void inbox.add(`${consumerName}/${id}`);
    return inbox.has(`${consumerName}/${id}`) ? [1] : [];
  } } as unknown as DataSource;
  await new RegistrationConsumer(consumer, registry, loadConfig({}), authenticator, dataSource).onApplicationBootstrap();
  const deliver = (headers: Record<string, string>, id = 'm1') => handler!({
    id, topic: 'orchestrator.registration', headers, body: Buffer.from('orchName: x'), deliveryAttempt: 1,
  } satisfies IncomingMessage);
  return { deliver, requests, inbox };
}

async function registered(headers: Record<string, string>): Promise<RegistrationRequest> {
  const { deliver, requests } = await consumerFor();
  await deliver(headers);
  return requests[0];
}

describe('RegistrationConsumer', () => {
  /** Kafka keeps header names as the producer wrote them; RabbitMQ and the in-process broker too. */
  it('reads the service name and content type whatever the case of their header names', async () => {
    for (const [service, type] of [['X-Service-Name', 'Content-Type'], ['x-service-name', 'content-type'], ['X-SERVICE-NAME', 'CONTENT-TYPE']]) {
      const request = await registered({ [service]: 'shop', [type]: 'application/yaml' });
      expect([request.serviceName, request.contentType]).toEqual(['shop', 'application/yaml']);
    }
  });

  it("passes the message's correlation id, whatever the case of its header, and a new one for none or an unsafe one", async () => {
    expect((await registered({ 'X-Correlation-ID': 'deploy-42' })).correlationId).toBe('deploy-42');
    expect((await registered({ 'x-correlation-id': 'deploy-43' })).correlationId).toBe('deploy-43');
    for (const headers of [{}, { 'x-correlation-id': 'two words' }] as Array<Record<string, string>>) {
      expect((await registered(headers)).correlationId).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it('registers a signed message once, however often a copy of it comes, under any message id', async () => {
    const signed = { 'x-baton-service': 'shop', 'x-baton-signature-timestamp': '1700000000', 'x-baton-signature': 'sha256=00' };
    const { deliver, requests, inbox } = await consumerFor({ id: 'hmac:shop', kind: 'message-signature', roles: ['service'], service: 'shop' });
    await deliver(signed, 'm1');
    await deliver(signed, 'm2');
    expect(requests).toHaveLength(1);
    expect(inbox.size).toBe(1);
    // Signed at another second: another message.
    await deliver({ ...signed, 'x-baton-signature-timestamp': '1700000001' }, 'm3');
    expect(requests).toHaveLength(2);
  });

  it('keeps nothing in the inbox for an unsigned message (signing off): each delivery registers', async () => {
    const { deliver, requests, inbox } = await consumerFor();
    await deliver({ 'x-baton-signature-timestamp': '1700000000', 'x-baton-signature': 'sha256=00' });
    await deliver({ 'x-baton-signature-timestamp': '1700000000', 'x-baton-signature': 'sha256=00' });
    expect([requests.length, inbox.size]).toEqual([2, 0]);
  });
});
