import { MigrationInterface, QueryRunner } from 'typeorm';

/** A step's heartbeatSeconds: its attempts time out when heartbeats stop for that long. */
export class StepHeartbeatSeconds1796163792384 implements MigrationInterface {
  name = 'StepHeartbeatSeconds1796163792384';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_step_template" ADD "heartbeat_seconds" integer`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_step_template" DROP COLUMN "heartbeat_seconds"`);
  }
}
