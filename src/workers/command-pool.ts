import { LRUCache } from 'lru-cache';
import type { LeaseExpiry } from './lease-expiry';
import { newLeaseId } from './lease-id';
import type { Lease, PooledCommand } from './pooled-command';

/**
 * How long past its command's deadline a first lease lasts: the expiry check asks the database
 * whether the attempt is past its deadline, by the database's clock, which may run a little behind.
 */
const DEADLINE_GRACE_MS = 2_000;

/** Commands settled lately, per pool: one the broker delivers again (an ack lost with its channel) must not run again. */
const SETTLED_REMEMBERED = 1024;

/** Decides, when a lease ran out, what becomes of its command. Must not reject. */
export type LeaseExpiryCheck = (entry: PooledCommand, leaseStartedAt: Date) => Promise<LeaseExpiry>;

interface Leased {
  entry: PooledCommand;
  timer: NodeJS.Timeout;
  /** When the lease was granted or last renewed. */
  startedAt: Date;
}

interface Waiter {
  max: number;
  resolve: (leases: Lease[]) => void;
}

/**
 * The commands of one service waiting for, or leased to, its HTTP pollers. A lease that expires
 * (the poller crashed or lost its response) puts the command back at the front, for the next
 * poller, unless the expiry check finds it answered or heartbeated through another instance.
 * A command is acknowledged to the broker once its reply was applied (`settle`), once the expiry
 * check finds its attempt over, or at shutdown while leased (`releaseAll`).
 */
export class CommandPool {
  private readonly ready: PooledCommand[] = [];
  private readonly leased = new Map<string, Leased>();
  private waiters: Waiter[] = [];
  /** Set at shutdown: a poll is answered at once, so that it does not hold Baton's stop for its whole wait. */
  private closed = false;
  private lastPolledAt = Date.now();
  private readonly settledIds = new LRUCache<string, true>({ max: SETTLED_REMEMBERED });

  constructor(private readonly leaseMs: number, private readonly onExpiry: LeaseExpiryCheck) {}

  /**
   * A command the broker delivers again while held here (a reconnected channel, a restarted consumer)
   * joins the one held, both acknowledged together; one settled here lately is acknowledged at once.
   */
  offer(entry: PooledCommand, front = false): void {
    if (this.settledIds.has(entry.commandId)) {
      entry.done();
      return;
    }
    const held = this.heldCommand(entry.commandId);
    if (held && held !== entry) {
      const first = held.done;
      held.done = (error) => {
        first(error);
        entry.done(error);
      };
      return;
    }
    if (this.handToWaiter(entry)) return;
    if (front) this.ready.unshift(entry);
    else this.ready.push(entry);
  }

