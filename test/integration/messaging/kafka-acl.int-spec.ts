import { createWorker, type Worker } from '@baton/worker';
import { Kafka, logLevel, type Consumer, type Producer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { initiatorYaml } from '../../helpers/documents';
import { expectEventually } from '../../helpers/expect-eventually';
import { freshDatabase } from '../../helpers/postgres';
import { readmeCommands, servicesTool } from '../../helpers/readme-commands';
import { startTestApp, type TestApp } from '../../helpers/test-app';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The first kafkajs error type (TOPIC_AUTHORIZATION_FAILED …) in an error's chain of causes. */
function errorType(error: unknown): string {
  for (let e = error as { type?: string; cause?: unknown; originalError?: unknown } | undefined; e; e = (e.cause ?? e.originalError) as typeof e) {
    if (e.type) return e.type;
  }
  return String((error as Error)?.message ?? error);
}

/**
 * The README's Kafka ACLs and SCRAM users, applied word for word (with users, a topic prefix and
 * groups of this run) to the shared broker's SASL listener, where ACLs are enforced: Baton on its
 * own user runs a flow that tenant-service starts over the broker and realm-service works on the
 * SDK, and each service is refused every topic and group that is not its own.
 */
describe('Kafka ACLs from the README (real Kafka, SASL/SCRAM listener with an authorizer)', () => {
  const suffix = randomBytes(4).toString('hex');
  const ns = `acl${suffix}.`;
  const passwords = new Map(['baton', 'tenant-service', 'realm-service'].map((u) => [u, randomBytes(16).toString('hex')]));
  const userOf = (name: string) => `${name}-${suffix}`;
  const topic = (name: string) => `${ns}orchestrator.${name}`;
  const plainBrokers = () => (process.env.KAFKA_BROKERS ?? '').split(',');
  const saslBrokers = () => {
    const brokers = process.env.KAFKA_SASL_BROKERS;
    if (!brokers) throw new Error('KAFKA_SASL_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');
    return brokers.split(',');
  };
  const sasl = (name: string) => ({ mechanism: 'scram-sha-512' as const, username: userOf(name), password: passwords.get(name)! });
  /**
   * A client on the SASL listener as `name`. kafkajs hides some refusals behind its own errors or
   * retries (a FindCoordinator refused for the group becomes "Failed to find group coordinator"; a
   * fetch refused for the topic is retried quietly): the broker's answer is in its debug log.
   */
  const clientOf = (name: string, onRefusal: (type: string) => void = () => undefined) => new Kafka({
    clientId: userOf(name), brokers: saslBrokers(), sasl: sasl(name), retry: { retries: 2 }, logLevel: logLevel.DEBUG,
    logCreator: () => ({ log }) => {
      const text = JSON.stringify(log, (_k, v: unknown) => (v instanceof Error ? { ...v, message: v.message } : v));
      const refused = /(TOPIC|GROUP)_AUTHORIZATION_FAILED|Not authorized to access (topics|group)/.exec(text);
      if (refused) onRefusal(refused[1] ? `${refused[1]}_AUTHORIZATION_FAILED` : `${refused[2] === 'group' ? 'GROUP' : 'TOPIC'}_AUTHORIZATION_FAILED`);
    },
  });
  const open: Array<Producer | Consumer> = [];
  const applied: Array<{ tool: string; args: string[] }> = [];
  let t: TestApp;
  let dropDatabase: () => Promise<void>;
  let worker: Worker | undefined;

  /**
   * The README's command, run against this broker: the admin is the PLAINTEXT listener's super user
   * (so no --command-config), and users, topics and groups get this run's names.
   */
  function localised([tool, ...args]: string[]): { tool: string; args: string[] } {
    expect(['kafka-configs.sh', 'kafka-acls.sh']).toContain(tool);
    const out: string[] = [];
    for (let i = 0; i < args.length; i++) {
      const [word, previous] = [args[i], args[i - 1]];
      if (word === '--command-config') { i++; continue; }
      if (previous === '--bootstrap-server') out.push(plainBrokers()[0]);
      else if (previous === '--entity-name') out.push(userOf(word));
      else if (previous === '--allow-principal') out.push(`User:${userOf(word.replace(/^User:/, ''))}`);
      else if (previous === '--topic' || previous === '--group') out.push(`${ns}${word}`);
      else if (previous === '--add-config') out.push(word.replace('…', passwords.get(args[i - 2])!));
      else out.push(word);
    }
    return { tool: tool.replace(/\.sh$/, ''), args: out };
  }

  beforeAll(async () => {
    const commands = readmeCommands('**Kafka ACLs**');
    expect(commands.filter(([tool]) => tool === 'kafka-acls.sh').length).toBeGreaterThan(3);
    for (const command of commands) {
      const { tool, args } = localised(command);
      await servicesTool(tool, args);
      applied.push({ tool, args });
    }
    const db = await freshDatabase();
    dropDatabase = db.drop;
    // The topics are this run's own, so starting Baton's new groups at the earliest offset replays
    // nothing foreign; at `latest`, a registration produced before a group's first join completes
    // (it joins after boot) would be skipped.
    t = await startTestApp({
      REQUEST_TOPICS_START_AT: 'earliest',
      DATABASE_URL: db.url, MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: saslBrokers().join(','),
      KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: userOf('baton'), KAFKA_SASL_PASSWORD: passwords.get('baton')!,
      CONSUMER_GROUP: `${ns}baton-engine`, COMMAND_TOPIC_PREFIX: topic('commands.'),
      TOPIC_REGISTRATION: topic('registration'), TOPIC_EXECUTION_START: topic('execution.start'),
      TOPIC_REPLY: topic('reply'), TOPIC_RUN_STATUS: topic('run.status'),
    });
    await t.app.listen(0, '127.0.0.1');
  }, 240_000);

  // The refusals reuse the services' own groups: leave them empty after each test (passed or not),
  // so no assignment is shared.
  afterEach(async () => {
    await worker?.stop();
    worker = undefined;
    await Promise.all(open.splice(0).map((c) => c.disconnect().catch(() => undefined)));
  });

  afterAll(async () => {
    await t?.close();
    await dropDatabase?.();
    // The same commands undone, so the shared broker keeps no users or ACLs of this run.
    for (const { tool, args } of applied.reverse()) {
      const undo = tool === 'kafka-acls'
        ? args.map((a) => (a === '--add' ? ['--remove', '--force'] : [a])).flat()
        : args.map((a, i) => (a === '--add-config' ? '--delete-config' : args[i - 1] === '--add-config' ? 'SCRAM-SHA-512' : a));
      await servicesTool(tool, undo).catch(() => undefined);
    }
  }, 240_000);

  async function produce(name: string, to: string, value: string, headers: Record<string, string> = {}): Promise<string> {
    const producer = clientOf(name).producer();
    open.push(producer);
    await producer.connect();
    return producer.send({ topic: to, messages: [{ value, headers }] }).then(() => 'allowed', errorType);
  }

  /**
   * 'allowed' once the consumer in `group` has read a message of `from` (every topic asked about
   * holds some), or the broker's refusal. Joining the group and fetching can succeed on a topic
   * the user may only write (Write implies Describe), so only a message read counts.
   */
  async function consume(name: string, group: string, from: string, seen: string[] = []): Promise<string> {
    let settle: (outcome: string) => void = () => undefined;
    const outcome = new Promise<string>((resolve) => { settle = resolve; });
    const consumer = clientOf(name, settle).consumer({ groupId: group, sessionTimeout: 10_000, retry: { retries: 0 } });
    open.push(consumer);
    consumer.on(consumer.events.CRASH, ({ payload }) => settle(errorType(payload.error)));
    setTimeout(() => settle('read nothing in 30 s'), 30_000).unref();
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: from, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => { seen.push(message.value?.toString() ?? ''); settle('allowed'); } });
    } catch (error) {
      settle(errorType(error));
    }
    return outcome;
  }

  it("runs a flow on Baton's SASL user, registered and started by tenant-service, worked by realm-service on the SDK", async () => {
    const yaml = initiatorYaml('kaclFlow', 'sequential', ['createRealm', 'createClient']);
    expect(await produce('tenant-service', topic('registration'), yaml, { 'content-type': 'application/yaml', 'x-service-name': 'tenant-service' })).toBe('allowed');

    worker = createWorker({ service: 'realm-service', baton: { url: await t.app.getUrl() }, handleSignals: false, logger: quiet,
      transport: { kafka: { brokers: saslBrokers(), sasl: sasl('realm-service'), groupId: `${ns}realm-service`,
        commandTopicPrefix: topic('commands.'), replyTopic: topic('reply') } } });
    worker.step('kaclFlow', 'createRealm', { objectType: 'String', do: () => ({ realmId: 'r-1' }) });
    worker.step('kaclFlow', 'createClient', { objectType: 'String', do: (cmd) => ({ clientOf: cmd.outputs.createRealm.realmId }) });
    await worker.start();
    await expectEventually(async () => expect((await t.http.get('/api/orchestration/templates/kaclFlow').expect(200)).body.status).toBe('READY'),
      { timeoutMs: 30_000 });

    const start = JSON.stringify({ orchName: 'kaclFlow', payload: { tenant: 'acme' }, idempotencyKey: `kacl-${suffix}` });
    expect(await produce('tenant-service', topic('execution.start'), start, { 'content-type': 'application/json' })).toBe('allowed');
    await expectEventually(async () => {
      const runs = (await t.http.get('/api/orchestration/runs').query({ orchName: 'kaclFlow' }).expect(200)).body;
      expect(runs.items).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
    }, { timeoutMs: 60_000 });

    const statuses: string[] = [];
    expect(await consume('tenant-service', `${ns}tenant-service`, topic('run.status'), statuses)).toBe('allowed');
    await expectEventually(() => expect(statuses.some((s) => s.includes('COMPLETED'))).toBe(true), { timeoutMs: 30_000 });
  });

  it("refuses realm-service Baton's topics, another service's commands, other groups, and starting runs", async () => {
    const other = topic('commands.other-service');
    const admin = new Kafka({ brokers: plainBrokers(), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: other }], waitForLeaders: true });
    await admin.disconnect();
    const refusals = {
      readReplies: await consume('realm-service', `${ns}realm-service`, topic('reply')),
      readOtherCommands: await consume('realm-service', `${ns}realm-service`, other),
      joinBatonGroup: await consume('realm-service', `${ns}baton-engine.${topic('reply')}`, topic('commands.realm-service')),
      publishStart: await produce('realm-service', topic('execution.start'), '{"orchName":"kaclFlow"}'),
    };
    expect(refusals).toEqual({
      readReplies: 'TOPIC_AUTHORIZATION_FAILED', readOtherCommands: 'TOPIC_AUTHORIZATION_FAILED',
      joinBatonGroup: 'GROUP_AUTHORIZATION_FAILED', publishStart: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });

  it("refuses tenant-service the workers' commands, Baton's starts, and forged replies", async () => {
    const refusals = {
      readCommands: await consume('tenant-service', `${ns}tenant-service`, topic('commands.realm-service')),
      readStarts: await consume('tenant-service', `${ns}tenant-service`, topic('execution.start')),
      forgeReply: await produce('tenant-service', topic('reply'), '{"flowId":"x"}'),
    };
    expect(refusals).toEqual({
      readCommands: 'TOPIC_AUTHORIZATION_FAILED', readStarts: 'TOPIC_AUTHORIZATION_FAILED', forgeReply: 'TOPIC_AUTHORIZATION_FAILED',
    });
  });
});
