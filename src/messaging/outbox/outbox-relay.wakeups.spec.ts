import { Logger } from '@nestjs/common';
import { EmbeddedDatabase, openEmbeddedDatabase } from '../../../test/helpers/embedded-database';
import { expectEventually } from '../../../test/helpers/expect-eventually';
import { loadConfig } from '../../config/load-config';
import { Metrics } from '../../metrics/metrics';
import type { OutgoingMessage } from '../message';
import { MessagePublisher } from '../message-publisher';
import { OutboxRelay } from './outbox-relay.service';
import { OutboxService } from './outbox.service';
import { createRelayPresence } from './relay-presence.factory';

const TOPIC = 'orchestrator.commands.retry';
/** Far longer than any backoff below: a row that waits for the poll fails the test. */
const POLL_MS = 10_000;
/** How late after its due time a delayed row may go out: the sweep's pass on a busy test machine, not a poll. */
const LATE_MS = 2000;

/** A broker that records when it took each message. */
class TimingPublisher extends MessagePublisher {
  readonly published: Array<{ body: string; at: number }> = [];

  async publish(messages: OutgoingMessage[]): Promise<void> {
    const at = Date.now();
    for (const m of messages) this.published.push({ body: m.body.toString(), at });
  }
}

describe('OutboxRelay: delayed rows (a retry\'s backoff) handed to the fast path', () => {
  const config = loadConfig({ OUTBOX_POLL_MS: String(POLL_MS), INSTANCE_ID: 'wakeup-test' });
  const outbox = new OutboxService(config);
  let db: EmbeddedDatabase;
  let publisher: TimingPublisher;
  let relay: OutboxRelay;

  /** Commits one row per delay (ms from now), as the engine writes a retry, and hands them to the relay. */
  const retryAfter = async (...delaysMs: number[]) => {
    const now = Date.now();
    const records = await db.dataSource.transaction((m) => outbox.append(m, delaysMs.map((ms) => ({
      topic: TOPIC, key: `flow-${ms}`, body: Buffer.from(`after ${ms}`), availableAt: new Date(now + ms),
    }))));
    expect(records.map((r) => r.delayed)).toEqual(delaysMs.map(() => true));
    await relay.publishNow(records);
    return now;
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    db = await openEmbeddedDatabase();
  }, 60_000);
  beforeEach(async () => {
    await db.dataSource.query('DELETE FROM outbox');
    publisher = new TimingPublisher();
    relay = new OutboxRelay(db.dataSource, publisher, config, new Metrics(), createRelayPresence(db.dataSource, config));
    relay.start();
  });
  afterEach(() => relay.stop());
  afterAll(() => db?.close());

  it('publishes a delayed row at its due time, not at the next poll', async () => {
    const start = await retryAfter(300);
    const [sent] = await expectEventually(() => {
      expect(publisher.published).toHaveLength(1);
      return publisher.published;
    }, { timeoutMs: 300 + LATE_MS });
    expect(sent.at - start).toBeGreaterThanOrEqual(300);
    expect(sent.at - start).toBeLessThan(300 + LATE_MS);
  });

  it('publishes several delayed rows each near its own due time, whatever order they were handed over in', async () => {
    const start = await retryAfter(900, 300);
    await retryAfter(600);
    await expectEventually(() => expect(publisher.published).toHaveLength(3), { timeoutMs: 900 + LATE_MS });
    for (const { body, at } of publisher.published) {
      const due = Number(body.replace('after ', ''));
      expect(at - start).toBeGreaterThanOrEqual(due);
      expect(at - start).toBeLessThan(due + LATE_MS);
    }
    expect(publisher.published.map((p) => p.body)).toEqual(['after 300', 'after 600', 'after 900']);
  });
});
