import { DataSource } from 'typeorm';
import { expectEventually } from '../../helpers/expect-eventually';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

const instanceOf = async (t: TestApp) => {
  const { body } = await t.http.get('/api/orchestration/health');
  return { status: body.status, instance: body.details?.instance };
};

/**
 * Two running instances configured with one INSTANCE_ID would take each other's outbox rows and
 * leases. Each finds the other's beat on its own row within seconds, and says so in its health
 * (degraded, still taking runs) until the other stops; an instance restarted under its own id
 * finds only its predecessor's beat, which is no twin.
 */
describe('two instances configured with one INSTANCE_ID (PostgreSQL)', () => {
  const suite = serverSuite('memory');
  let a: TestApp;
  let b: TestApp | undefined;

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await suite.cleanup();
  });

  it('each reports the other until it stops; a restart under its own id is no twin', async () => {
    const env = { ...await suite.env(), INSTANCE_ID: 'engine-1' };
    a = await startTestApp(env);
    await expectEventually(async () => expect(await instanceOf(a)).toEqual({ status: 'ok', instance: { status: 'up', instanceId: 'engine-1' } }));
    b = await startTestApp(env);
    const shared = { status: 'degraded', instance: { status: 'down', instanceId: 'engine-1', error: 'another running process has this INSTANCE_ID' } };
    await expectEventually(async () => {
      expect(await instanceOf(a)).toEqual(shared);
      expect(await instanceOf(b!)).toEqual(shared);
    }, { timeoutMs: 10_000, intervalMs: 250 });

    await b.close();
    b = undefined;
    await expectEventually(async () => expect((await instanceOf(a)).status).toBe('ok'), { timeoutMs: 20_000, intervalMs: 500 });
    const beatOf = async (t: TestApp) => (await t.get(DataSource).query(
      `SELECT boot_id, seen_at FROM outbox_relay WHERE relay_id = 'engine-1'`))[0] as { boot_id: string; seen_at: Date };
    const predecessor = (await beatOf(a)).boot_id;
    await a.close();
    a = await startTestApp(env); // the same id, its predecessor's beat a moment old
    // The new process's first beat found the predecessor's; wait for two more, which judged it.
    const first = await expectEventually(async () => {
      const beat = await beatOf(a);
      expect(beat.boot_id).not.toBe(predecessor);
      return beat.seen_at.getTime();
    });
    await expectEventually(async () => expect((await beatOf(a)).seen_at.getTime()).toBeGreaterThan(first + 1500), { timeoutMs: 10_000, intervalMs: 200 });
    expect(await instanceOf(a)).toEqual({ status: 'ok', instance: { status: 'up', instanceId: 'engine-1' } });
  });
});
