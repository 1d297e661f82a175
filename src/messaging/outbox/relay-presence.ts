import type { Logger } from '@nestjs/common';
import { OutageLog } from '../../common/logging/outage-log';

/** A relay instance's last beat, as stored. */
export interface RelayBeat {
  relayId: string;
  seenAt: Date;
}

/** Beats this often at most, so a presence is never judged by a slow sweep interval. */
const MAX_BEAT_EVERY_MS = 1000;

/**
 * This instance's sign of life, and its judgement of the others'. It beats on its own timer, not
 * in the sweep's pass, which may wait on a slow publish for as long as the broker takes.
 *
 * Another instance is presumed dead once its beat has not moved for `peerTimeoutMs` of this
 * instance's own successful beats, in a row. A beat of ours that fails (the database went away)
 * forgets every judgement: during an outage nobody beats, and the first beat after it must not
 * find everyone dead and take over rows their fast paths still hold.
 */
export class RelayPresence {
  private timer?: NodeJS.Timeout;
  private beating?: Promise<void>;
  /** Per other instance: its beat as last read, and when (our clock) we first read it unchanged. */
  private readonly still = new Map<string, { seenAt: number; since: number }>();
  private dead: string[] = [];
  private readonly everyMs: number;
  private readonly outage: OutageLog;

  constructor(
    private readonly beat: () => Promise<RelayBeat[]>,
    private readonly relayId: string,
    pollMs: number,
    private readonly peerTimeoutMs: number,
    logger: Logger,
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

  private async beatOnce(): Promise<void> {
    try {
      this.judge(await this.beat(), Date.now());
      this.outage.succeeded();
    } catch (error) {
      this.still.clear();
      this.dead = [];
      this.outage.failed(error);
    } finally {
      this.beating = undefined;
    }
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
