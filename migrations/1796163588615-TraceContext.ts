import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The W3C trace context (traceparent, tracestate) a run and a built-in handler's job were started
 * in: the run's closing span and the job's launch and poll spans join the run's trace from it.
 * Null when tracing was off.
 */
export class TraceContext1796163588615 implements MigrationInterface {
  name = 'TraceContext1796163588615';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "orchestration_run" ADD "trace_context" jsonb`);
    await queryRunner.query(`ALTER TABLE "job_execution" ADD "trace_context" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "job_execution" DROP COLUMN "trace_context"`);
    await queryRunner.query(`ALTER TABLE "orchestration_run" DROP COLUMN "trace_context"`);
  }
}
