import { Logger, type LoggerService } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { loadConfig } from '../../config/load-config';
import { Metrics } from '../../metrics/metrics';
import type { OutgoingMessage } from '../message';
import { MessagePublisher } from '../message-publisher';
import { OutboxRelay } from './outbox-relay.service';
import type { OutboxRecord } from './outbox.service';
import { createRelayPresence } from './relay-presence.factory';
import { STOP_WAIT_MS } from './relay-stop-wait';

const record = (id: string): OutboxRecord => ({
  id, messageId: `m${id}`, topic: 'orchestrator.commands.shop', key: `flow-${id}`, headers: {}, body: Buffer.from(id), delayed: false, expiresAt: null,
});

/** The relay's database: the sweep claims `due` once; every statement is recorded, and the ids marked sent. */
function database(due: OutboxRecord[] = []) {
  const statements: string[] = [];
  const marked: string[] = [];
  let claimable = due;
  const query = async (sql: string, params: unknown[] = []) => {
    statements.push(sql);
    if (sql.startsWith('UPDATE outbox SET sent_at = now() WHERE')) marked.push(...(params[0] as string[]));
    if (sql.includes('WITH due AS')) {
      const rows = claimable.map((r) => ({
        id: r.id, message_id: r.messageId, topic: r.topic, key: r.key, headers: r.headers, body: r.body, expires_at: null, expired: false, refusals: 0,
      }));
      claimable = [];
      return rows;
    }
    return sql.includes('count(*)') ? [{ n: 0 }] : [];
  };
  return { dataSource: { query } as unknown as DataSource, statements, marked };
}

/** A broker that takes messages at once, but holds those whose body is in `held` until answer() (or for ever). */
class HoldingPublisher extends MessagePublisher {
  readonly published: string[] = [];
  private readonly answers: Array<(error?: Error) => void> = [];

  constructor(private readonly held: string[]) {
    super();
  }

  get holding(): number {
    return this.answers.length;
  }

  publish(messages: OutgoingMessage[]): Promise<void> {
    const bodies = messages.map((m) => m.body.toString());
    if (!bodies.some((b) => this.held.includes(b))) {
      this.published.push(...bodies);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => this.answers.push((error) => {
      if (error) return reject(error);
      this.published.push(...bodies);
      resolve();
    }));
  }

  /** The broker confirms the oldest held publish alone. */
  answerOldest(): void {
    this.answers.shift()?.();
  }

  /** The broker answers the held publishes, late: it confirms them, or fails them (its connection closed). */
  answer(error?: Error): void {
    for (const answer of this.answers.splice(0)) answer(error);
  }
}

