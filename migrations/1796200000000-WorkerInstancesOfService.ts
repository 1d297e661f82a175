import { MigrationInterface, QueryRunner } from 'typeorm';

/** A presence beat counts its service's live instances (WORKER_INSTANCES_PER_SERVICE): by service, not over every service's rows. */
export class WorkerInstancesOfService1796200000000 implements MigrationInterface {
  name = 'WorkerInstancesOfService1796200000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('CREATE INDEX "idx_worker_instance_service" ON "worker_instance" ("service_name", "last_seen_at") ');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."idx_worker_instance_service"');
  }
}
