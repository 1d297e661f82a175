import 'reflect-metadata';
import { Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { writeFileSync } from 'node:fs';
import { AppConfig } from '../../src/config/app-config';
import { ConfigModule } from '../../src/config/config.module';
import { MessagingDriver } from '../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../src/metrics/metrics';
import { MetricsModule } from '../../src/metrics/metrics.module';
import { echoFlowsFromEnv, EchoWorker } from './harness/echo';
import type { WorkerRequest, WorkerResponse } from './harness/worker-protocol';

/*
 * The echo worker as a process of its own: `node dist/test/bench/echo-worker.js`, configured by the
 * engine's own variables (MESSAGING_DRIVER, RABBITMQ_URL / KAFKA_BROKERS, COMMAND_TOPIC_PREFIX,
 * TOPIC_REPLY) plus ECHO_SERVICE (its service name and consumer group), ECHO_FLOWS (the steps it
 * serves, see echoFlowsEnv), ECHO_TRACK=true (record every
 * delivery) and ECHO_REPORT_FILE (written on SIGTERM). A parent that forked it asks for its counts
 * over IPC (worker-protocol.ts).
 *
 * It boots the project's ConfigModule and MetricsModule, but takes the driver straight from
 * createMessagingDriver rather than importing MessagingModule: that module's OutboxRelay injects a
 * TypeORM DataSource, and a worker has no database.
 */
@Module({
  imports: [ConfigModule, MetricsModule],
  providers: [{ provide: MessagingDriver, inject: [AppConfig, Metrics], useFactory: createMessagingDriver }],
})
class EchoWorkerModule {}

async function main(): Promise<void> {
  const app = await NestFactory.createApplicationContext(EchoWorkerModule, { logger: ['warn', 'error'] });
  const config = app.get(AppConfig);
  const driver = app.get(MessagingDriver);
  const service = process.env.ECHO_SERVICE ?? 'echo-worker';
  await driver.connect();
  const worker = new EchoWorker(driver, driver, {
    service, commandTopic: `${config.COMMAND_TOPIC_PREFIX}${service}`, replyTopic: config.TOPIC_REPLY,
    flows: echoFlowsFromEnv(), track: process.env.ECHO_TRACK === 'true',
  });
  await worker.start();

  const send = (response: WorkerResponse) => process.send?.(response);
  process.on('message', (request: WorkerRequest) => {
    const stats = worker.stats();
    if (request.type === 'reset') worker.reset();
    send({ type: 'stats', id: request.id, stats });
  });
  const shutdown = async () => {
    await driver.stopAll().catch(() => undefined);
    if (process.env.ECHO_REPORT_FILE) writeFileSync(process.env.ECHO_REPORT_FILE, JSON.stringify(worker.stats()));
    await driver.close().catch(() => undefined);
    await app.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown());
  process.once('disconnect', () => void shutdown()); // the parent went away: do not linger
  send({ type: 'ready' });
}

main().catch((error: Error) => {
  process.stderr.write(`echo worker failed to start: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
