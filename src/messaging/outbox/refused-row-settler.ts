import type { Logger } from '@nestjs/common';
import { errorMessage } from '../../common/errors/error-message';
import { fitText } from '../../common/validation/fit-text';
import type { Metrics } from '../../metrics/metrics';
import type { OutboxRecord } from './outbox.service';
import type { OutboxStore, RefusedRow } from './outbox-store';
import { afterRefusal, MAX_REFUSALS } from './refusal-policy';
import type { Isolation } from './refused-rows';

/** The outbox's last_refusal column. */
const REASON_LENGTH = 1000;
/** While rows keep being refused (a stream of commands to a topic Baton may not write), one warning this often. */
const REMINDER_MS = 60_000;

/**
 * Writes what isolateRefusals found: each refused row waits longer (refusal-policy), or is parked
 * with its reason, logged once and counted (baton_outbox_parked_total, by topic); the rows held
 * behind one wait as long as it does, and go out right after it once it is parked.
 */
export class RefusedRowSettler {
  private warnedAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly store: OutboxStore, private readonly logger: Logger, private readonly metrics: Metrics) {}

  async settle({ refused, held }: Pick<Isolation, 'refused' | 'held'>): Promise<void> {
    if (refused.length === 0) return;
    const rows: RefusedRow[] = [];
    const waits = new Map<OutboxRecord, number>();
    const parked: Array<{ record: OutboxRecord; reason: string }> = [];
    for (const { record, error } of refused) {
      const verdict = afterRefusal(record.refusals ?? 0);
      const reason = fitText(errorMessage(error), REASON_LENGTH);
      const delayMs = verdict.park ? 0 : verdict.retryInMs;
      waits.set(record, delayMs);
      rows.push({ id: record.id, error: reason, delayMs, park: verdict.park });
      if (verdict.park) parked.push({ record, reason });
    }
    for (const { record, behind } of held) rows.push({ id: record.id, error: null, delayMs: waits.get(behind) ?? 0, park: false });
    await this.store.settleRefused(rows);
    for (const { record, reason } of parked) {
      this.metrics.outboxParked.inc({ topic: record.topic });
      this.logger.warn({ outboxId: record.id, messageId: record.messageId, topic: record.topic, key: record.key, refusals: MAX_REFUSALS },
        `Parked an outbox row unpublished: the broker refused it ${MAX_REFUSALS} times while it took others (${reason})`);
    }
    const retried = refused.filter(({ record }) => !parked.some((p) => p.record === record));
    if (retried.length === 0) return;
    const line = `The broker refused ${retried.length} outbox row(s) while it took the others (first: ${retried[0].record.topic}: `
      + `${errorMessage(retried[0].error)}); each is tried again later, and parked after ${MAX_REFUSALS} refusals`;
    if (Date.now() - this.warnedAt < REMINDER_MS) return this.logger.debug(line);
    this.warnedAt = Date.now();
    this.logger.warn(line);
  }
}
