import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/** Remembers which messages a consumer has processed, in the same transaction as their effect. */
@Injectable()
export class InboxService {
  /**
   * True the first time `consumer` sees `messageId`; false for a redelivery, and then the caller
   * must change nothing. Run it first in the transaction: the row lock it takes also makes a
   * concurrent duplicate wait for (and then see) the first one's outcome.
   */
  async markProcessed(manager: EntityManager, consumer: string, messageId: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      'INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1 AS inserted',
      [consumer, messageId],
    );
    return rows.length === 1;
  }
}
