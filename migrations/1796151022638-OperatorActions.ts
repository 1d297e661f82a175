import { MigrationInterface, QueryRunner } from 'typeorm';

/** Operator actions on live runs: per-step onFailure, fresh retry budgets, and who acted. */
export class OperatorActions1796151022638 implements MigrationInterface {
  name = 'OperatorActions1796151022638';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_step_template" ADD "on_failure" character varying(20) NOT NULL DEFAULT 'compensate'`);
    await queryRunner.query(`ALTER TABLE "orchestration_step_run" ADD "budget_start" integer NOT NULL DEFAULT '1'`);
    await queryRunner.query(`ALTER TABLE "run_event" ADD "actor" character varying(200)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "run_event" DROP COLUMN "actor"`);
    await queryRunner.query(`ALTER TABLE "orchestration_step_run" DROP COLUMN "budget_start"`);
    await queryRunner.query(`ALTER TABLE "orchestration_step_template" DROP COLUMN "on_failure"`);
  }
}