  /** Up to `max` leases now, or waits up to `waitMs` for the first command. */
  take(max: number, waitMs: number, signal?: AbortSignal): Promise<Lease[]> {
    this.lastPolledAt = Date.now();
    // A poller gone while its pool was being found (the abort already fired) is handed nothing.
    if (signal?.aborted || this.closed) return Promise.resolve([]);
    if (this.ready.length > 0 || waitMs <= 0) {
      return Promise.resolve(this.ready.splice(0, max).map((e) => this.lease(e)));
    }
    return new Promise((resolve) => {
      const waiter: Waiter = {
        max,
        resolve: (leases) => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', cancel);
          resolve(leases);
        },
      };
      const cancel = () => this.withdraw(waiter);
      const timer = setTimeout(cancel, waitMs);
      signal?.addEventListener('abort', cancel, { once: true });
      this.waiters.push(waiter);
    });
  }

  /**
   * Puts leased commands back at the front, for the next poller: their poll ended before anyone
   * could read them, or their worker released them unanswered. One handed over meanwhile (a Kafka
   * rebalance) only loses its lease, as when a lease expires: it is never offered again.
   */
  giveBack(leaseIds: string[]): void {
    const back: PooledCommand[] = [];
    for (const leaseId of leaseIds) {
      const held = this.leased.get(leaseId);
      if (!held) continue;
      clearTimeout(held.timer);
      this.leased.delete(leaseId);
      if (!held.entry.handedOver && !this.handToWaiter(held.entry)) back.push(held.entry);
    }
    this.ready.unshift(...back);
  }

  /**
   * The leased command, its lease renewed for the whole lease time, or until shortly after the
   * attempt's deadline (`untilDeadlineMs`, as a recorded heartbeat moved it) if that comes first:
   * a worker that died right after a heartbeat must not hold its run's retry back for the rest of a
   * whole lease. Undefined when the lease is unknown or expired.
   */
  renew(leaseId: string, untilDeadlineMs?: number): PooledCommand | undefined {
    const held = this.leased.get(leaseId);
    if (!held) return undefined;
    held.startedAt = new Date();
    clearTimeout(held.timer);
    held.timer = this.expireAfter(leaseId, held, this.leaseMsFor(untilDeadlineMs));
    return held.entry;
  }

  get(leaseId: string): PooledCommand | undefined {
    return this.leased.get(leaseId)?.entry;
  }

  /** Ends the lease and acknowledges the command. */
  settle(leaseId: string): boolean {
    const held = this.leased.get(leaseId);
    if (!held) return false;
    clearTimeout(held.timer);
    this.leased.delete(leaseId);
    this.acknowledge(held.entry);
    return true;
  }

  /** The commands leased for at least `ms` (since granted or renewed) whose attempt their body names. */
  leasedFor(ms: number, now = Date.now()): PooledCommand[] {
    return [...this.leased.values()].filter((held) => held.entry.attempt && now - held.startedAt.getTime() >= ms).map((held) => held.entry);
  }

  /** Whether the command waits here or is leased from here. */
  holds(commandId: string): boolean {
    return this.heldCommand(commandId) !== undefined;
  }

  /** The command as held here, waiting or under whichever lease. */
  heldCommand(commandId: string): PooledCommand | undefined {
    for (const { entry } of this.leased.values()) if (entry.commandId === commandId) return entry;
    return this.ready.find((e) => e.commandId === commandId);
  }

  /** Acknowledges a command wherever it is now: under whichever lease, or waiting. False if this pool does not hold it. */
  settleCommand(commandId: string): boolean {
    for (const [leaseId, { entry }] of this.leased) if (entry.commandId === commandId) return this.settle(leaseId);
    const index = this.ready.findIndex((e) => e.commandId === commandId);
    if (index < 0) return false;
    this.acknowledge(this.ready.splice(index, 1)[0]);
    return true;
  }

  /**
   * The lease now holding a command, or a fresh one if it waits unleased: a heartbeat on a lease
   * that expired still renews its command, wherever the command went since.
   */
  currentLease(commandId: string): string | undefined {
    for (const [leaseId, { entry }] of this.leased) if (entry.commandId === commandId) return leaseId;
    const index = this.ready.findIndex((e) => e.commandId === commandId);
    if (index < 0) return undefined;
    return this.lease(this.ready.splice(index, 1)[0]).leaseId;
  }

  /**
   * The consumer gave the command's partition up (a Kafka rebalance) and waits for it: waiting, it
   * goes back unacknowledged, for the partition's next owner; leased, it is acknowledged, as at
   * shutdown (releaseAll), and stays leased here, where its worker's reply or heartbeats still
   * settle it, but is never offered again.
   */
  handOver(commandId: string, error: Error): void {
    const index = this.ready.findIndex((e) => e.commandId === commandId);
    if (index >= 0) {
      this.ready.splice(index, 1)[0].done(error);
      return;
    }
    const leased = this.heldCommand(commandId);
    if (!leased || leased.handedOver) return;
    leased.handedOver = true;
    leased.done();
  }

  /**
   * At shutdown, or when the service's pollers stopped reaching this instance (HttpWorkerHub, which
   * does so only with nothing leased): answers open polls, and later ones, with nothing, and returns
   * the waiting commands to the broker unacknowledged, for another instance's pollers. A leased
   * command is acknowledged instead: its worker is still running it, and replies or heartbeats to
   * whichever instance it reaches next, which applies them (WorkerReplies). Returned, it went to
   * another worker at once and ran twice. A worker that died with it is covered by its attempt's
   * deadline, as any silent one. On Kafka only a partition's offsets up to its first returned
   * command are committed, so a leased command behind a returned one comes again all the same.
   */
  releaseAll(error: Error): void {
    this.closed = true;
    for (const w of this.waiters.splice(0)) w.resolve([]);
    for (const { entry, timer } of this.leased.values()) {
      clearTimeout(timer);
      entry.done();
    }
    this.leased.clear();
    for (const entry of this.ready.splice(0)) entry.done(error);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Counts as a poll: the pool starts serving only once its subscription is up, however long that took. */
  touch(): void {
    this.lastPolledAt = Date.now();
  }

  /** Whether no poll came for `ms`, and none waits and no command is leased: no poller of this instance needs the pool. */
  idleFor(ms: number, now = Date.now()): boolean {
    return this.waiters.length === 0 && this.leased.size === 0 && now - this.lastPolledAt >= ms;
  }

  get size(): { ready: number; leased: number; polling: number } {
    return { ready: this.ready.length, leased: this.leased.size, polling: this.waiters.length };
  }

  /**
   * The command stays held under its lease while the check runs, so that a reply meanwhile still
   * settles it; whatever happened to the lease meanwhile (settled, renewed, released) wins.
   */
  private async expire(leaseId: string, held: Leased): Promise<void> {
    const startedAt = held.startedAt;
    const { action, untilDeadlineMs } = await this.onExpiry(held.entry, startedAt);
    if (this.leased.get(leaseId) !== held || held.startedAt !== startedAt) return;
    if (action === 'renew') {
      this.renew(leaseId, untilDeadlineMs);
      return;
    }
    this.leased.delete(leaseId);
    if (action === 'acknowledge') this.acknowledge(held.entry);
    else if (!held.entry.handedOver) this.offer(held.entry, true);
  }

  private acknowledge(entry: PooledCommand): void {
    this.settledIds.set(entry.commandId, true);
    entry.done();
  }

  /** The lease time, or a little past a deadline `untilDeadlineMs` away if that comes first. */
  private leaseMsFor(untilDeadlineMs: number | undefined): number {
    return untilDeadlineMs === undefined ? this.leaseMs : Math.min(this.leaseMs, Math.max(DEADLINE_GRACE_MS, untilDeadlineMs + DEADLINE_GRACE_MS));
  }

  private expireAfter(leaseId: string, held: Leased, ms: number): NodeJS.Timeout {
    const timer = setTimeout(() => void this.expire(leaseId, held), ms);
    timer.unref();
    return timer;
  }

  /** Leases the command to the poll that has waited longest, if one waits. */
  private handToWaiter(entry: PooledCommand): boolean {
    const waiter = this.waiters.shift();
    if (!waiter) return false;
    waiter.resolve([this.lease(entry)]);
    return true;
  }

  private withdraw(waiter: Waiter): void {
    this.waiters = this.waiters.filter((w) => w !== waiter);
    waiter.resolve([]);
  }

  /**
   * A lease ends with the lease time, or shortly after its command's deadline if that comes first:
   * the broker hands a step's next command over only once this one is acknowledged, so a retry sent
   * after the attempt timed out would otherwise wait, unrun, for the rest of the lease of a poller
   * that died with the command. Past the deadline the expiry check acknowledges it; a heartbeat's
   * renewal likewise ends shortly after the deadline the heartbeat gave the attempt (renew).
   * The poller is told the whole lease time all the same: it bounds how long its reply is retried,
   * a reply after the lease still settles the command, and the SDK takes the first lease's length as
   * the length of every renewal (shorter, a heartbeating step's last reply would get no retry).
   */
  private lease(entry: PooledCommand): Lease {
    const leaseId = newLeaseId(entry.attempt && { flowId: entry.attempt.flowId, commandId: entry.commandId });
    const held = { entry, startedAt: new Date() } as Leased;
    held.timer = this.expireAfter(leaseId, held, this.leaseMsFor(entry.deadlineAt === undefined ? undefined : entry.deadlineAt - Date.now()));
    this.leased.set(leaseId, held);
    const lease: Lease = { leaseId, leaseExpiresAt: new Date(Date.now() + this.leaseMs).toISOString(), command: entry.body };
    if (entry.trace && Object.keys(entry.trace).length > 0) lease.trace = entry.trace;
    return lease;
  }
}
