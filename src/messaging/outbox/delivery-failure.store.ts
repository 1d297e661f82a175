import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { DeliveryFailures } from '../delivery/delivery-failures';

/** DeliveryFailures in the `delivery_failure` table; only failing messages get a row. */
@Injectable()
export class DeliveryFailureStore extends DeliveryFailures {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async record(key: string): Promise<number> {
    const [row]: Array<{ failures: number }> = await this.dataSource.query(
      `INSERT INTO delivery_failure (message_key, failures, last_failed_at) VALUES ($1, 1, now())
       ON CONFLICT (message_key) DO UPDATE SET failures = delivery_failure.failures + 1, last_failed_at = now()
       RETURNING failures`, [key]);
    return row.failures;
  }

  async forget(key: string): Promise<void> {
    await this.dataSource.query('DELETE FROM delivery_failure WHERE message_key = $1', [key]);
  }
}
