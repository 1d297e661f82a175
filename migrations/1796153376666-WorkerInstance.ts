import { MigrationInterface, QueryRunner } from 'typeorm';

/** Worker instances seen alive (presence): what READINESS=live gates templates on. */
export class WorkerInstance1796153376666 implements MigrationInterface {
  name = 'WorkerInstance1796153376666';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "worker_instance" ("instance_id" uuid NOT NULL, "service_name" character varying(100) NOT NULL, "host" character varying(255) NOT NULL, "sdk_version" character varying(50) NOT NULL, "steps" jsonb NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_worker_instance" PRIMARY KEY ("instance_id"))`);
    await queryRunner.query(`CREATE INDEX "idx_worker_instance_last_seen" ON "worker_instance" ("last_seen_at") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_worker_instance_last_seen"`);
    await queryRunner.query(`DROP TABLE "worker_instance"`);
  }
}
