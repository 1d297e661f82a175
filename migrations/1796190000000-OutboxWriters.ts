import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each outbox row names the instance that wrote it, whose fast path publishes it; relay instances
 * beat in `outbox_relay`, so another instance's sweep leaves a live instance's rows to it. The new
 * column has no default: adding it rewrites nothing.
 */
export class OutboxWriters1796190000000 implements MigrationInterface {
  name = 'OutboxWriters1796190000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "outbox" ADD "written_by" character varying(200)');
    await queryRunner.query(
      'CREATE TABLE "outbox_relay" ("relay_id" character varying(200) NOT NULL, "seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, '
      + 'CONSTRAINT "PK_outbox_relay" PRIMARY KEY ("relay_id"))');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TABLE "outbox_relay"');
    await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "written_by"');
  }
}
