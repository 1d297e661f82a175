import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rejected registrations keep only the start of their document, plus the hash of all of it. */
export class AuditDocumentHash1796151020016 implements MigrationInterface {
  name = 'AuditDocumentHash1796151020016';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "registration_audit" ADD "document_sha256" character varying(64)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "registration_audit" DROP COLUMN "document_sha256"`);
  }
}
