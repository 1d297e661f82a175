import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delayed outbox rows (retries waiting out their backoff) are found by their message id, a
 * command's commandId, when a run stopping before they are due voids them. Rows published at once
 * never enter this index (their available_at is their created_at), so the hot path pays nothing.
 *
 * The outbox holds up to OUTBOX_RETENTION_HOURS of rows and every transition inserts into it: the
 * index is built CONCURRENTLY, without blocking those inserts, which rules out a transaction. An
 * interrupted build leaves an invalid index behind, so the migration starts by dropping it.
 */
export class DelayedOutboxRows1796180000000 implements MigrationInterface {
  name = 'DelayedOutboxRows1796180000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX CONCURRENTLY IF EXISTS "idx_outbox_delayed"');
    await queryRunner.query(
      'CREATE INDEX CONCURRENTLY "idx_outbox_delayed" ON "outbox" ("message_id") WHERE sent_at IS NULL AND available_at > created_at');
  }

  /** TypeORM reverts inside a transaction whatever `transaction` says: a plain DROP. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_outbox_delayed"');
  }
}
