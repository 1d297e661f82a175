import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxEntry, OutboxRecord, OutboxService } from '../../messaging/outbox/outbox.service';

/**
 * Buffers the messages a transaction causes, keyed by the transaction's manager, and writes them
 * as one multi-row INSERT just before the commit: one statement per transition however many
 * commands and events it sends. The committer then hands exactly those rows to the relay.
 */
@Injectable()
export class TransactionOutbox {
  private readonly pending = new WeakMap<EntityManager, OutboxEntry[]>();

  constructor(private readonly outbox: OutboxService) {}

  add(m: EntityManager, messages: OutboxEntry[]): void {
    const list = this.pending.get(m);
    if (list) list.push(...messages);
    else this.pending.set(m, [...messages]);
  }

  /** Call last inside the transaction. */
  async flush(m: EntityManager): Promise<OutboxRecord[]> {
    const messages = this.pending.get(m) ?? [];
    this.pending.delete(m);
    return messages.length > 0 ? this.outbox.append(m, messages) : [];
  }
}
