import { MigrationInterface, QueryRunner } from 'typeorm';

/** When a worker last said an attempt is alive (HEARTBEAT replies), shown on the run's timeline. */
export class StepHeartbeat1796151078875 implements MigrationInterface {
  name = 'StepHeartbeat1796151078875';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_step_run" ADD "last_heartbeat_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_step_run" DROP COLUMN "last_heartbeat_at"`);
  }
}
