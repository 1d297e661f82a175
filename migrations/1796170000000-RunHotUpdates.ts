import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A step's transition changes no indexed column of its run any more, so PostgreSQL can update the
 * row in place (a HOT update: no new entry in any of its eight indexes). `updated_at` left the
 * status index: the healer's query for quiet runs filters on status and sorts the runs in
 * flight. Pages keep a fifth free for those in-place versions (fillfactor applies to new pages).
 *
 * Runs are kept, so the table may be large when this runs: the indexes are built and dropped
 * CONCURRENTLY, without blocking the engine's writes, which rules out a transaction. Each step
 * can be repeated, so a migration that stopped half-way runs again from the start.
 */
export class RunHotUpdates1796170000000 implements MigrationInterface {
  name = 'RunHotUpdates1796170000000';
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    // An interrupted CREATE INDEX CONCURRENTLY leaves an invalid index behind: start again.
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "idx_run_status"`);
    await queryRunner.query(`CREATE INDEX CONCURRENTLY "idx_run_status" ON "orchestration_run" ("status")`);
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_82186c73abe2db32bae2e1c961"`);
    await queryRunner.query(`ALTER TABLE "orchestration_run" SET (fillfactor = 80)`);
  }

  /** TypeORM reverts inside a transaction whatever `transaction` says, so this builds the old index plainly, blocking writes meanwhile. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_run" RESET (fillfactor)`);
    await queryRunner.query(`DROP INDEX "idx_run_status"`);
    await queryRunner.query(`CREATE INDEX "IDX_82186c73abe2db32bae2e1c961" ON "orchestration_run" ("status", "updated_at") `);
  }
}