describe('OutboxRelay: stopping while the broker does not answer', () => {
  const config = loadConfig({ OUTBOX_POLL_MS: '20', INSTANCE_ID: 'stop-test' });
  const lines: Array<{ level: string; message: unknown }> = [];
  const line = (level: string) => (message: unknown) => void lines.push({ level, message });
  const logger: LoggerService = { log: line('log'), warn: line('warn'), error: line('error') };

  beforeAll(() => Logger.overrideLogger(logger));
  beforeEach(() => {
    lines.length = 0;
    jest.useFakeTimers();
  });
  afterEach(() => jest.useRealTimers());
  afterAll(() => Logger.overrideLogger(false));

  const relayOn = (dataSource: DataSource, publisher: MessagePublisher) =>
    new OutboxRelay(dataSource, publisher, config, new Metrics(), createRelayPresence(dataSource, config));
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 500 && !condition(); i++) await jest.advanceTimersByTimeAsync(10);
    expect(condition()).toBe(true);
  };
  /** Stops the relay; resolves to how long that took, failing if it took longer than the bound allows. */
  const stopTimed = async (relay: OutboxRelay) => {
    let stoppedAt: number | undefined;
    const begun = Date.now();
    const stopping = relay.stop().then(() => (stoppedAt = Date.now()));
    await jest.advanceTimersByTimeAsync(STOP_WAIT_MS - 1);
    expect(stoppedAt).toBeUndefined(); // the publish may still be answered: it waits
    await jest.advanceTimersByTimeAsync(1_000); // the marks' flush and the last beat, on a database that answers
    await stopping;
    return stoppedAt! - begun;
  };

  it('returns within its bound from a fast-path publish never answered, marking what the broker confirmed and not the rest', async () => {
    const { dataSource, statements, marked } = database();
    const publisher = new HoldingPublisher(['2']);
    const relay = relayOn(dataSource, publisher);
    relay.start();
    await relay.publishNow([record('1')]);
    void relay.publishNow([record('2')]);
    await until(() => publisher.holding === 1);

    expect(await stopTimed(relay)).toBeLessThan(STOP_WAIT_MS + 1_000);
    expect(marked).toEqual(['1']);
    expect(lines.filter((l) => l.level === 'warn')).toHaveLength(1); // it says it stopped without the publish

    // The broker answers late: nothing is marked (the database is closing), asked or logged any more.
    const [statementsBefore, linesBefore] = [statements.length, lines.length];
    publisher.answer();
    await jest.advanceTimersByTimeAsync(5_000);
    await relay.publishNow([record('3')]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect(publisher.published).toEqual(['1', '2']);
    expect(marked).toEqual(['1']);
    expect(statements.slice(statementsBefore)).toEqual([]);
    expect(lines.slice(linesBefore)).toEqual([]);
  });

  it('returns within its bound from a swept publish never answered, and a late failure writes and logs nothing', async () => {
    const { dataSource, statements, marked } = database([record('7'), record('8')]);
    const publisher = new HoldingPublisher(['7']);
    const relay = relayOn(dataSource, publisher);
    relay.start();
    await until(() => publisher.holding === 1);

    expect(await stopTimed(relay)).toBeLessThan(STOP_WAIT_MS + 1_000);
    const [statementsBefore, linesBefore] = [statements.length, lines.length];
    // Failed once the driver closed its connection: the sweep would give the rows back and warn that the broker is down.
    publisher.answer(new Error('Connection closed'));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(publisher.published).toEqual([]);
    expect(marked).toEqual([]);
    expect(statements.slice(statementsBefore)).toEqual([]);
    expect(lines.slice(linesBefore)).toEqual([]);
  });

  // Not about stopping, but found by it: rows handed over by a caller going on right as its own settled sat in the queue.
  it('publishes rows handed over as the previous ones settle at once, not when the next rows come', async () => {
    const { dataSource, marked } = database();
    const publisher = new HoldingPublisher([]);
    const relay = relayOn(dataSource, publisher);
    await relay.publishNow([record('1')]);
    const second = relay.publishNow([record('2')]);
    await until(() => publisher.published.length === 2);
    await second;
    await relay.stop();
    expect(marked).toEqual(['1', '2']);
  });

  it('waits for a publish the broker answers within the bound, and marks its rows', async () => {
    const { dataSource, marked } = database([record('4')]);
    const publisher = new HoldingPublisher(['4']);
    const relay = relayOn(dataSource, publisher);
    relay.start();
    await until(() => publisher.holding === 1);
    let stopped = false;
    const stopping = relay.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(STOP_WAIT_MS / 2);
    publisher.answer();
    await jest.advanceTimersByTimeAsync(10);
    await stopping;
    expect([stopped, marked]).toEqual([true, ['4']]);
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('waits for a fast path started while it waits (an HTTP request or a handler committing), and marks its rows', async () => {
    const { dataSource, marked } = database([record('7')]);
    const publisher = new HoldingPublisher(['7', '9']);
    const relay = relayOn(dataSource, publisher);
    relay.start();
    await until(() => publisher.holding === 1);
    const stopping = relay.stop();
    void relay.publishNow([record('9')]);
    await jest.advanceTimersByTimeAsync(10);
    publisher.answerOldest(); // the sweep's pass ends well within the bound
    await jest.advanceTimersByTimeAsync(200);
    publisher.answerOldest(); // the fast path's publish, still within the bound
    await jest.advanceTimersByTimeAsync(STOP_WAIT_MS);
    await stopping;
    expect(publisher.published).toEqual(['7', '9']);
    expect(marked).toEqual(['7', '9']); // not left unsent, to be published again by the next relay
    expect(lines.filter((l) => l.level === 'warn')).toEqual([]);
  });

  it('publishes and marks again when started after a stop', async () => {
    const { dataSource, marked } = database();
    const publisher = new HoldingPublisher([]);
    const relay = relayOn(dataSource, publisher);
    relay.start();
    await relay.stop();
    relay.start();
    await relay.publishNow([record('1')]);
    await jest.advanceTimersByTimeAsync(1_000);
    expect([publisher.published, marked]).toEqual([['1'], ['1']]);
    await relay.stop();
  });

  it('runs one sweep loop when started again while a pass the stop gave up on is still under way', async () => {
    const { dataSource, statements } = database([record('7')]);
    const publisher = new HoldingPublisher(['7']);
    const relay = relayOn(dataSource, publisher);
    relay.start();
    await until(() => publisher.holding === 1);
    await stopTimed(relay);
    relay.start();
    publisher.answer(); // the pass cut short ends now: its loop must not go on beside the new one
    const claims = () => statements.filter((sql) => sql.includes('WITH due AS')).length;
    const before = claims();
    await jest.advanceTimersByTimeAsync(1_000);
    expect(claims() - before).toBeLessThanOrEqual(1_000 / config.OUTBOX_POLL_MS + 1);
    await relay.stop();
  });
});
