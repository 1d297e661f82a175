import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { AppConfig } from '../../../src/config/app-config';
import { loadConfig } from '../../../src/config/load-config';
import { MemoryDriver } from '../../../src/messaging/drivers/memory/memory.driver';
import type { IncomingMessage, OutgoingMessage } from '../../../src/messaging/message';
import { MessagePublisher } from '../../../src/messaging/message-publisher';
import { OutboxRelay } from '../../../src/messaging/outbox/outbox-relay.service';
import { OutboxEntry, OutboxService } from '../../../src/messaging/outbox/outbox.service';
import { createRelayPresence } from '../../../src/messaging/outbox/relay-presence.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';

export interface OpenedDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/** A broker that can be "down": publishing rejects, as the real drivers do during an outage. */
class SwitchablePublisher extends MessagePublisher {
  down = false;

  constructor(private readonly inner: MessagePublisher) {
    super();
  }

  async publish(messages: OutgoingMessage[]): Promise<void> {
    if (this.down) throw new Error('broker down');
    await this.inner.publish(messages);
  }
}

/**
 * The outbox (and the inbox's pruning) against a database (PGlite in e2e, PostgreSQL in integration), with the
 * in-process broker: the broker side is covered by the broker contract.
 */
export function describeOutboxContract(name: string, openDatabase: () => Promise<OpenedDatabase>): void {
  describe(`outbox: ${name}`, () => {
    const configWith = (env: Record<string, string> = {}) => loadConfig({ OUTBOX_POLL_MS: '50', OUTBOX_RETENTION_HOURS: '24', ...env });
    const config = configWith();
    const outbox = new OutboxService(config);
    let db: OpenedDatabase;
    let broker: MemoryDriver;
    let publisher: SwitchablePublisher;
    let metrics: Metrics;
    const relays: OutboxRelay[] = [];

    const relayOf = (through: MessagePublisher, relayConfig: AppConfig) =>
      new OutboxRelay(db.dataSource, through, relayConfig, metrics, createRelayPresence(db.dataSource, relayConfig));
    const newRelay = (instanceId?: string, through: MessagePublisher = publisher) => {
      const relay = relayOf(through, instanceId ? configWith({ INSTANCE_ID: instanceId }) : config);
      relays.push(relay);
      return relay;
    };
    const commit = (entries: OutboxEntry[]) => db.dataSource.transaction((m) => outbox.append(m, entries));
    const consume = async (topic: string) => {
      const received: IncomingMessage[] = [];
      await broker.subscribe({ topic, group: 'test', handler: async (m) => void received.push(m) });
      return received;
    };
    const unsent = async (topic: string): Promise<number> => {
      const [row] = await db.dataSource.query(
        'SELECT count(*)::int AS n FROM outbox WHERE topic = $1 AND sent_at IS NULL', [topic]);
      return row.n;
    };
    /**
     * A relay of `instance` claims the topic's rows (past the grace) and hangs publishing them: killed mid-sweep, its
     * leases held, and no longer beating; or, `alive`, a live instance stuck in that publish, still beating (its
     * presence is returned, to stop).
     */
    const killMidSweep = async (instance: string, topic: string, { alive = false } = {}) => {
      let claimed = false;
      const hung = new (class extends MessagePublisher {
        publish(): Promise<void> {
          claimed = true;
          return new Promise(() => undefined);
        }
      })();
      await db.dataSource.query("UPDATE outbox SET created_at = now() - interval '1 minute' WHERE topic = $1", [topic]);
      const killedConfig = configWith({ INSTANCE_ID: instance });
      const presence = createRelayPresence(db.dataSource, killedConfig);
      new OutboxRelay(db.dataSource, hung, killedConfig, metrics, presence).start();
      await expectEventually(() => expect(claimed).toBe(true));
      if (!alive) await presence.stop();
      return presence;
    };
    /**
     * A broker that holds publishes until `release`: only the first (a fast path stuck in one
     * publish), or every one, each then taking `delayMs` (an overloaded broker).
     */
    const heldPublisher = ({ every = false, delayMs = 0 } = {}) => {
      let release!: () => void;
      const gate = new Promise<void>((resolve) => { release = resolve; });
      let calls = 0;
      const publisher = new (class extends MessagePublisher {
        async publish(messages: OutgoingMessage[]): Promise<void> {
          if (every || calls++ === 0) await gate;
          if (delayMs > 0) await new Promise((r) => setTimeout(r, delayMs));
          await broker.publish(messages);
        }
      })();
      return { publisher, release };
    };
    /** Dates the topic's unsent rows back, as if written `seconds` ago and left since. */
    const age = (topic: string, seconds: number, where = 'true', params: unknown[] = []) => db.dataSource.query(
      `UPDATE outbox SET created_at = now() - $2::int * interval '1 second', available_at = now() - $2::int * interval '1 second'
        WHERE topic = $1 AND sent_at IS NULL AND ${where}`, [topic, seconds, ...params]);
    const topicName = () => `outbox.${randomBytes(4).toString('hex')}`;
    const entry = (topic: string, body: string, key?: string): OutboxEntry => ({ topic, key, body: Buffer.from(body) });

    beforeAll(async () => {
      Logger.overrideLogger(['error']);
      db = await openDatabase();
    });
    beforeEach(async () => {
      metrics = new Metrics();
      broker = new MemoryDriver(config, metrics);
      await broker.connect();
      publisher = new SwitchablePublisher(broker);
    });
    afterEach(async () => {
      await Promise.all(relays.splice(0).map((r) => r.stop()));
      await broker.close();
    });
    afterAll(() => db?.close());

    it('appends rows in the caller\'s transaction, each with its own message id', async () => {
      const topic = topicName();
      const later = new Date(Date.now() + 60_000);
      const records = await commit([
        { topic, key: 'k', headers: { 'x-correlation-id': 'c1' }, body: Buffer.from([0, 1, 255]) },
        { ...entry(topic, 'delayed'), availableAt: later },
      ]);
      expect(records).toHaveLength(2);
      const [now, delayed] = records;
      expect(now).toMatchObject({ topic, key: 'k', body: Buffer.from([0, 1, 255]) });
      expect(now.headers).toEqual({ 'x-correlation-id': 'c1', 'x-message-id': now.messageId });
      expect(now.delayed).toBe(false);
      expect(delayed.key).toBeNull();
      expect(delayed.delayed).toBe(true);
      const [stored] = await db.dataSource.query('SELECT available_at FROM outbox WHERE id = $1', [delayed.id]);
      expect(new Date(stored.available_at).getTime()).toBe(later.getTime());
      expect(new Set(records.map((r) => r.messageId)).size).toBe(2);
      expect(Number(delayed.id)).toBeGreaterThan(Number(now.id));
    });

    it('publishes committed rows right away and marks them sent', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const records = await commit([entry(topic, 'a', 'k'), entry(topic, 'b', 'k')]);
      await newRelay().publishNow(records);
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['a', 'b']));
      expect(received[0].id).toBe(records[0].messageId);
      await expectEventually(async () => expect(await unsent(topic)).toBe(0));
    });

    it('never publishes rows of a rolled-back transaction; the sweep publishes rows nobody handed over', async () => {
      const topic = topicName();
      const received = await consume(topic);
      await expect(db.dataSource.transaction(async (m) => {
        await outbox.append(m, [entry(topic, 'rolled back')]);
        throw new Error('abort');
      })).rejects.toThrow('abort');
      await commit([entry(topic, 'committed')]); // a relay that crashed before publishNow
      newRelay().start();
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['committed']), { timeoutMs: 10_000 });
      // Marked sent after the broker took it: the consumer may see it first.
      await expectEventually(async () => expect(await unsent(topic)).toBe(0));
      const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE topic = $1', [topic]);
      expect(n).toBe(1);
    });

    it('publishes what a crashed relay left behind from a new relay\'s sweep', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const crashed = newRelay();
      crashed.start();
      await commit([entry(topic, 'x', 'k'), entry(topic, 'y', 'k')]); // never handed to publishNow
      await crashed.stop();
      newRelay().start();
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['x', 'y']), { timeoutMs: 10_000 });
    });

    it('releases a killed relay\'s leases when its instance restarts, not when another instance starts', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const instance = `relay-${randomBytes(4).toString('hex')}`;
      await commit([entry(topic, 'held', 'k')]);
      await killMidSweep(instance, topic);
      newRelay(`other-${instance}`).start();
      await new Promise((r) => setTimeout(r, 500));
      expect(received).toHaveLength(0); // another instance leaves the lease alone
      newRelay(instance).start();
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['held']), { timeoutMs: 5000 });
    });

    it("leaves a live instance's leases alone when a twin starts with its INSTANCE_ID (they would go out twice)", async () => {
      const topic = topicName();
      const received = await consume(topic);
      const instance = `live-${randomBytes(4).toString('hex')}`;
      await commit([entry(topic, 'held', 'k')]);
      const live = await killMidSweep(instance, topic, { alive: true });
      try {
        newRelay(instance).start();
        await new Promise((r) => setTimeout(r, 3500)); // past the two seconds after which a restarted instance releases
        expect(received).toHaveLength(0);
      } finally {
        await live.stop();
      }
      // The other process gone (killed, it beats no more), the twin takes the id over and releases the lease, once.
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['held']), { timeoutMs: 20_000 });
      await expectEventually(async () => expect(await unsent(topic)).toBe(0));
      await new Promise((r) => setTimeout(r, 500));
      expect(received).toHaveLength(1);
    }, 40_000);

    it('a relay killed mid-sweep publishes none of its commands late: when its lease ends another instance drops them', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const instance = `killed-${randomBytes(4).toString('hex')}`;
      // A command whose attempt times out in 1 s, and a status event, which never expires.
      await commit([{ ...entry(topic, 'command', 'k'), expiresAt: new Date(Date.now() + 1000) }, entry(topic, 'event', 'k')]);
      await killMidSweep(instance, topic);
      newRelay(`other-${instance}`).start();
      await new Promise((r) => setTimeout(r, 1500)); // the attempt is over; the killed relay's lease holds
      expect(received).toHaveLength(0);
      // The lease ends (LEASE_SECONDS later in production): the other instance sweeps the rows.
      await db.dataSource.query('UPDATE outbox SET available_at = now() WHERE topic = $1 AND sent_at IS NULL', [topic]);
      await expectEventually(async () => expect(await unsent(topic)).toBe(0), { timeoutMs: 5000 });
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['event']));
      const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE topic = $1 AND dropped_at IS NOT NULL', [topic]);
      expect(n).toBe(1);
    });

    it("leaves a live instance's rows to its own fast path, however slow, on its sweep and on another instance's", async () => {
      const topic = topicName();
      const received = await consume(topic);
      // The writer's fast path hangs in its first publish (a slow broker, a cold restart); later ones go through.
      const { publisher: slowFirst, release } = heldPublisher();
      const writer = newRelay(undefined, slowFirst); // the instance `commit` writes as
      const handedOver = writer.publishNow(await commit([entry(topic, 'once', 'k')]));
      // Past the sweep's grace, not yet a lease old. Its sweeps start only now: one begun before the
      // handover, whose claim ran after this, would have taken the row as no fast path's.
      await age(topic, 10);
      writer.start();
      newRelay(`other-${randomBytes(4).toString('hex')}`, broker).start();
      await new Promise((r) => setTimeout(r, 1500)); // about 30 sweeps of each relay
      expect(received).toHaveLength(0);
      release();
      await handedOver;
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['once']));
      await expectEventually(async () => expect(await unsent(topic)).toBe(0));
      await new Promise((r) => setTimeout(r, 300)); // nothing arrives twice
      expect(received).toHaveLength(1);
    });

    it('never sweeps its own rows while its fast path holds any, however long its backlog', async () => {
      const topic = topicName();
      const received = await consume(topic);
      // An overloaded broker: publishes hang until released, and then each takes 300 ms.
      const { publisher: slow, release } = heldPublisher({ every: true, delayMs: 300 });
      const writer = newRelay(undefined, slow);
      writer.start();
      const first = writer.publishNow(await commit([entry(topic, 'first', 'k')]));
      await new Promise((r) => setTimeout(r, 300)); // the sweep runs meanwhile (every 50 ms)
      // Handed over behind it, and past the grace by the time the fast path gets to it.
      const second = writer.publishNow(await commit([entry(topic, 'second', 'k')]));
      await age(topic, 10);
      await new Promise((r) => setTimeout(r, 300));
      release();
      await Promise.all([first, second]);
      await expectEventually(async () => expect(await unsent(topic)).toBe(0));
      await new Promise((r) => setTimeout(r, 700)); // a sweep's publish would land within this
      expect(received.map((m) => m.body.toString())).toEqual(['first', 'second']);
    });

    it('sweeps a row its own fast path never got once it is a lease old, though the fast path is busy', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const { publisher: stuckFirst, release } = heldPublisher();
      const writer = newRelay(undefined, stuckFirst);
      const busy = writer.publishNow(await commit([entry(topic, 'held')]));
      await commit([entry(topic, 'orphan')]); // committed, never handed over (an ambiguous commit)
      await age(topic, 61, 'body = $3', [Buffer.from('orphan')]);
      writer.start();
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['orphan']), { timeoutMs: 5000 });
      release();
      await busy;
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['orphan', 'held']));
    });

    it('publishes the rows of an instance that stopped beating, once it is presumed dead', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const silent = `silent-${randomBytes(4).toString('hex')}`;
      await db.dataSource.query('INSERT INTO outbox_relay (relay_id, seen_at) VALUES ($1, now())', [silent]);
      await db.dataSource.transaction((m) => new OutboxService(configWith({ INSTANCE_ID: silent })).append(m, [entry(topic, 'orphan')]));
      await age(topic, 10);
      const started = Date.now();
      const heir = relayOf(broker, configWith({ INSTANCE_ID: `heir-${silent}`, OUTBOX_PEER_TIMEOUT_MS: '1000' }));
      relays.push(heir);
      heir.start();
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['orphan']), { timeoutMs: 10_000 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000); // not before its beat had been still for the timeout
    });

    it('a relay whose broker fails, still beating, leaves what it wrote to another instance', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const broken = new SwitchablePublisher(broker);
      broken.down = true;
      const writer = newRelay(undefined, broken);
      writer.start();
      await writer.publishNow(await commit([entry(topic, 'rescued', 'k')])); // fails: degraded
      newRelay(`heir-${randomBytes(4).toString('hex')}`, broker).start();
      // Its failed sweeps release the row to everyone: no need to wait until it is presumed dead (10 s).
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['rescued']), { timeoutMs: 5_000 });
      await expectEventually(async () => expect(await unsent(topic)).toBe(0));
    });

    it('never publishes a command whose deadline has passed, on either path, and marks it done', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const past = new Date(Date.now() - 1000);
      const future = new Date(Date.now() + 60_000);
      const relay = newRelay();
      await relay.publishNow(await commit([{ ...entry(topic, 'void now', 'k'), expiresAt: past }, { ...entry(topic, 'valid', 'k'), expiresAt: future }]));
      const [later] = await commit([{ ...entry(topic, 'void later', 'k'), expiresAt: past }]);
      // Left behind by a crashed relay: past the sweep's grace period.
      await db.dataSource.query("UPDATE outbox SET created_at = now() - interval '1 minute', available_at = now() - interval '1 minute' WHERE id = $1", [later.id]);
      relay.start();
      await expectEventually(async () => expect(await unsent(topic)).toBe(0), { timeoutMs: 5000 });
      await expectEventually(() => expect(received.map((m) => m.body.toString())).toEqual(['valid']));
      await new Promise((r) => setTimeout(r, 300)); // nothing else arrives late
      expect(received).toHaveLength(1);
      const [{ n }] = await db.dataSource.query('SELECT count(*)::int AS n FROM outbox WHERE topic = $1 AND dropped_at IS NOT NULL', [topic]);
      expect(n).toBe(2);
    });

    it('refuses to store a message over MESSAGE_MAX_BYTES, so no unsendable row exists', () => {
      const small = new OutboxService(configWith({ MESSAGE_MAX_BYTES: '2048' }));
      expect(() => small.stage([entry(topicName(), 'x'.repeat(2048))])).toThrow(expect.objectContaining({
        code: 'PAYLOAD_TOO_LARGE', message: expect.stringMatching(/over the broker limit of 2048 \(MESSAGE_MAX_BYTES\)/),
      }));
      expect(small.stage([entry(topicName(), 'x'.repeat(1500))]).records).toHaveLength(1);
    });

    it('keeps rows while the broker is down and publishes them, each key in order, once it is back', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const relay = newRelay();
      relay.start();
      publisher.down = true;
      for (let tx = 0; tx < 5; tx++) {
        const records = await commit(Array.from({ length: 4 }, (_, i) => entry(topic, `k${i}:${tx}`, `k${i}`)));
        await relay.publishNow(records);
      }
      expect(received).toHaveLength(0);
      expect(await unsent(topic)).toBe(20);
      expect((await relay.backlog()).count).toBeGreaterThan(0);
      publisher.down = false;
      await expectEventually(() => expect(received).toHaveLength(20), { timeoutMs: 10_000 });
      for (let i = 0; i < 4; i++) {
        expect(received.filter((m) => m.key === `k${i}`).map((m) => m.body.toString()))
          .toEqual([0, 1, 2, 3, 4].map((tx) => `k${i}:${tx}`));
      }
      await expectEventually(async () => expect(await unsent(topic)).toBe(0));
      // Caught up: the fast path publishes on its own again.
      await relay.publishNow(await commit([entry(topic, 'fast again')]));
      await expectEventually(() => expect(received.at(-1)?.body.toString()).toBe('fast again'));
    });

    it('keeps each key in order when many transactions hand over rows concurrently', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const relay = newRelay();
      const handedOver: Promise<void>[] = [];
      for (let tx = 0; tx < 50; tx++) {
        const records = await commit(Array.from({ length: 4 }, (_, i) => entry(topic, `${tx}`, `k${i}`)));
        handedOver.push(relay.publishNow(records)); // not awaited, like the engine
      }
      await Promise.all(handedOver);
      await expectEventually(() => expect(received).toHaveLength(200));
      for (let i = 0; i < 4; i++) {
        const order = received.filter((m) => m.key === `k${i}`).map((m) => Number(m.body.toString()));
        expect(order).toEqual(Array.from({ length: 50 }, (_, tx) => tx));
      }
    });

    it('publishes a delayed row only when it is due', async () => {
      const topic = topicName();
      const received = await consume(topic);
      const relay = newRelay();
      relay.start();
      const dueAt = Date.now() + 1000;
      await relay.publishNow(await commit([{ ...entry(topic, 'later'), availableAt: new Date(dueAt) }]));
      expect(received).toHaveLength(0);
      await expectEventually(() => expect(received).toHaveLength(1), { timeoutMs: 10_000 });
      expect(Date.now()).toBeGreaterThanOrEqual(dueAt);
    });

    it('reports the backlog: due unsent rows, and the age of the oldest', async () => {
      const topic = topicName();
      await commit([entry(topic, 'waiting')]);
      await db.dataSource.query(
        "UPDATE outbox SET created_at = now() - interval '90 seconds', available_at = now() - interval '90 seconds' WHERE topic = $1", [topic]);
      const backlog = await newRelay().backlog();
      expect(backlog.count).toBeGreaterThanOrEqual(1);
      expect(backlog.oldestAgeSeconds).toBeGreaterThanOrEqual(89);
      await db.dataSource.query('DELETE FROM outbox WHERE topic = $1', [topic]);
    });

    it('prunes sent outbox rows and inbox rows past the retention', async () => {
      const topic = topicName();
      const [old, recent] = await commit([entry(topic, 'old'), entry(topic, 'recent')]);
      await db.dataSource.query("UPDATE outbox SET sent_at = now() - interval '25 hours' WHERE id = $1", [old.id]);
      await db.dataSource.query('UPDATE outbox SET sent_at = now() WHERE id = $1', [recent.id]);
      await db.dataSource.query(
        "INSERT INTO inbox (consumer, message_id) VALUES ($1, 'old-message'), ($1, 'new-message')", [topic]);
      await db.dataSource.query(
        "UPDATE inbox SET received_at = now() - interval '25 hours' WHERE consumer = $1 AND message_id = 'old-message'", [topic]);
      await db.dataSource.query(
        "INSERT INTO outbox_relay (relay_id, seen_at) VALUES ($1, now() - interval '25 hours'), ($2, now())", [`gone-${topic}`, `here-${topic}`]);
      newRelay().start(); // its first pass prunes
      await expectEventually(async () => {
        const rows: Array<{ body: Buffer }> = await db.dataSource.query('SELECT body FROM outbox WHERE topic = $1', [topic]);
        expect(rows.map((r) => r.body.toString())).toEqual(['recent']);
      });
      const kept: Array<{ message_id: string }> = await db.dataSource.query('SELECT message_id FROM inbox WHERE consumer = $1', [topic]);
      expect(kept.map((r) => r.message_id)).toEqual(['new-message']);
      const relaysLeft: Array<{ relay_id: string }> = await db.dataSource.query(
        'SELECT relay_id FROM outbox_relay WHERE relay_id IN ($1, $2)', [`gone-${topic}`, `here-${topic}`]);
      expect(relaysLeft.map((r) => r.relay_id)).toEqual([`here-${topic}`]);
    });
  });
}
