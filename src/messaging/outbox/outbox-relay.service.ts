import { Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { Metrics } from '../../metrics/metrics';
import { OutageLog } from '../../common/logging/outage-log';
import { errorMessage } from '../../common/errors/error-message';
import { MessagePublisher } from '../message-publisher';
import { messageOf, type OutboxRecord } from './outbox.service';
import { OutboxBacklog, OutboxStore, type OwnRows } from './outbox-store';
import { RelayPresence } from './relay-presence';
import { SentMarker } from './sent-marker';
import { isPublishOutage } from '../delivery/publish-outage';
import { isolateRefusals, type Isolation } from './refused-rows';
import { RefusedRowSettler } from './refused-row-settler';
import { OutboxPruner } from './outbox-pruner';
import { settledInTime, STOP_WAIT_MS } from './relay-stop-wait';
import { publishTraced } from '../../tracing/publish-spans';
import { lowestId, takeBatch, type HandedOver } from './fast-path-batch';
import { SweepWakeups } from './sweep-wakeups';

const SWEEP_BATCH = 500;
/** Longer than any publish may take (the drivers give up within 30 s). */
const LEASE_SECONDS = 60;
/** The fast path publishes within milliseconds of commit; the sweep waits this long before it steps in. */
const MIN_GRACE_MS = 2000;

/**
 * Publishes outbox rows. Two paths, both "publish, then mark sent", so a crash in between means a
 * duplicate (deduplicated by message id downstream), never a loss:
 *
 * - Fast path: the engine hands over the rows it just committed (publishNow). They go out at once,
 *   in order, coalesced into one publish while the previous one is in flight; marking sent is
 *   batched by SentMarker.
 * - Sweep: every OUTBOX_POLL_MS, rows the fast path did not publish (the relay crashed, the broker was down, the
 *   message was delayed: then at its due time, SweepWakeups) are claimed with a lease and published in id order.
 *
 * The sweep never takes a row a fast path may still hold. A row names the instance that wrote it.
 * The sweep takes its own instance's rows only while its fast path holds none (a killed
 * predecessor's, which it never held, at any time), another instance's only once RelayPresence
 * presumes that one dead (OUTBOX_PEER_TIMEOUT_MS without a beat), and anyone's after a lease.
 * Two instances sharing the database, one of them slow (restarting, overloaded), so publish
 * nothing twice. A row whose publish failed is released to every instance (OutboxStore.release):
 * one whose broker works publishes it. A row the broker refuses while it takes others (not an
 * outage) is set apart instead, and parked after a few refusals (publishSwept).
 *
 * Leases belong to the relay's instance (INSTANCE_ID): a restarted instance releases the rows its
 * killed predecessor had leased once its beats show no live twin (about two seconds after its
 * start), so they go out then rather than after the lease; so does a pass after one that failed
 * (a database outage between claiming and marking sent). A
 * command whose attempt deadline has passed is void (the healer retries or fails the step), so
 * neither path ever publishes it: it is dropped and marked done.
 *
 * After a failed publish the relay is "degraded": the fast path stops and the sweep (without the
 * grace period) publishes everything in id order once the broker is back, so an outage does not
 * reorder a key's messages; the fast path resumes when the sweep has caught up.
 */
@Injectable()
export class OutboxRelay {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly outage = new OutageLog(this.logger, 'The outbox pass');
  private readonly store: OutboxStore;
  private readonly marker: SentMarker;
  private readonly refusals: RefusedRowSettler;
  private readonly pruner: OutboxPruner;
  private readonly graceMs: number;
  private queued: HandedOver[] = [];
  /** publishNow calls the fast path has not settled: while any is, this instance's sweep takes none of its own rows. */
  private holding = 0;
  /**
   * The lowest outbox id this process handed to its fast path. Ids come from one sequence, so this
   * instance's rows below it were written before this process: by a killed predecessor (same
   * INSTANCE_ID), and never in this fast path.
   */
  private firstHandedId?: number;
  private fastPath?: Promise<void>;
  private degraded = false;
  private running = false;
  /** Counts starts: a pass that outlived a stop ends its loop, and leaves the loop of a later start alone. */
  private loop = 0;
  private timer?: NodeJS.Timeout;
  private readonly wakeups: SweepWakeups;
  private pass?: Promise<void>;
  /** Set once stop() stopped waiting: a publish answered later is left unmarked, and nothing more goes out or is logged. */
  private closed = false;
  /**
   * False at start (a killed predecessor with our id may hold leases) and after a failed pass (the
   * database went away between claiming and marking sent): the next pass first releases every
   * lease in our name, once RelayPresence has seen no twin hold our name. Passes never overlap, so
   * between passes this relay legitimately holds none.
   */
  private leasesReleased = false;
  private readonly relayId: string;

  constructor(
    dataSource: DataSource,
    private readonly publisher: MessagePublisher,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly presence: RelayPresence,
  ) {
    this.store = new OutboxStore(dataSource);
    this.marker = new SentMarker((ids) => this.store.markSent(ids), this.logger);
    this.refusals = new RefusedRowSettler(this.store, this.logger, metrics);
    this.pruner = new OutboxPruner(this.store, config.OUTBOX_RETENTION_HOURS, this.logger);
    this.graceMs = Math.max(MIN_GRACE_MS, config.OUTBOX_POLL_MS);
    this.relayId = presence.relayId;
    this.wakeups = new SweepWakeups(config.OUTBOX_POLL_MS);
  }

  /**
   * Call right after the write (transaction or statement) that appended `records` committed. Resolves once they are
   * published, or left to the sweep; never rejects. Delayed rows are left to the sweep, woken at their due time.
   */
  publishNow(records: OutboxRecord[]): Promise<void> {
    const sooner = this.closed ? undefined : this.wakeups.add(records, Date.now()); // else a backoff ran up to a poll long
    if (sooner !== undefined) this.schedule(sooner);
    const due = records.filter((r) => r.delayed === false); // a row without the flag waits for the sweep, never skips a backoff
    if (due.length === 0 || this.degraded || this.closed) return Promise.resolve();
    this.firstHandedId = lowestId(due, this.firstHandedId);
    this.holding++;
    return new Promise((done) => {
      this.queued.push({ records: due, done: () => { this.holding--; done(); } });
      this.drainSoon();
    });
  }

  /** Again if rows came after the drain's last look: a caller that went on as its rows settled hands over more at once. */
  private drainSoon(): void {
    this.fastPath ??= this.drainFastPath().finally(() => {
      this.fastPath = undefined;
      if (this.queued.length > 0) this.drainSoon();
    });
  }

  /** Starts, or starts again after stop(): what stop() closed is opened again. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop++;
    this.closed = false;
    this.store.open();
    this.marker.open();
    this.presence.start();
    this.schedule(0); // rows left by a previous run go out right away
  }

  /**
   * Stops the loop, waits up to STOP_WAIT_MS for a running pass and the fast path (one started
   * meanwhile too), and flushes the marks of what they published. What still runs then publishes
   * nothing more, and once the marks are flushed its statements are refused (the database closes
   * next), all silently. Rows handed over once it stopped waiting are not published: they wait for
   * the sweep of the next relay (this instance's next start, or another once this one's beats stop).
   */
  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    if (!(await settledInTime(() => [this.pass, this.fastPath]))) {
      this.logger.warn(`Stopped with a publish unanswered after ${STOP_WAIT_MS} ms: its rows go out again from the next relay`);
    }
    this.closed = true;
    await this.marker.stop();
    this.store.close();
    await this.presence.stop();
  }

  backlog(): Promise<OutboxBacklog> {
    return this.store.backlog();
  }

  /** One publish in flight; whatever was handed over meanwhile goes out together next, in order. */
  private async drainFastPath(): Promise<void> {
    while (this.queued.length > 0 && !this.degraded) {
      const { calls, live, expired } = takeBatch(this.queued, Date.now());
      try {
        if (live.length > 0) await this.publish(live);
        this.marker.add(live.map((r) => r.id));
        await this.drop(expired);
      } catch (error) {
        this.degrade(error);
      }
      for (const call of calls) call.done();
    }
    for (const call of this.queued.splice(0)) call.done(); // degraded: the sweep's now
  }

  private publish(records: OutboxRecord[]): Promise<void> {
    if (this.closed) return Promise.reject(new Error('The outbox relay stopped'));
    const messages = records.map(messageOf);
    return publishTraced(this.config.MESSAGING_DRIVER, messages, () => this.publisher.publish(messages));
  }

  private degrade(error: unknown): void {
    if (!this.degraded && !this.closed) {
      this.logger.warn(`Publishing failed (${errorMessage(error)}); the outbox sweep retries until the broker is back`);
    }
    this.degraded = true;
  }

  // setTimeout, not setInterval: a slow pass delays the next one instead of overlapping it.
  private schedule(delayMs: number, loop = this.loop): void {
    if (!this.running || loop !== this.loop) return;
    clearTimeout(this.timer); // publishNow brings a pending pass forward
    this.wakeups.armed(Date.now() + delayMs);
    this.timer = setTimeout(() => {
      this.wakeups.passStarts(Date.now());
      const pass: Promise<void> = this.runPass()
        .then((more) => {
          this.outage.succeeded();
          return more;
        }, (error: unknown) => {
          this.leasesReleased = false;
          if (!this.closed) this.outage.failed(error);
          return false;
        })
        .then((more) => {
          if (this.pass === pass) this.pass = undefined;
          this.schedule(more ? 0 : this.wakeups.delay(Date.now()), loop);
        });
      this.pass = pass;
    }, delayMs);
  }

  /** True when a full batch was published: more may be waiting, go again at once. */
  private async runPass(): Promise<boolean> {
    if (!this.leasesReleased && this.presence.ownsItsId()) {
      const released = await this.store.releaseLeasesOf(this.relayId);
      this.leasesReleased = true;
      if (released > 0) this.logger.log(`Released ${released} outbox row(s) still leased in this instance's name (${this.relayId})`);
    }
    const more = await this.sweep();
    await this.pruner.prune();
    return more;
  }

  private async sweep(): Promise<boolean> {
    const degraded = this.degraded;
    const { due: rows, expired } = await this.store.claimDue({
      relayId: this.relayId, limit: SWEEP_BATCH, graceMs: degraded ? 0 : this.graceMs, leaseSeconds: LEASE_SECONDS,
      deadWriters: this.presence.presumedDead(), ownRows: await this.ownRowsToSweep(),
    });
    await this.drop(expired);
    if (rows.length > 0 && !(await this.publishSwept(rows))) return false;
    const caughtUp = rows.length + expired.length < SWEEP_BATCH;
    if (degraded && caughtUp) {
      this.degraded = false;
      this.logger.log('Outbox caught up; publishing right after commit again');
    }
    return !caughtUp;
  }

  /**
   * Publishes claimed rows and marks them sent. When the broker refuses some (not an outage), the
   * rest still go out and those wait or are parked (isolateRefusals, RefusedRowSettler): one row
   * the broker will never take held every row behind it, on every instance, until it expired.
   * False when the broker looks down: what did not go out is given back, and the relay degrades.
   */
  private async publishSwept(rows: OutboxRecord[]): Promise<boolean> {
    let sent = rows;
    try {
      await this.publish(rows);
    } catch (error) {
      const isolation: Isolation = isPublishOutage(error)
        ? { sent: [], refused: [], held: [], untried: rows, outage: { error } }
        : await isolateRefusals(rows, error, (some) => this.publish(some));
      sent = isolation.sent;
      if (isolation.outage) {
        if (sent.length > 0) await this.store.markSent(sent.map((r) => r.id));
        this.degrade(isolation.outage.error);
        await this.store.release(isolation.untried.map((r) => r.id));
        return false;
      }
      await this.refusals.settle(isolation);
    }
    await this.store.markSent(sent.map((r) => r.id));
    this.logger.log(`Swept ${sent.length} outbox row(s)`);
    return true;
  }

  /**
   * Which of this instance's own rows the sweep may take: all of them when the fast path holds
   * nothing (what it was handed is published and, once the marker is flushed, marked sent, or
   * left to the sweep); otherwise only a predecessor's. Not waiting for the fast path to settle:
   * under a backlog that takes longer than the grace, and rows handed over meanwhile were swept
   * and published twice (an SRE's overload test).
   */
  private async ownRowsToSweep(): Promise<OwnRows> {
    if (this.holding === 0) {
      await this.marker.flushNow();
      if (this.holding === 0) return 'all';
    }
    return { below: this.firstHandedId ?? 0 };
  }

  private async drop(ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.store.markDropped(ids);
    this.logger.log(`Dropped ${ids.length} command(s) whose attempt deadline had passed: their steps are retried or failed`);
  }
}
