import { MigrationInterface, QueryRunner } from 'typeorm';

/** A worker instance's service name is as long as the registry allows (200), not 100: the HTTP routes now take every registered name. */
export class WorkerInstanceServiceName1796180000001 implements MigrationInterface {
  name = 'WorkerInstanceServiceName1796180000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE "worker_instance" ALTER COLUMN "service_name" TYPE character varying(200)');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DELETE FROM "worker_instance" WHERE length("service_name") > 100');
    await queryRunner.query('ALTER TABLE "worker_instance" ALTER COLUMN "service_name" TYPE character varying(100)');
  }
}
