import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../../src/config/app-config';
import { loadConfig } from '../../../src/config/load-config';
import { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';

/**
 * Raw publish -> consume round trips per driver, with 1 and with 64 messages in flight. Not part
 * of any suite; run it explicitly against the servers from scripts/services.sh:
 *   node --experimental-vm-modules node_modules/jest/bin/jest.js --config test/integration/jest.config.js \
 *     --testMatch '<rootDir>/test/integration/messaging/round-trip.bench-spec.ts' --runInBand
 * BENCH_MESSAGES (default 10000) sets the number of messages per measurement.
 */
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 10_000);
const BODY = Buffer.alloc(200, 'x');

function configs(): Array<[string, AppConfig]> {
  const list: Array<[string, AppConfig]> = [['memory', loadConfig({ MESSAGING_DRIVER: 'memory' })]];
  if (process.env.RABBITMQ_URL) list.push(['rabbitmq', loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: process.env.RABBITMQ_URL })]);
  if (process.env.KAFKA_BROKERS) list.push(['kafka', loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: process.env.KAFKA_BROKERS })]);
  return list;
}

async function measure(driver: MessagingDriver, inFlight: number): Promise<{ perSecond: number; p99Ms: number }> {
  const id = randomBytes(4).toString('hex');
  const topic = `bench.${id}`;
  const waiting = new Map<string, () => void>();
  await driver.subscribe({ topic, group: `bench-${id}`, handler: async (m) => waiting.get(m.id)?.() });
  const latencies: number[] = [];
  let next = 0;
  const roundTrip = async (chain: number, n: number) => {
    const messageId = `${id}-${n}`;
    const started = process.hrtime.bigint();
    await new Promise<void>((resolve, reject) => {
      waiting.set(messageId, resolve);
      driver.publish([{ topic, key: `chain-${chain}`, headers: { 'x-message-id': messageId }, body: BODY }]).catch(reject);
    });
    waiting.delete(messageId);
    latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
  };
  const chain = async (c: number) => {
    while (next < MESSAGES) await roundTrip(c, next++);
  };
  await roundTrip(0, -1); // warm-up: topic creation, group join
  latencies.length = 0;
  const start = Date.now();
  await Promise.all(Array.from({ length: inFlight }, (_, c) => chain(c)));
  const seconds = (Date.now() - start) / 1000;
  await driver.stopAll();
  latencies.sort((a, b) => a - b);
  return { perSecond: Math.round(MESSAGES / seconds), p99Ms: Number(latencies[Math.floor(latencies.length * 0.99)].toFixed(2)) };
}

describe('publish -> consume round trip', () => {
  beforeAll(() => Logger.overrideLogger(['error']));

  it.each(configs())('%s', async (name, config) => {
    const driver = createMessagingDriver(config, new Metrics());
    await driver.connect();
    try {
      for (const inFlight of [1, 64]) {
        const { perSecond, p99Ms } = await measure(driver, inFlight);
        console.log(`${name}: ${MESSAGES} messages, ${inFlight} in flight: ${perSecond} msg/s, p99 ${p99Ms} ms`);
      }
    } finally {
      await driver.close();
    }
  }, 600_000);
});
