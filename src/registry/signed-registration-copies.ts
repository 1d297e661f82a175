import type { DataSource } from 'typeorm';

/**
 * The inbox rows of the signed registrations handled (applied or refused), keyed as a start
 * message without idempotencyKey is (signedStartKey: signer, signing second, body hash). A `:` is
 * in no Kafka or RabbitMQ topic name, so no reply's inbox key (consumer = its topic) can take it.
 * They are pruned with the inbox after OUTBOX_RETENTION_HOURS (24 h), which must outlast
 * MESSAGE_SIGNATURE_MAX_AGE_SECONDS (300 s) for a copy to find its row (loadConfig refuses a setting that does not).
 */
const HANDLED = 'baton-registration:signed';

export async function handledBefore(dataSource: DataSource, key: string): Promise<boolean> {
  const rows: unknown[] = await dataSource.query('SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2', [HANDLED, key]);
  return rows.length > 0;
}

export async function markHandled(dataSource: DataSource, key: string): Promise<void> {
  await dataSource.query('INSERT INTO inbox (consumer, message_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [HANDLED, key]);
}
