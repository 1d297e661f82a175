import { MigrationInterface, QueryRunner } from 'typeorm';

/** Run deadlines: a template's default, and each run's own deadline and what passing it does. */
export class RunDeadlines1796154795633 implements MigrationInterface {
  name = 'RunDeadlines1796154795633';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_template_version" ADD "deadline_seconds" integer`);
    await queryRunner.query(`ALTER TABLE "orchestration_template_version" ADD "on_deadline" character varying(20)`);
    await queryRunner.query(`ALTER TABLE "orchestration_run" ADD "deadline_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "orchestration_run" ADD "on_deadline" character varying(20)`);
    await queryRunner.query(`CREATE INDEX "idx_run_deadline" ON "orchestration_run" ("deadline_at") WHERE deadline_at IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_run_deadline"`);
    await queryRunner.query(`ALTER TABLE "orchestration_run" DROP COLUMN "on_deadline"`);
    await queryRunner.query(`ALTER TABLE "orchestration_run" DROP COLUMN "deadline_at"`);
    await queryRunner.query(`ALTER TABLE "orchestration_template_version" DROP COLUMN "on_deadline"`);
    await queryRunner.query(`ALTER TABLE "orchestration_template_version" DROP COLUMN "deadline_seconds"`);
  }
}
