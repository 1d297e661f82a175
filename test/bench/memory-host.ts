import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app.setup';
import { httpAdapter } from '../../src/common/http/http-adapter';
import { AppConfig } from '../../src/config/app-config';
import { loadConfig } from '../../src/config/load-config';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import { echoFlowsFromEnv, EchoWorker } from './harness/echo';
import { HOST_STATUS_GROUP, isTerminal, type HostMessage } from './harness/host-protocol';
import type { WorkerRequest } from './harness/worker-protocol';

/*
 * MESSAGING_DRIVER=memory keeps the broker inside the engine's process, so no other process can
 * reach it: this host boots the whole application as main.ts does (on DATABASE_URL) and runs the
 * echo worker inside it, on the same in-process broker. It forwards terminal run status events to
 * its parent over IPC (the parent cannot subscribe to the status topic) and answers the same
 * worker-count requests as echo-worker.ts. Engine and worker share one event loop here, unlike
 * with the real brokers: the benchmark says so next to every memory figure.
 */
async function main(): Promise<void> {
  const app = await NestFactory.create(AppModule, httpAdapter(loadConfig(process.env)), { bufferLogs: true, bodyParser: false, abortOnError: false });
  configureApp(app);
  await app.init();
  const config = app.get(AppConfig);
  const consumer = app.get(MessageConsumer);
  const service = process.env.ECHO_SERVICE ?? 'echo-worker';
  const worker = new EchoWorker(consumer, app.get(MessagePublisher), {
    service, commandTopic: `${config.COMMAND_TOPIC_PREFIX}${service}`, replyTopic: config.TOPIC_REPLY,
    flows: echoFlowsFromEnv(), track: process.env.ECHO_TRACK === 'true',
  });
  await worker.start();
  await consumer.subscribe({
    topic: config.TOPIC_RUN_STATUS, group: HOST_STATUS_GROUP, handler: async (m) => {
      const event = JSON.parse(m.body.toString('utf8')) as { flowId: string; correlationId: string; status: string };
      if (isTerminal(event.status)) {
        process.send?.({ type: 'run-end', flowId: event.flowId, correlationId: event.correlationId, status: event.status } satisfies HostMessage);
      }
    },
  });
  process.on('message', (request: WorkerRequest) => {
    const stats = worker.stats();
    if (request.type === 'reset') worker.reset();
    process.send?.({ type: 'stats', id: request.id, stats });
  });
  process.once('disconnect', () => void app.close().then(() => process.exit(0)));
  await app.listen(config.PORT, config.HOST);
}

main().catch((error: Error) => {
  process.stderr.write(`memory host failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
