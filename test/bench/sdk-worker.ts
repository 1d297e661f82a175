import { createWorker, type WireReply, type WorkerControl } from '@baton/worker';
import { noDelaySocketFactory } from '@baton/worker/internal';
import * as amqp from 'amqplib';
import { Kafka, logLevel } from 'kafkajs';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { brokerEnv, namespaceEnv } from './harness/services';

/*
 * `node dist/test/bench/sdk-worker.js [--commands 20000] [--window 64] [--kafka]`: the worker SDK's
 * own CPU per command on RabbitMQ (or Kafka), with WINDOW commands in flight. A worker built with `createWorker` (the
 * in-memory result store, a handler that returns at once) runs in a child process of its own; this
 * process publishes commands to its queue as Baton would and consumes the replies, keeping the
 * window full. The child's `process.cpuUsage` is read after a warm-up of a tenth of the commands
 * and at the end, with the worker's own count of commands handled. No Baton is involved:
 * registration goes to a control that accepts everything. The run's queues are deleted at the end.
 */

const ORCH = 'sdkbench';
const STEP = 'echo';

function arg(name: string, fallback: string): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = Number(i >= 0 ? process.argv[i + 1] : fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a whole number, not ${process.argv[i + 1]}`);
  return value;
}

interface Sample {
  cpu: NodeJS.CpuUsage;
  /** Commands the worker's handler ran, by its own count. */
  handled: number;
}

/** The child: an SDK worker whose CPU the parent samples over IPC; it stops when told or orphaned. */
async function serve(): Promise<void> {
  const accept: WorkerControl = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
  const worker = createWorker({
    service: process.env.SDK_BENCH_SERVICE!, control: accept, handleSignals: false, concurrency: Number(process.env.SDK_BENCH_WINDOW),
    transport: process.env.KAFKA_BROKERS
      ? { kafka: { brokers: process.env.KAFKA_BROKERS.split(','), commandTopicPrefix: process.env.COMMAND_TOPIC_PREFIX, replyTopic: process.env.TOPIC_REPLY } }
      : { rabbitmq: { url: process.env.RABBITMQ_URL!, commandTopicPrefix: process.env.COMMAND_TOPIC_PREFIX, replyTopic: process.env.TOPIC_REPLY } },
  });
  let handled = 0;
  worker.step(ORCH, STEP, { objectType: 'Bench', do: () => ({ ok: ++handled }) });
  await worker.start();
  const stop = () => void worker.stop().then(() => process.exit(0));
  process.once('disconnect', stop);
  process.on('message', (message: string) => {
    if (message === 'stop') stop();
    else process.send!({ cpu: process.cpuUsage(), handled } satisfies Sample);
  });
  process.send!('ready');
}

function command(): Buffer {
  return Buffer.from(JSON.stringify({
    flowId: randomUUID(), orchName: ORCH, stepName: STEP, action: 'DO', attempt: 1, commandId: randomUUID(),
    objectType: 'Bench', payload: { sku: 'A1' }, payloadEncoding: 'json', outputs: {}, correlationId: randomUUID(),
    idempotencyKey: randomUUID(), deadline: new Date(Date.now() + 600_000).toISOString(),
  }));
}

/** The parent's side of the broker: publishes commands as Baton would, and hands on each reply. */
interface BenchBroker {
  name: string;
  consumeReplies(onReply: (reply: WireReply) => void): Promise<void>;
  publish(body: Buffer): void;
  /** Deletes what this run declared, and disconnects. */
  close(): Promise<void>;
}

async function rabbitMqBroker(env: Record<string, string>, service: string, commandTopic: string): Promise<BenchBroker> {
  const connection = await amqp.connect(env.RABBITMQ_URL, { noDelay: true });
  const channel = await connection.createChannel();
  return {
    name: 'RabbitMQ',
    consumeReplies: async (onReply) => {
      const { queue } = await channel.assertQueue('', { exclusive: true });
      await channel.bindQueue(queue, 'baton', env.TOPIC_REPLY);
      await channel.consume(queue, (message) => {
        if (!message) return;
        channel.ack(message);
        onReply(JSON.parse(message.content.toString()) as WireReply);
      });
    },
    publish: (body) => void channel.publish('baton', commandTopic, body, { persistent: true, contentType: 'application/json' }),
    close: async () => {
      // The worker's queue and its dead-letter queue are this run's alone.
      const cleanup = await connection.createChannel().catch(() => undefined);
      for (const q of [`${service}.${commandTopic}`, `${commandTopic}.DLQ`]) await cleanup?.deleteQueue(q).catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  };
}

async function kafkaBroker(env: Record<string, string>, service: string, commandTopic: string): Promise<BenchBroker> {
  const kafka = new Kafka({ clientId: 'sdkbench', brokers: env.KAFKA_BROKERS.split(','), logLevel: logLevel.NOTHING, socketFactory: noDelaySocketFactory });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic: env.TOPIC_REPLY, numPartitions: 1 }], waitForLeaders: true });
  const producer = kafka.producer();
  await producer.connect();
  const consumer = kafka.consumer({ groupId: `${service}-replies`, maxWaitTimeInMs: 100 });
  let failed: unknown;
  return {
    name: 'Kafka',
    consumeReplies: async (onReply) => {
      await consumer.connect();
      await consumer.subscribe({ topic: env.TOPIC_REPLY, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => onReply(JSON.parse(message.value!.toString()) as WireReply) });
    },
    publish: (body) => {
      if (failed) throw failed;
      void producer.send({ topic: commandTopic, messages: [{ value: body }] }).catch((error: unknown) => (failed = error));
    },
    close: async () => {
      await Promise.all([consumer.disconnect(), producer.disconnect()]).catch(() => undefined);
      await admin.deleteGroups([service, `${service}-replies`]).catch(() => undefined);
      await admin.deleteTopics({ topics: [commandTopic, env.TOPIC_REPLY] }).catch(() => undefined);
      await admin.disconnect();
    },
  };
}

async function measure(): Promise<void> {
  const total = arg('commands', '20000');
  const window = Math.min(arg('window', '64'), total);
  if (total < 10) throw new Error('--commands must be at least 10: a tenth of them is the warm-up');
  const warmUp = Math.floor(total / 10);
  const onKafka = process.argv.includes('--kafka');
  const env = { ...brokerEnv(onKafka ? 'kafka' : 'rabbitmq'), ...namespaceEnv('sdkbench') };
  const service = `sdkbench-${randomUUID().slice(0, 8)}`;
  const commandTopic = `${env.COMMAND_TOPIC_PREFIX}${service}`;
  const broker = await (onKafka ? kafkaBroker : rabbitMqBroker)(env, service, commandTopic);
  // The child takes its transport from which broker variable it is given.
  const childEnv: Record<string, string | undefined> = { ...process.env, ...env, SDK_BENCH_SERVICE: service, SDK_BENCH_WINDOW: String(window) };
  if (onKafka) delete childEnv.RABBITMQ_URL;
  else delete childEnv.KAFKA_BROKERS;
  const child = fork(__filename, ['--serve'], { env: childEnv });
  let finished = false;
  // A worker that dies, or replies that stop coming, end the measurement instead of hanging it.
  const exited = once(child, 'exit').then(([code]) => {
    if (!finished) throw new Error(`the worker exited (${String(code)}) during the measurement`);
  });
  const deadline = sleep(Math.max(60_000, total * 5), undefined, { ref: false }).then(() => {
    if (!finished) throw new Error(`no end after ${Math.max(60_000, total * 5)} ms`);
  });
  const sample = async (): Promise<Sample> => {
    child.send('sample');
    return ((await once(child, 'message')) as [Sample])[0];
  };
  const run = async () => {
    await once(child, 'message'); // ready: its queue (or topic) is declared and consumed
    let sent = 0;
    let replied = 0;
    const publish = () => {
      sent++;
      broker.publish(command());
    };
    let first: Promise<Sample> | undefined;
    let startedAt = 0n;
    let end!: { resolve: () => void; reject: (error: Error) => void };
    const done = new Promise<void>((resolve, reject) => (end = { resolve, reject }));
    // Consuming before the first command is published, so that no reply goes unseen.
    await broker.consumeReplies(({ metadata: { status } }) => {
      if (status !== 'SUCCESS') end.reject(new Error(`the worker replied ${status}`));
      if (++replied === warmUp) {
        first = sample();
        startedAt = process.hrtime.bigint();
      }
      if (replied === total) end.resolve();
      else if (sent < total) publish();
    });
    for (let i = 0; i < window; i++) publish();
    await done;
    const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
    const [a, b] = [await first!, await sample()];
    const n = b.handled - a.handled;
    const us = (field: 'user' | 'system') => (b.cpu[field] - a.cpu[field]) / n;
    process.stdout.write(`SDK worker on ${broker.name}, ${window} in flight: ${n} commands at ${(n / seconds).toFixed(0)}/s, `
      + `worker CPU ${(us('user') + us('system')).toFixed(1)} µs per command (user ${us('user').toFixed(1)}, system ${us('system').toFixed(1)})\n`);
  };
  try {
    await Promise.race([run(), exited, deadline]);
  } finally {
    finished = true;
    if (child.connected) child.send('stop');
    await Promise.race([exited, sleep(10_000)]).catch(() => undefined);
    await broker.close();
  }
}

(process.argv.includes('--serve') ? serve() : measure()).catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
