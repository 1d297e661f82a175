import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where each template version was registered from (http, topic, file, orca): a definition file that
 * holds an older version's content is skipped at start only if a newer version came from elsewhere.
 * Versions registered before this are null, counted as from elsewhere.
 */
export class TemplateVersionSource1796200000001 implements MigrationInterface {
  name = 'TemplateVersionSource1796200000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "orchestration_template_version" ADD "source" character varying(10)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "orchestration_template_version" DROP COLUMN "source"');
  }
}
