import { MigrationInterface, QueryRunner } from 'typeorm';

/** Failed deliveries per Kafka message position, so a restarted engine keeps counting towards dead-lettering. */
export class DeliveryFailures1796163291965 implements MigrationInterface {
  name = 'DeliveryFailures1796163291965';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "delivery_failure" ("message_key" character varying(600) NOT NULL, "failures" integer NOT NULL, `
      + `"last_failed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_delivery_failure" PRIMARY KEY ("message_key"))`);
    await queryRunner.query(`CREATE INDEX "idx_delivery_failure_last_failed_at" ON "delivery_failure" ("last_failed_at")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."idx_delivery_failure_last_failed_at"`);
    await queryRunner.query(`DROP TABLE "delivery_failure"`);
  }
}
