import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
import { Client } from 'pg';
import { serverSuite } from '../../helpers/server-env';
import { execute, waitForRun } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * A worker process dies after its handler's effect and the SDK's record of it, but before its
 * reply: RabbitMQ delivers the command again to the next process. With the PostgreSQL store that
 * process replays the recorded result and the effect happens once; with an in-process store
 * (the control) it happens twice. Needs `npm run build` (the worker process loads the SDK's dist).
 */
describe('worker SDK: a worker killed before its reply, RabbitMQ', () => {
  const suite = serverSuite('rabbitmq');
  let t: TestApp;
  let env: Record<string, string>;
  let db: Client;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    env = await suite.env();
    t = await startTestApp(env);
    await t.app.listen(0, '127.0.0.1');
    db = new Client({ connectionString: env.DATABASE_URL });
    await db.connect();
    await db.query('CREATE TABLE effects (k text NOT NULL, pid int NOT NULL)');
  }, 120_000);

  afterEach(() => {
    for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  });

  afterAll(async () => {
    await db?.end();
    await t?.close();
    await suite.cleanup();
  });

  async function spawnWorker(vars: Record<string, string>): Promise<ChildProcess> {
    const child = spawn(process.execPath, [join(__dirname, 'fixtures/effect-worker.js')], {
      env: { ...process.env, PG_URL: env.DATABASE_URL, BATON_URL: await t.app.getUrl(), ...vars },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(child);
    await once(child.stdout!, 'data');
    return child;
  }

  async function crashThenRecover(store: 'postgres' | 'memory'): Promise<number> {
    const orchName = `crash${randomUUID().slice(0, 8)}`;
    const service = `svc-${orchName}`;
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'sdk-initiator')
      .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'effect', objectType: 'String' }] }).expect(201);
    const transport = JSON.stringify({ rabbitmq: { url: env.RABBITMQ_URL, commandTopicPrefix: env.COMMAND_TOPIC_PREFIX, replyTopic: env.TOPIC_REPLY } });
    const vars = { SERVICE: service, ORCH: orchName, TRANSPORT: transport, STORE: store };
    const doomed = await spawnWorker({ ...vars, DIE_AFTER_RECORD: '1' });
    const { flowId } = (await execute(t, orchName).expect(202)).body;
    const [, signal] = await once(doomed, 'exit');
    expect(signal).toBe('SIGKILL');
    await spawnWorker(vars);
    await waitForRun(t, flowId, 'COMPLETED', 30_000);
    const { rows } = await db.query('SELECT count(*)::int AS n FROM effects WHERE k LIKE $1', [`${flowId}:%`]);
    return rows[0].n;
  }

  it('with the PostgreSQL store, the command comes again and the effect happens once', async () => {
    expect(await crashThenRecover('postgres')).toBe(1);
  });

  it('with the in-process store (the control), the effect happens twice', async () => {
    expect(await crashThenRecover('memory')).toBe(2);
  });
});
