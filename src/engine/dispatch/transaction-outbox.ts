import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { OutgoingMessage } from '../../messaging/message';
import { OutboxRecord, OutboxService } from '../../messaging/outbox/outbox.service';

/**
 * Collects what a transaction wrote to the outbox, keyed by the transaction's manager, so that
 * whoever commits can hand exactly those rows to the relay's fast path afterwards.
 */
@Injectable()
export class TransactionOutbox {
  private readonly pending = new WeakMap<EntityManager, OutboxRecord[]>();

  constructor(private readonly outbox: OutboxService) {}

  async add(m: EntityManager, messages: Array<OutgoingMessage & { availableAt?: Date }>): Promise<void> {
    if (messages.length === 0) return;
    const records = await this.outbox.append(m, messages);
    const list = this.pending.get(m);
    if (list) list.push(...records);
    else this.pending.set(m, records);
  }

  take(m: EntityManager): OutboxRecord[] {
    const list = this.pending.get(m) ?? [];
    this.pending.delete(m);
    return list;
  }
}
