import { MigrationInterface, QueryRunner } from 'typeorm';

/** DAG templates: the steps each step depends on. */
export class DagTemplates1796152192688 implements MigrationInterface {
  name = 'DagTemplates1796152192688';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_step_template" ADD "depends_on" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_step_template" DROP COLUMN "depends_on"`);
  }
}
