import type { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { OutageLog } from '../../common/logging/outage-log';

/** A relay instance's last beat, as stored: when, and by which process (random per start). */
export interface RelayBeat {
  relayId: string;
  seenAt: Date;
  bootId: string | null;
}

/** Beats this often at most, so a presence is never judged by a slow sweep interval. */
const MAX_BEAT_EVERY_MS = 1000;
/** How long an instance still reports its INSTANCE_ID shared after the other process's last beat. */
const TWIN_FORGOTTEN_AFTER_MS = 10_000;
/** Longer than any live process leaves between two beats (one per second, later only behind a slow one). */
const ALONE_AFTER_MS = 2 * MAX_BEAT_EVERY_MS;

/**
 * This instance's sign of life, and its judgement of the others'. It beats on its own timer, not
 * in the sweep's pass, which may wait on a slow publish for as long as the broker takes.
 *
 * Another instance is presumed dead once its beat has not moved for `peerTimeoutMs` of this
 * instance's own successful beats, in a row. A beat of ours that fails (the database went away)
 * forgets every judgement: during an outage nobody beats, and the first beat after it must not
 * find everyone dead and take over rows their fast paths still hold.
 *
 * Each beat is signed with this process's boot id. The first one finds its killed predecessor's
 * (same INSTANCE_ID); a later one that finds another id on its own row met a live twin: two
 * instances configured with one INSTANCE_ID, which would take each other's outbox rows and leases.
 * That is logged as an error and reported (`instanceIdShared`, the `instance` health check), for
 * as long as the twin beats. Until its beats have shown it alone (`ownsItsId`), an instance leaves
 * the leases held in its INSTANCE_ID alone: a twin started beside a live instance would otherwise
 * release that instance's leases at its start, and publish their rows a second time.
 *
 * The outbox relay starts and stops it: an instance beats while its relay may take rows.
 */
export class RelayPresence {
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  /** Per other instance: its beat as last read, and when (our clock) we first read it unchanged. */
  private readonly still = new Map<string, { seenAt: number; since: number }>();
  private dead: string[] = [];
  private readonly everyMs: number;
  private readonly outage: OutageLog;
  private readonly bootId = randomUUID();
  /** When (our clock) this process's first beat returned. */
  private firstBeatAt?: number;
  /** Whether a beat begun ALONE_AFTER_MS after the first found no other process's id on our row. */
  private aloneConfirmed = false;
  /** When (our clock) a beat last found another process's id on our row. */
  private twinSeenAt?: number;

  constructor(
    private readonly beat: (bootId: string) => Promise<RelayBeat[]>,
    readonly relayId: string,
    pollMs: number,
    private readonly peerTimeoutMs: number,
    private readonly logger: Logger,
  ) {
    this.everyMs = Math.min(pollMs, MAX_BEAT_EVERY_MS);
    this.outage = new OutageLog(logger, "Recording this relay's presence");
  }

  start(): void {
    if (this.timer) return;
    this.beating = this.beatOnce();
    // Unref'd: beats alone must not keep a process alive whose relay could not be stopped.
    this.timer = setInterval(() => {
      this.beating ??= this.beatOnce();
    }, this.everyMs).unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.beating;
  }

  /** The instances whose rows this one may take: silent for the peer timeout. */
  presumedDead(): string[] {
    return this.dead;
  }

  /**
   * Whether no other live process beats as this instance: a beat begun longer after the first than
   * a live process leaves between two beats found only our own id, and no twin was met lately.
   * Counted in beats, not time: a beat stuck on a slow database proves nothing. Only then may it
   * release the leases held in its INSTANCE_ID (a killed predecessor's).
   */
  ownsItsId(): boolean {
    return this.aloneConfirmed && !this.instanceIdShared();
  }

  /** Whether another live process beats as this instance (its INSTANCE_ID set on two). */
  instanceIdShared(): boolean {
    return this.twinSeenAt !== undefined && Date.now() - this.twinSeenAt < TWIN_FORGOTTEN_AFTER_MS;
  }

  private async beatOnce(): Promise<void> {
    const begun = Date.now();
    try {
      const beats = await this.beat(this.bootId);
      const now = Date.now();
      const twin = this.noticeTwin(beats.find((b) => b.relayId === this.relayId), now);
      this.judge(beats, now);
      if (!twin && this.firstBeatAt !== undefined && begun - this.firstBeatAt >= ALONE_AFTER_MS) this.aloneConfirmed = true;
      this.firstBeatAt ??= now;
      this.outage.succeeded();
    } catch (error) {
      this.still.clear();
      this.dead = [];
      this.outage.failed(error);
    } finally {
      this.beating = undefined;
    }
  }

  /** Whether this beat found another live process's id on our row. */
  private noticeTwin(own: RelayBeat | undefined, now: number): boolean {
    if (this.firstBeatAt === undefined || !own?.bootId || own.bootId === this.bootId) return false;
    if (!this.instanceIdShared()) {
      this.logger.error({ instanceId: this.relayId },
        `Another running process beats as instance "${this.relayId}": two instances share one INSTANCE_ID and take each other's outbox rows; give each its own`);
    }
    this.twinSeenAt = now;
    return true;
  }

  private judge(beats: RelayBeat[], now: number): void {
    const dead: string[] = [];
    const present = new Set<string>();
    for (const { relayId, seenAt } of beats) {
      if (relayId === this.relayId) continue;
      present.add(relayId);
      const last = this.still.get(relayId);
      if (!last || last.seenAt !== seenAt.getTime()) this.still.set(relayId, { seenAt: seenAt.getTime(), since: now });
      else if (now - last.since >= this.peerTimeoutMs) dead.push(relayId);
    }
    for (const relayId of this.still.keys()) if (!present.has(relayId)) this.still.delete(relayId);
    this.dead = dead;
  }
}
