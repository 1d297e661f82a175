import { Logger } from '@nestjs/common';
import { KafkaJSProtocolError } from 'kafkajs';
import { EmbeddedDatabase, openEmbeddedDatabase } from '../../../test/helpers/embedded-database';
import { expectEventually } from '../../../test/helpers/expect-eventually';
import { loadConfig } from '../../config/load-config';
import { Metrics } from '../../metrics/metrics';
import type { OutgoingMessage } from '../message';
import { MessagePublisher } from '../message-publisher';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxEntry, OutboxService } from './outbox.service';
import { MAX_REFUSALS } from './refusal-policy';
import { createRelayPresence } from './relay-presence.factory';

const DENIED = 'orchestrator.commands.denied';
const STATUS = 'orchestrator.run.status';

/** kafkajs's error for a broker's answer refusing the messages. */
const refusal = (type: string) => new KafkaJSProtocolError(Object.assign(new Error(type), { type, retriable: false, code: 0 }));

/** A broker that refuses every message to DENIED, and any whose body is `too large`, for good; or, while `down`, everything. */
class RefusingPublisher extends MessagePublisher {
  readonly published: OutgoingMessage[] = [];
  down = false;

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (this.down) throw new Error('broker down');
    if (messages.some((m) => m.topic === DENIED)) throw refusal('TOPIC_AUTHORIZATION_FAILED');
    if (messages.some((m) => m.body.toString() === 'too large')) throw refusal('MESSAGE_TOO_LARGE');
    this.published.push(...messages);
  }
}

describe('OutboxRelay: rows the broker refuses for good', () => {
  const config = loadConfig({ OUTBOX_POLL_MS: '20', INSTANCE_ID: 'relay-test' });
  const outbox = new OutboxService(config);
  let db: EmbeddedDatabase;
  let publisher: RefusingPublisher;
  let metrics: Metrics;
  let relay: OutboxRelay | undefined;

  /** Commits the entries, dated back as if left by a crashed relay: the sweep takes them at once. */
  const leftBehind = async (entries: OutboxEntry[]) => {
    const records = await db.dataSource.transaction((m) => outbox.append(m, entries));
    await db.dataSource.query(`UPDATE outbox SET created_at = now() - interval '1 minute', available_at = now() - interval '1 minute'
      WHERE id = ANY($1::bigint[])`, [records.map((r) => r.id)]);
    return records;
  };
  const rowOf = async (id: string) => (await db.dataSource.query(
    `SELECT refusals, last_refusal, sent_at IS NOT NULL AS done, dropped_at IS NOT NULL AS dropped, available_at > now() AS waiting
       FROM outbox WHERE id = $1`, [id]))[0];
  const startRelay = () => {
    relay = new OutboxRelay(db.dataSource, publisher, config, metrics, createRelayPresence(db.dataSource, config));
    relay.start();
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await openEmbeddedDatabase();
  }, 60_000);
  beforeEach(async () => {
    await db.dataSource.query('DELETE FROM outbox');
    publisher = new RefusingPublisher();
    metrics = new Metrics();
  });
  afterEach(async () => {
    await relay?.stop();
    relay = undefined;
  });
  afterAll(() => db?.close());

  it('publishes every row behind a refused one, and parks that one after a few refusals', async () => {
    const [denied] = await leftBehind([
      { topic: DENIED, key: 'flow-0:charge', body: Buffer.from('command') },
      ...Array.from({ length: 20 }, (_, i) => ({ topic: STATUS, key: `flow-${i}`, body: Buffer.from(`event ${i}`) })),
    ]);
    startRelay();
    await expectEventually(() => expect(publisher.published).toHaveLength(20));
    expect(await rowOf(denied.id)).toEqual({
      refusals: 1, last_refusal: 'TOPIC_AUTHORIZATION_FAILED', done: false, dropped: false, waiting: true,
    });
    // Its last try: parked once something else goes out beside it.
    await db.dataSource.query('UPDATE outbox SET refusals = $2, available_at = now() WHERE id = $1', [denied.id, MAX_REFUSALS - 1]);
    await leftBehind([{ topic: STATUS, key: 'flow-x', body: Buffer.from('later') }]);
    await expectEventually(async () => expect(await rowOf(denied.id)).toMatchObject({ refusals: MAX_REFUSALS, done: true, dropped: true }));
    expect(publisher.published.map((m) => m.topic)).not.toContain(DENIED);
    expect(await metrics.registry.getSingleMetricAsString('baton_outbox_parked_total')).toContain(`topic="${DENIED}"} 1`);
  });

  it('keeps a refused row\'s key behind it, and lets it go once the row is parked', async () => {
    const [big, sameKey] = await leftBehind([
      { topic: STATUS, key: 'flow-1', body: Buffer.from('too large') },
      { topic: STATUS, key: 'flow-1', body: Buffer.from('after it') },
      { topic: STATUS, key: 'flow-2', body: Buffer.from('other run') },
    ]);
    startRelay();
    await expectEventually(() => expect(publisher.published.map((m) => m.body.toString())).toEqual(['other run']));
    expect(await rowOf(big.id)).toMatchObject({ refusals: 1, done: false, waiting: true });
    expect(await rowOf(sameKey.id)).toMatchObject({ refusals: 0, done: false, waiting: true });
    await db.dataSource.query('UPDATE outbox SET refusals = $2, available_at = now() WHERE id = $1', [big.id, MAX_REFUSALS - 1]);
    await db.dataSource.query('UPDATE outbox SET available_at = now() WHERE id = $1', [sameKey.id]);
    // Alone, a refusal might be an outage's: it counts once another row goes out beside it.
    await leftBehind([{ topic: STATUS, key: 'flow-3', body: Buffer.from('another run') }]);
    await expectEventually(() => expect(publisher.published.map((m) => m.body.toString())).toEqual(['other run', 'another run', 'after it']));
    expect(await rowOf(big.id)).toMatchObject({ done: true, dropped: true });
  });

  it('holds nothing against any row while the broker is down, and publishes them all once it is back', async () => {
    publisher.down = true;
    const records = await leftBehind(Array.from({ length: 6 }, (_, i) => ({ topic: i % 2 ? STATUS : 'orchestrator.commands.w', body: Buffer.from(`${i}`) })));
    startRelay();
    await new Promise((r) => setTimeout(r, 300)); // several failed passes
    const [{ refused }] = await db.dataSource.query('SELECT count(*)::int AS refused FROM outbox WHERE refusals > 0');
    expect(refused).toBe(0);
    publisher.down = false;
    await expectEventually(() => expect(publisher.published).toHaveLength(records.length));
  });
});
