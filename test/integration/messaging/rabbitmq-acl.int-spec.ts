import { createWorker, type Worker } from '@baton/worker';
import amqp, { type ChannelModel, type ConfirmChannel } from 'amqplib';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { initiatorYaml } from '../../helpers/documents';
import { expectEventually } from '../../helpers/expect-eventually';
import { freshDatabase } from '../../helpers/postgres';
import { readmeCommands, servicesTool } from '../../helpers/readme-commands';
import { startTestApp, type TestApp } from '../../helpers/test-app';
import { RabbitMqTransport } from '../../../packages/worker/src/transports/rabbitmq-transport';

/**
 * The README's RabbitMQ users, vhosts and permissions, applied word for word (to a vhost and users
 * of this run) on the real server: Baton's user runs a flow that tenant-service registers and starts
 * over the broker and realm-service works on the SDK, and each service is refused what is not its own.
 */
describe('RabbitMQ permissions from the README (real RabbitMQ)', () => {
  const suffix = randomBytes(4).toString('hex');
  const vhost = `acl-${suffix}`;
  const users = ['baton', 'tenant-service', 'realm-service'];
  const passwords = new Map(users.map((u) => [u, randomBytes(16).toString('hex')]));
  const userOf = (name: string) => {
    if (!passwords.has(name)) throw new Error(`README names an unexpected user ${name}`);
    return `${name}-${suffix}`;
  };
  const urlOf = (name: string) => {
    const url = new URL(process.env.RABBITMQ_URL ?? '');
    url.username = userOf(name);
    url.password = passwords.get(name)!;
    url.pathname = `/${vhost}`;
    return url.toString();
  };
  const connections: ChannelModel[] = [];
  const connectTo = async (url: string) => {
    const connection = await amqp.connect(url);
    connections.push(connection);
    return connection;
  };
  const connect = (name: string) => connectTo(urlOf(name));
  let t: TestApp;
  let dropDatabase: () => Promise<void>;
  let worker: Worker | undefined;

  /** The README's command with this run's vhost, users and passwords in place of its names and `'…'`. */
  function localised([tool, verb, ...rest]: string[]): string[] {
    expect(tool).toBe('rabbitmqctl');
    if (verb === 'add_vhost') return [verb, vhost];
    if (verb === 'add_user') return [verb, userOf(rest[0]), passwords.get(rest[0])!];
    expect(verb).toMatch(/^set_(topic_)?permissions$/);
    expect(rest[0]).toBe('-p');
    return [verb, '-p', vhost, userOf(rest[2]), ...rest.slice(3)];
  }

  beforeAll(async () => {
    const commands = readmeCommands('**RabbitMQ users, vhosts and permissions.**');
    expect(commands.map((c) => c[1])).toContain('set_topic_permissions');
    for (const command of commands) await servicesTool('rabbitmqctl', localised(command));
    const db = await freshDatabase();
    dropDatabase = db.drop;
    t = await startTestApp({ DATABASE_URL: db.url, MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: urlOf('baton') });
    await t.app.listen(0, '127.0.0.1');
  }, 180_000);

  afterAll(async () => {
    await worker?.stop();
    await Promise.all(connections.map((c) => c.close().catch(() => undefined)));
    await t?.close();
    await dropDatabase?.();
    for (const v of [vhost, `${vhost}-fresh`]) await servicesTool('rabbitmqctl', ['delete_vhost', v]).catch(() => undefined);
    for (const user of users) await servicesTool('rabbitmqctl', ['delete_user', userOf(user)]).catch(() => undefined);
  }, 120_000);

  /** What the broker answers `op` on a fresh channel: 'allowed', or the reason it closed the channel. */
  async function attempt(connection: ChannelModel, op: (ch: ConfirmChannel) => Promise<unknown>): Promise<string> {
    const channel = await connection.createConfirmChannel();
    const closed = new Promise<string>((resolve) => channel.on('error', (e: Error) => resolve(e.message)));
    const outcome = await op(channel).then(() => 'allowed', (e: Error) => e.message);
    // A refused publish closes the channel asynchronously: give the broker time to say so.
    const reason = await Promise.race([closed, sleep(outcome === 'allowed' ? 1500 : 200).then(() => undefined)]);
    if (!reason) await channel.close().catch(() => undefined);
    return reason ?? outcome;
  }
  const publish = (channel: ConfirmChannel, topic: string, body: string, headers: Record<string, string> = {}) =>
    new Promise<void>((resolve, reject) => channel.publish('baton', topic, Buffer.from(body), { persistent: true, headers },
      (error) => (error ? reject(error) : resolve())));

  it("runs a flow on Baton's user, registered and started by tenant-service, worked by realm-service on the SDK", async () => {
    const tenant = await connect('tenant-service');
    const statuses: string[] = [];
    const listen = await tenant.createChannel();
    await listen.assertQueue('tenant-service.run-status', { durable: true });
    await listen.bindQueue('tenant-service.run-status', 'baton', 'orchestrator.run.status');
    await listen.consume('tenant-service.run-status', (m) => m && statuses.push(m.content.toString()), { noAck: true });

    const yaml = initiatorYaml('aclFlow', 'sequential', ['createRealm', 'createClient']);
    expect(await attempt(tenant, (ch) => publish(ch, 'orchestrator.registration', yaml,
      { 'content-type': 'application/yaml', 'x-service-name': 'tenant-service' }))).toBe('allowed');

    worker = createWorker({ service: 'realm-service', baton: { url: await t.app.getUrl() },
      transport: { rabbitmq: { url: urlOf('realm-service') } }, handleSignals: false, logger: { info: () => undefined, warn: () => undefined, error: () => undefined } });
    worker.step('aclFlow', 'createRealm', { objectType: 'String', do: () => ({ realmId: 'r-1' }) });
    worker.step('aclFlow', 'createClient', { objectType: 'String', do: (cmd) => ({ clientOf: cmd.outputs.createRealm.realmId }) });
    await worker.start();
    await expectEventually(async () => expect((await t.http.get('/api/orchestration/templates/aclFlow').expect(200)).body.status).toBe('READY'));

    const start = JSON.stringify({ orchName: 'aclFlow', payload: { tenant: 'acme' }, idempotencyKey: `acl-${suffix}` });
    expect(await attempt(tenant, (ch) => publish(ch, 'orchestrator.execution.start', start, { 'content-type': 'application/json' }))).toBe('allowed');
    await expectEventually(async () => {
      const runs = (await t.http.get('/api/orchestration/runs').query({ orchName: 'aclFlow' }).expect(200)).body;
      expect(runs.items).toEqual([expect.objectContaining({ status: 'COMPLETED' })]);
      expect(statuses.some((s) => s.includes('COMPLETED'))).toBe(true);
    }, { timeoutMs: 30_000 });
  });

  it("refuses realm-service Baton's queues, another service's, topics outside its own, and Baton's exchange", async () => {
    const other = 'other-service.orchestrator.commands.other-service';
    await (await (await connect('baton')).createChannel()).assertQueue(other, { durable: true });
    const realm = await connect('realm-service');
    const refusals = {
      readReplies: await attempt(realm, (ch) => ch.consume('baton-engine.orchestrator.reply', () => undefined)),
      readStarts: await attempt(realm, (ch) => ch.consume('baton-engine.orchestrator.execution.start', () => undefined)),
      readOtherService: await attempt(realm, (ch) => ch.consume(other, () => undefined)),
      bindToStarts: await attempt(realm, async (ch) => {
        await ch.assertQueue('realm-service.spy');
        await ch.bindQueue('realm-service.spy', 'baton', 'orchestrator.execution.start');
      }),
      bindToOtherCommands: await attempt(realm, (ch) => ch.bindQueue('realm-service.spy', 'baton', 'orchestrator.commands.other-service')),
      bindToOtherDeadLetters: await attempt(realm, (ch) => ch.bindQueue('realm-service.spy', 'baton.dlx', 'orchestrator.commands.other-service.DLQ')),
      publishStart: await attempt(realm, (ch) => publish(ch, 'orchestrator.execution.start', '{"orchName":"aclFlow"}')),
      deleteExchange: await attempt(realm, (ch) => ch.deleteExchange('baton')),
    };
    for (const [what, answer] of Object.entries(refusals)) expect(`${what}: ${answer}`).toMatch(new RegExp(`^${what}: .*ACCESS_REFUSED`));
    // Its own command topic stays open to it, so the refusals above are the permissions at work.
    expect(await attempt(realm, (ch) => ch.bindQueue('realm-service.spy', 'baton', 'orchestrator.commands.realm-service'))).toBe('allowed');
  });

  it('refuses tenant-service the workers\' command queues, forged replies, and the registrations it does not send', async () => {
    const tenant = await connect('tenant-service');
    const refusals = {
      readCommands: await attempt(tenant, (ch) => ch.consume('realm-service.orchestrator.commands.realm-service', () => undefined)),
      readRegistrations: await attempt(tenant, (ch) => ch.consume('baton-engine.orchestrator.registration', () => undefined)),
      forgeReply: await attempt(tenant, (ch) => publish(ch, 'orchestrator.reply', '{"flowId":"x"}')),
    };
    for (const [what, answer] of Object.entries(refusals)) expect(`${what}: ${answer}`).toMatch(new RegExp(`^${what}: .*ACCESS_REFUSED`));
  });

  it("has the SDK declare Baton's exchanges itself on a vhost where Baton has not run yet, given the right", async () => {
    const fresh = `${vhost}-fresh`;
    const admin = new URL(process.env.RABBITMQ_URL ?? '');
    await servicesTool('rabbitmqctl', ['add_vhost', fresh]);
    await servicesTool('rabbitmqctl', ['set_permissions', '-p', fresh, decodeURIComponent(admin.username), '.*', '.*', '.*']);
    admin.pathname = `/${fresh}`;
    const transport = new RabbitMqTransport('realm-service', { url: admin.toString() }, { info: () => undefined, warn: () => undefined, error: () => undefined });
    try {
      await transport.prepare();
      const check = await (await connectTo(admin.toString())).createChannel();
      await expect(check.checkExchange('baton')).resolves.toBeDefined();
      await expect(check.checkExchange('baton.dlx')).resolves.toBeDefined();
    } finally {
      await transport.close();
    }
  });
});
