import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Which process wrote a relay's last beat (a random id per start): a beat that finds another
 * process's id on its own row, after its first, tells that two live instances share one INSTANCE_ID.
 */
export class RelayBootId1796210000000 implements MigrationInterface {
  name = 'RelayBootId1796210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "outbox_relay" ADD "boot_id" uuid');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "outbox_relay" DROP COLUMN "boot_id"');
  }
}
