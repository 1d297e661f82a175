import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A worker registration per step and objectType: a worker re-registering a step a new version
 * retyped keeps its registration of the old objectType while runs of the older version need it
 * (replacing it left their commands, undos included, with no worker).
 */
export class WorkerRegistrationPerObjectType1796220000000 implements MigrationInterface {
  name = 'WorkerRegistrationPerObjectType1796220000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP INDEX "public"."IDX_f9edb30e9347a3c780756bb69f"');
    await queryRunner.query(`CREATE UNIQUE INDEX "UQ_worker_registration_step_type"
      ON "worker_registration" ("orch_name", "step_name", "service_name", "object_type")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Of a step's registrations by one service, the newest (the current objectType's) stays.
    await queryRunner.query(`DELETE FROM "worker_registration" w USING "worker_registration" newer
      WHERE newer.orch_name = w.orch_name AND newer.step_name = w.step_name AND newer.service_name = w.service_name
        AND (newer.created_at, newer.id) > (w.created_at, w.id)`);
    await queryRunner.query('DROP INDEX "public"."UQ_worker_registration_step_type"');
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_f9edb30e9347a3c780756bb69f"
      ON "worker_registration" ("orch_name", "step_name", "service_name")`);
  }
}
