import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { MESSAGE_ID_HEADER, type OutgoingMessage } from '../message';

/** An outbox row as written: what the relay publishes, and the id it marks sent. */
export interface OutboxRecord {
  id: string;
  messageId: string;
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  body: Buffer;
  /** Not published before this time; equal to createdAt unless the message was delayed. */
  availableAt: Date;
  createdAt: Date;
}

export type OutboxEntry = OutgoingMessage & { availableAt?: Date };

/** 6 parameters a row; PostgreSQL allows 65,535 per statement. */
const ROWS_PER_STATEMENT = 1000;

/** Writes messages in the caller's transaction, so they exist exactly when the state change does. */
@Injectable()
export class OutboxService {
  /**
   * One multi-row INSERT (per 1,000 rows) through the caller's manager. Each row gets a fresh
   * uuid as `message_id` and `x-message-id`, which consumers deduplicate on. A row without a
   * future `availableAt` gets the transaction's now() as both available_at and created_at: that
   * equality is how the relay tells "publish right away" from "delayed" (see OutboxStore).
   */
  async append(manager: EntityManager, messages: OutboxEntry[]): Promise<OutboxRecord[]> {
    const records: OutboxRecord[] = [];
    for (let start = 0; start < messages.length; start += ROWS_PER_STATEMENT) {
      records.push(...(await this.insert(manager, messages.slice(start, start + ROWS_PER_STATEMENT))));
    }
    return records;
  }

  private async insert(manager: EntityManager, messages: OutboxEntry[]): Promise<OutboxRecord[]> {
    const params: unknown[] = [];
    const rows: string[] = [];
    const pending = new Map<string, Omit<OutboxRecord, 'id' | 'availableAt' | 'createdAt'>>();
    for (const message of messages) {
      const messageId = randomUUID();
      const headers = { ...message.headers, [MESSAGE_ID_HEADER]: messageId };
      const key = message.key ?? null;
      pending.set(messageId, { messageId, topic: message.topic, key, headers, body: message.body });
      const n = params.length;
      rows.push(`($${n + 1}::uuid, $${n + 2}, $${n + 3}, $${n + 4}::jsonb, $${n + 5}::bytea, `
        + `GREATEST(COALESCE($${n + 6}::timestamptz, now()), now()))`);
      params.push(messageId, message.topic, key, JSON.stringify(headers), message.body, message.availableAt ?? null);
    }
    const inserted: Array<{ id: string; message_id: string; available_at: Date; created_at: Date }> = await manager.query(
      `INSERT INTO outbox (message_id, topic, key, headers, body, available_at) VALUES ${rows.join(', ')}
       RETURNING id, message_id, available_at, created_at`,
      params,
    );
    // Matched by message id: RETURNING order is not guaranteed to follow VALUES order.
    const byMessageId = new Map(inserted.map((row) => [row.message_id, row]));
    return [...pending.values()].map((record) => {
      const row = byMessageId.get(record.messageId)!;
      return { ...record, id: String(row.id), availableAt: row.available_at, createdAt: row.created_at };
    });
  }
}
