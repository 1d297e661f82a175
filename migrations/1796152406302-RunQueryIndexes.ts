import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes for the console's reads at thousands of runs: the newest-first run list and the
 * stats window (created_at), throughput (finished_at), and the correlation id and idempotency
 * key filters (the unique index on idempotency_key leads with orch_name, so it cannot serve them).
 */
export class RunQueryIndexes1796152406302 implements MigrationInterface {
  name = 'RunQueryIndexes1796152406302';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "idx_run_created" ON "orchestration_run" ("created_at") `);
    await queryRunner.query(`CREATE INDEX "idx_run_finished" ON "orchestration_run" ("finished_at") WHERE finished_at IS NOT NULL`);
    await queryRunner.query(`CREATE INDEX "idx_run_correlation" ON "orchestration_run" ("correlation_id") `);
    await queryRunner.query(`CREATE INDEX "idx_run_idempotency_key" ON "orchestration_run" ("idempotency_key") WHERE idempotency_key IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_run_idempotency_key"`);
    await queryRunner.query(`DROP INDEX "public"."idx_run_correlation"`);
    await queryRunner.query(`DROP INDEX "public"."idx_run_finished"`);
    await queryRunner.query(`DROP INDEX "public"."idx_run_created"`);
  }
}
