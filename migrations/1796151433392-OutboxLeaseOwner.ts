import { MigrationInterface, QueryRunner } from 'typeorm';

/** Outbox leases name the relay instance that holds them; command rows carry their attempt's deadline, and say when they were dropped past it. */
export class OutboxLeaseOwner1796151433392 implements MigrationInterface {
  name = 'OutboxLeaseOwner1796151433392';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "outbox" ADD "leased_by" character varying(200)');
    await queryRunner.query('ALTER TABLE "outbox" ADD "expires_at" TIMESTAMP WITH TIME ZONE');
    await queryRunner.query('ALTER TABLE "outbox" ADD "dropped_at" TIMESTAMP WITH TIME ZONE');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "dropped_at"');
    await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "expires_at"');
    await queryRunner.query('ALTER TABLE "outbox" DROP COLUMN "leased_by"');
  }
}
