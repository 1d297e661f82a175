import { MigrationInterface, QueryRunner } from "typeorm";

export class JobExecution1795400011057 implements MigrationInterface {
    name = 'JobExecution1795400011057'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "job_execution" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "flow_id" uuid NOT NULL, "step_name" character varying(200) NOT NULL, "action" character varying(4) NOT NULL, "attempt" integer NOT NULL, "command_id" uuid NOT NULL, "correlation_id" character varying(128), "target_type" character varying(10) NOT NULL, "resource_type" character varying(30), "resource_id" character varying(200), "connection" character varying(100) NOT NULL, "external_job_id" character varying(100), "external_job_type" character varying(20), "external_status" character varying(50), "external_result" character varying(50), "status" character varying(30) NOT NULL, "launch_attempts" integer NOT NULL DEFAULT '0', "next_launch_at" TIMESTAMP WITH TIME ZONE, "last_launch_error" text, "polling_attempts" integer NOT NULL DEFAULT '0', "last_polled_at" TIMESTAMP WITH TIME ZONE, "next_poll_at" TIMESTAMP WITH TIME ZONE, "cancel_requested_at" TIMESTAMP WITH TIME ZONE, "completed_at" TIMESTAMP WITH TIME ZONE, "reported_at" TIMESTAMP WITH TIME ZONE, "error" text, "request_payload" jsonb, "response_payload" jsonb, "options" jsonb, "version" integer NOT NULL DEFAULT '0', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_81e54343e6d62f09a166d105792" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_job_execution_poll_due" ON "job_execution" ("next_poll_at") WHERE reported_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "idx_job_execution_launch_due" ON "job_execution" ("next_launch_at") WHERE reported_at IS NULL`);
        await queryRunner.query(`CREATE INDEX "idx_job_execution_created" ON "job_execution" ("created_at") `);
        await queryRunner.query(`CREATE INDEX "idx_job_execution_flow_step" ON "job_execution" ("flow_id", "step_name", "action", "created_at") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "idx_job_execution_command" ON "job_execution" ("command_id") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_job_execution_command"`);
        await queryRunner.query(`DROP INDEX "public"."idx_job_execution_flow_step"`);
        await queryRunner.query(`DROP INDEX "public"."idx_job_execution_created"`);
        await queryRunner.query(`DROP INDEX "public"."idx_job_execution_launch_due"`);
        await queryRunner.query(`DROP INDEX "public"."idx_job_execution_poll_due"`);
        await queryRunner.query(`DROP TABLE "job_execution"`);
    }

}
