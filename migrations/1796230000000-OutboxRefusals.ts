import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * How often the broker refused an outbox row while it took others (a topic Baton may not create
 * or write, a message over a topic's own size limit), and why the last time: the relay backs such
 * a row off, and parks it after a few refusals, instead of retrying it ahead of every other row.
 * A constant default: PostgreSQL 11+ adds the column without rewriting the table.
 */
export class OutboxRefusals1796230000000 implements MigrationInterface {
  name = 'OutboxRefusals1796230000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "outbox" ADD "refusals" integer NOT NULL DEFAULT 0');
    await queryRunner.query('ALTER TABLE "outbox" ADD "last_refusal" character varying(1000)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "last_refusal"');
    await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "refusals"');
  }
}
