import type { WireCommand } from '@baton/worker';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../../src/config/load-config';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { echoFlowsEnv, EchoWorker } from '../harness/echo';
import { brokerEnv, Driver, namespaceEnv } from '../harness/services';
import { Latency, Spread, spread } from '../harness/stats';
import { quietNestLogs } from '../harness/status-observer';
import { WorkerProcess } from '../harness/worker-process';

export interface RttFigures {
  /** Where the echo ran: its own process (real brokers) or this one (memory). */
  echo: 'separate process' | 'same process';
  /** One message in flight: publish → echo worker → reply consumed. */
  p50Ms: Spread;
  p99Ms: Spread;
  /** Round trips per second with `concurrency` in flight. */
  concurrency: number;
  msgsPerSec: Spread;
}

export interface RttOptions {
  warmupMs: number;
  windowMs: number;
  windows: number;
  concurrency: number;
}

/**
 * The broker's own round trip through the project's driver classes, with no database: a command
 * published to the echo worker's topic, the worker's reply consumed here. The same echo worker the
 * engine benchmarks use, so the difference between this and a step transition is the engine.
 */
export async function measureRtt(driverName: Driver, o: RttOptions): Promise<RttFigures> {
  quietNestLogs();
  const env = { ...brokerEnv(driverName), ...namespaceEnv('rtt') };
  const config = loadConfig(env);
  const driver: MessagingDriver = createMessagingDriver(config, new Metrics());
  const service = 'rtt-echo';
  const topic = `${config.COMMAND_TOPIC_PREFIX}${service}`;
  const waiting = new Map<string, () => void>();
  const flows = [{ orchName: 'rtt', steps: ['ping'] }];
  let worker: WorkerProcess | undefined;
  try {
    await driver.connect();
    if (driverName === 'memory') {
      await new EchoWorker(driver, driver, {
        service, commandTopic: topic, replyTopic: config.TOPIC_REPLY, flows, track: false,
      }).start();
    } else {
      worker = new WorkerProcess({ ...env, ...echoFlowsEnv(flows) }, service, false);
      await worker.start();
    }
    await driver.subscribe({
      topic: config.TOPIC_REPLY, group: 'rtt-bench', handler: async (m) => {
        const reply = JSON.parse(m.body.toString('utf8')) as { commandId: string };
        waiting.get(reply.commandId)?.();
        waiting.delete(reply.commandId);
      },
    });
    const roundTrip = () => {
      const commandId = randomUUID();
      const flowId = randomUUID();
      const done = new Promise<void>((resolve) => waiting.set(commandId, resolve));
      const body = {
        flowId, orchName: 'rtt', stepName: 'ping', action: 'DO', attempt: 1, commandId, objectType: 'String', payload: null, payloadEncoding: 'json',
        outputs: {}, correlationId: commandId, idempotencyKey: commandId, deadline: new Date(Date.now() + 60_000).toISOString(),
      } satisfies WireCommand; // the echo worker is the SDK, which drops a command it cannot parse whole
      return driver.publish([{ topic, key: flowId, body: Buffer.from(JSON.stringify(body)), headers: { 'content-type': 'application/json' } }])
        .then(() => done);
    };
    await ready(roundTrip);
    const latency = await windows(roundTrip, 1, o);
    const throughput = await windows(roundTrip, o.concurrency, o);
    return {
      echo: driverName === 'memory' ? 'same process' : 'separate process',
      p50Ms: spread(latency.map((w) => w.latency.percentileMs(50))),
      p99Ms: spread(latency.map((w) => w.latency.percentileMs(99))),
      concurrency: o.concurrency,
      msgsPerSec: spread(throughput.map((w) => w.perSec)),
    };
  } finally {
    await driver.close().catch(() => undefined);
    await worker?.stop().catch(() => undefined);
  }
}

/** Consumers of real brokers join their groups asynchronously: wait for a first round trip. */
async function ready(roundTrip: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await Promise.race([roundTrip().then(() => true), sleep(1000).then(() => false)]);
    if (ok) return;
    if (Date.now() > deadline) throw new Error('no broker round trip within 60 s');
  }
}

async function windows(roundTrip: () => Promise<void>, concurrency: number, o: RttOptions) {
  const start = performance.now();
  const bounds = Array.from({ length: o.windows + 1 }, (_, k) => start + o.warmupMs + k * o.windowMs);
  const end = bounds[o.windows];
  const result = Array.from({ length: o.windows }, () => ({ latency: new Latency(), count: 0, perSec: 0 }));
  const loop = async () => {
    while (performance.now() < end) {
      const sent = performance.now();
      await roundTrip();
      const got = performance.now();
      const k = bounds.findIndex((b, i) => i < o.windows && sent >= b && sent < bounds[i + 1]);
      if (k >= 0) result[k].latency.recordMs(got - sent);
      const kg = bounds.findIndex((b, i) => i < o.windows && got >= b && got < bounds[i + 1]);
      if (kg >= 0) result[kg].count++;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  for (const w of result) w.perSec = w.count / (o.windowMs / 1000);
  return result;
}
