import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AppConfig } from '../config/app-config';
import { deliverInPlace } from '../messaging/delivery/deliver-in-place';
import type { IncomingMessage, MessageHandler } from '../messaging/message';
import type { MessageConsumer } from '../messaging/message-consumer';
import { HttpWorkerHub } from './http-worker-hub.service';

const noop = () => undefined;
const metrics = { consumed: { inc: noop }, redelivered: { inc: noop }, deadLettered: { inc: noop } };
const logger = { warn: noop, debug: noop, log: noop, error: noop };

describe('HttpWorkerHub at shutdown', () => {
  it('returns a held command to the broker without counting a failed delivery, however often Baton restarts', async () => {
    const deadLetters: unknown[] = [];
    const command = { id: 'm1', position: 'p', topic: 'orchestrator.commands.svc', key: 'k', headers: {},
      body: Buffer.from(JSON.stringify({ commandId: randomUUID() })), deliveryAttempt: 1 } as unknown as IncomingMessage;
    for (let restart = 1; restart <= 3; restart++) {
      let handler: MessageHandler | undefined;
      const consumer = { subscribe: async (s: { handler: MessageHandler }) => { handler = s.handler; } } as unknown as MessageConsumer;
      const hub = new HttpWorkerHub(consumer, { WORKER_LEASE_MS: 60_000, COMMAND_TOPIC_PREFIX: 'orchestrator.commands.' } as AppConfig);
      await hub.poolFor('svc');
      let stopping = false;
      const delivered = deliverInPlace(command, handler!, { maxDeliveries: 2, metrics, logger, stopping: () => stopping,
        deadLetter: async (letter: unknown) => { deadLetters.push(letter); } } as never);
      await sleep(20);
      // Nest destroys modules before the consumers stop (beforeApplicationShutdown).
      hub.onModuleDestroy();
      await sleep(50);
      stopping = true;
      expect(await delivered).toEqual({ acked: false, nextAttempt: 1 });
    }
    expect(deadLetters).toEqual([]);
  });
});
