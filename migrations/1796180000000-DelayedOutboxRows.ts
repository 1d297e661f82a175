import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delayed outbox rows (retries waiting out their backoff) are found by their message id, a
 * command's commandId, when a run stopping before they are due voids them. Rows published at once
 * never enter this index (their available_at is their created_at), so the hot path pays nothing.
 */
export class DelayedOutboxRows1796180000000 implements MigrationInterface {
  name = 'DelayedOutboxRows1796180000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      'CREATE INDEX "idx_outbox_delayed" ON "outbox" ("message_id") WHERE sent_at IS NULL AND available_at > created_at');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_outbox_delayed"');
  }
}
