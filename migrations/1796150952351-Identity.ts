import { MigrationInterface, QueryRunner } from 'typeorm';

/** API keys (hashed), the security audit, and the services a template lets work its steps. */
export class Identity1796150952351 implements MigrationInterface {
  name = 'Identity1796150952351';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "prefix" character varying(16) NOT NULL, "secret_hash" character varying(255) NOT NULL, "name" character varying(100) NOT NULL, "role" character varying(20) NOT NULL, "service" character varying(200), "expires_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "created_by" character varying(200) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_api_key_prefix" UNIQUE ("prefix"), CONSTRAINT "PK_api_key" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "security_audit" ("id" BIGSERIAL NOT NULL, "event" character varying(20) NOT NULL, "principal_id" character varying(200), "principal_kind" character varying(20), "service" character varying(200), "ip" character varying(64), "target" character varying(300) NOT NULL, "code" character varying(50) NOT NULL, "reason" character varying(500) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_security_audit" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_security_audit_event" ON "security_audit" ("event") `);
    await queryRunner.query(`CREATE INDEX "IDX_security_audit_principal" ON "security_audit" ("principal_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_security_audit_created" ON "security_audit" ("created_at") `);
    await queryRunner.query(`ALTER TABLE "orchestration_step_template" ADD "allowed_workers" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_step_template" DROP COLUMN "allowed_workers"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_security_audit_created"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_security_audit_principal"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_security_audit_event"`);
    await queryRunner.query(`DROP TABLE "security_audit"`);
    await queryRunner.query(`DROP TABLE "api_key"`);
  }
}
