import type { Logger } from '@nestjs/common';
import type { OutboxStore } from './outbox-store';

const PRUNE_EVERY_MS = 60_000;
const PRUNE_CHUNK = 10_000;
/**
 * Chunks one relay pass deletes at most. After a large backlog a pass that pruned until done
 * deleted millions of rows while no row was swept; the rest is pruned on the passes that follow.
 */
const CHUNKS_PER_PASS = 3;

/** Removes what is past OUTBOX_RETENTION_HOURS (OutboxStore.prune): a minute apart, or on every pass while rows are left over. */
export class OutboxPruner {
  private lastPrune = Number.NEGATIVE_INFINITY;
  private leftOver = false;

  constructor(private readonly store: OutboxStore, private readonly retentionHours: number, private readonly logger: Logger) {}

  async prune(): Promise<void> {
    if (!this.leftOver && Date.now() - this.lastPrune < PRUNE_EVERY_MS) return;
    this.lastPrune = Date.now();
    const total = { outbox: 0, inbox: 0 };
    this.leftOver = false;
    for (let chunk = 0; chunk < CHUNKS_PER_PASS; chunk++) {
      const pruned = await this.store.prune(this.retentionHours, PRUNE_CHUNK);
      total.outbox += pruned.outbox;
      total.inbox += pruned.inbox;
      this.leftOver = pruned.outbox >= PRUNE_CHUNK || pruned.inbox >= PRUNE_CHUNK;
      if (!this.leftOver) break;
    }
    if (total.outbox + total.inbox > 0) {
      this.logger.log(`Pruned ${total.outbox} sent outbox and ${total.inbox} inbox row(s) older than ${this.retentionHours} h`
        + (this.leftOver ? '; more on the next pass' : ''));
    }
  }
}
