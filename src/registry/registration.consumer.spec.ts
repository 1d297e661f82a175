import type { MessageAuthenticator } from '../auth/message-signing/message-authenticator';
import { loadConfig } from '../config/load-config';
import type { IncomingMessage, MessageHandler } from '../messaging/message';
import type { MessageConsumer } from '../messaging/message-consumer';
import { RegistrationConsumer } from './registration.consumer';
import type { RegistrationRequest, RegistryService } from './registry.service';

async function registered(headers: Record<string, string>): Promise<RegistrationRequest> {
  let handler: MessageHandler | undefined;
  const requests: RegistrationRequest[] = [];
  const consumer = { subscribe: async (s: { handler: MessageHandler }) => void (handler = s.handler) } as unknown as MessageConsumer;
  const registry = { register: async (r: RegistrationRequest) => void requests.push(r) } as unknown as RegistryService;
  const authenticator = { authenticate: async () => undefined } as unknown as MessageAuthenticator;
  await new RegistrationConsumer(consumer, registry, loadConfig({}), authenticator).onApplicationBootstrap();
  const message: IncomingMessage = { id: 'm1', topic: 'orchestrator.registration', headers, body: Buffer.from('orchName: x'), deliveryAttempt: 1 };
  await handler!(message);
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
});
