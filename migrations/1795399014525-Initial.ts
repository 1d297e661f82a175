import { MigrationInterface, QueryRunner } from "typeorm";

export class Initial1795399014525 implements MigrationInterface {
    name = 'Initial1795399014525'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "orchestration_run" ("flow_id" uuid NOT NULL, "orch_name" character varying(200) NOT NULL, "template_id" uuid NOT NULL, "template_version" integer NOT NULL, "status" character varying(30) NOT NULL, "payload" bytea NOT NULL, "content_type" character varying(255) NOT NULL, "correlation_id" character varying(128) NOT NULL, "idempotency_key" character varying(255), "payload_hash" character varying(64) NOT NULL, "failed_step" character varying(200), "error" text, "version" integer NOT NULL DEFAULT '0', "expires_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_0c36744e9ae5ad1f6d44e797365" PRIMARY KEY ("flow_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_82186c73abe2db32bae2e1c961" ON "orchestration_run" ("status", "updated_at") `);
        await queryRunner.query(`CREATE INDEX "IDX_116cfccb6563d0725f3b899aae" ON "orchestration_run" ("orch_name", "created_at") `);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_134a607714f750c95da8e82a08" ON "orchestration_run" ("orch_name", "idempotency_key") `);
        await queryRunner.query(`CREATE TABLE "run_event" ("id" BIGSERIAL NOT NULL, "flow_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "kind" character varying(40) NOT NULL, "step_name" character varying(200), "reason" text NOT NULL, CONSTRAINT "PK_2287184bc447a7cb44cda679ae3" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_a63c6842aff7ab89b157e00d67" ON "run_event" ("flow_id", "at") `);
        await queryRunner.query(`CREATE TABLE "orchestration_step_run" ("id" BIGSERIAL NOT NULL, "flow_id" uuid NOT NULL, "step_name" character varying(200) NOT NULL, "seq" integer NOT NULL, "action" character varying(4) NOT NULL, "attempt" integer NOT NULL, "command_id" uuid NOT NULL, "status" character varying(20) NOT NULL, "handler_type" character varying(20) NOT NULL, "target" character varying(255), "output" jsonb, "error" text, "dispatched_at" TIMESTAMP WITH TIME ZONE NOT NULL, "deadline_at" TIMESTAMP WITH TIME ZONE NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c68ac4878501736f6b050be1054" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_step_run_in_flight_deadline" ON "orchestration_step_run" ("deadline_at") WHERE status = 'DISPATCHED'`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_5e7c6adfaa7b2d8d7a4e756f72" ON "orchestration_step_run" ("flow_id", "step_name", "action", "attempt") `);
        await queryRunner.query(`CREATE TABLE "inbox" ("consumer" character varying(100) NOT NULL, "message_id" character varying(255) NOT NULL, "received_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8902b2c18e35f1ba5a650a69c2f" PRIMARY KEY ("consumer", "message_id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_d615159a2c510718ea70b154c9" ON "inbox" ("received_at") `);
        await queryRunner.query(`CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "message_id" uuid NOT NULL, "topic" character varying(255) NOT NULL, "key" character varying(255), "headers" jsonb NOT NULL, "body" bytea NOT NULL, "available_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "sent_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_outbox_sent_at" ON "outbox" ("sent_at") `);
        await queryRunner.query(`CREATE INDEX "idx_outbox_unsent" ON "outbox" ("id") WHERE sent_at IS NULL`);
        await queryRunner.query(`CREATE TABLE "orchestration_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "orch_name" character varying(200) NOT NULL, "owner_service" character varying(200) NOT NULL, "type" character varying(20) NOT NULL, "description" text, "status" character varying(20) NOT NULL, "current_version" integer NOT NULL, "missing_steps" jsonb NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_fb7e702515b815358ed1b1f84e8" UNIQUE ("orch_name"), CONSTRAINT "PK_57a45d4206b34b9addaa22fc176" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "registration_audit" ("id" BIGSERIAL NOT NULL, "service_name" character varying(200), "orch_name" character varying(200), "role" character varying(20), "source" character varying(10) NOT NULL, "outcome" character varying(20) NOT NULL, "reason" text, "problems" jsonb, "template_version" integer, "document" text, "document_truncated" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b6e856001060ec92196952c7ade" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "IDX_28e7cf5221b65b4cfff55df8bc" ON "registration_audit" ("service_name") `);
        await queryRunner.query(`CREATE INDEX "IDX_35d8e2f4c900018fbf75b7c8af" ON "registration_audit" ("orch_name") `);
        await queryRunner.query(`CREATE INDEX "IDX_501b584b8fe3915c20885c7fc4" ON "registration_audit" ("created_at") `);
        await queryRunner.query(`CREATE TABLE "orchestration_template_version" ("template_id" uuid NOT NULL, "version" integer NOT NULL, "type" character varying(20) NOT NULL, "description" text, "content_hash" character varying(64) NOT NULL, "registered_by" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_2309ac9e5a3fdd56b22c5707911" PRIMARY KEY ("template_id", "version"))`);
        await queryRunner.query(`CREATE INDEX "IDX_2d2cdc244f2074d1a5e975eac4" ON "orchestration_template_version" ("content_hash") `);
        await queryRunner.query(`CREATE TABLE "orchestration_step_template" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "template_id" uuid NOT NULL, "version" integer NOT NULL, "seq" integer NOT NULL, "name" character varying(200) NOT NULL, "object_type" character varying(200) NOT NULL, "timeout_seconds" integer, "retry" jsonb, "handler" jsonb NOT NULL, "undo" jsonb NOT NULL, CONSTRAINT "PK_e817476e60500f3857081c60719" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_c40f116d6b8038670f8427f450" ON "orchestration_step_template" ("template_id", "version", "name") `);
        await queryRunner.query(`CREATE TABLE "worker_registration" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "orch_name" character varying(200) NOT NULL, "step_name" character varying(200) NOT NULL, "service_name" character varying(200) NOT NULL, "object_type" character varying(200) NOT NULL, "topic" character varying(255) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c143219aaa921c560d229c0ae8f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE UNIQUE INDEX "IDX_f9edb30e9347a3c780756bb69f" ON "worker_registration" ("orch_name", "step_name", "service_name") `);
        await queryRunner.query(`ALTER TABLE "orchestration_template_version" ADD CONSTRAINT "FK_d792ff1abe21d532b700c77b2fb" FOREIGN KEY ("template_id") REFERENCES "orchestration_template"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
        await queryRunner.query(`ALTER TABLE "orchestration_step_template" ADD CONSTRAINT "FK_828761088b5a969aae3fe39eaee" FOREIGN KEY ("template_id", "version") REFERENCES "orchestration_template_version"("template_id","version") ON DELETE CASCADE ON UPDATE NO ACTION`);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`ALTER TABLE "orchestration_step_template" DROP CONSTRAINT "FK_828761088b5a969aae3fe39eaee"`);
        await queryRunner.query(`ALTER TABLE "orchestration_template_version" DROP CONSTRAINT "FK_d792ff1abe21d532b700c77b2fb"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_f9edb30e9347a3c780756bb69f"`);
        await queryRunner.query(`DROP TABLE "worker_registration"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_c40f116d6b8038670f8427f450"`);
        await queryRunner.query(`DROP TABLE "orchestration_step_template"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_2d2cdc244f2074d1a5e975eac4"`);
        await queryRunner.query(`DROP TABLE "orchestration_template_version"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_501b584b8fe3915c20885c7fc4"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_35d8e2f4c900018fbf75b7c8af"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_28e7cf5221b65b4cfff55df8bc"`);
        await queryRunner.query(`DROP TABLE "registration_audit"`);
        await queryRunner.query(`DROP TABLE "orchestration_template"`);
        await queryRunner.query(`DROP INDEX "public"."idx_outbox_unsent"`);
        await queryRunner.query(`DROP INDEX "public"."idx_outbox_sent_at"`);
        await queryRunner.query(`DROP TABLE "outbox"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_d615159a2c510718ea70b154c9"`);
        await queryRunner.query(`DROP TABLE "inbox"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_5e7c6adfaa7b2d8d7a4e756f72"`);
        await queryRunner.query(`DROP INDEX "public"."idx_step_run_in_flight_deadline"`);
        await queryRunner.query(`DROP TABLE "orchestration_step_run"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_a63c6842aff7ab89b157e00d67"`);
        await queryRunner.query(`DROP TABLE "run_event"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_134a607714f750c95da8e82a08"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_116cfccb6563d0725f3b899aae"`);
        await queryRunner.query(`DROP INDEX "public"."IDX_82186c73abe2db32bae2e1c961"`);
        await queryRunner.query(`DROP TABLE "orchestration_run"`);
    }

}
