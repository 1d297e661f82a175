import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RunsInFlight } from '../registry/runs-in-flight';
import type { RunStatus } from './core/run-status';

/** Runs that will send commands again: steps to come, retries, undos. Parked runs wait for a READY template instead. */
const IN_FLIGHT: readonly RunStatus[] = ['RUNNING', 'PAUSED', 'COMPENSATING', 'UNDOING'];

/** The registry's RunsInFlight, read from the runs table (through idx_run_status: unfinished runs only). */
@Injectable()
export class RunsInFlightQuery extends RunsInFlight {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async countOf(orchName: string, upTo: number): Promise<number> {
    const [{ n }] = await this.dataSource.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM orchestration_run WHERE orch_name = $1 AND status = ANY($2) LIMIT $3) r`,
      [orchName, IN_FLIGHT, upTo],
    );
    return n;
  }
}
