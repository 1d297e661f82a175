import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RunsInFlight } from '../registry/runs-in-flight';
import type { RunStatus } from './core/run-status';

/** Runs that will send commands again: steps to come, retries, undos. Parked runs wait for a READY template instead. */
const IN_FLIGHT: readonly RunStatus[] = ['RUNNING', 'PAUSED', 'COMPENSATING', 'UNDOING'];

/**
 * The registry's RunsInFlight, read from the runs table through idx_run_status (few runs are
 * unfinished), in the caller's transaction: the embedded database has a single connection.
 */
@Injectable()
export class RunsInFlightQuery extends RunsInFlight {
  async countOf(orchName: string, upTo: number, m: EntityManager): Promise<number> {
    const [{ n }] = await m.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM orchestration_run WHERE orch_name = $1 AND status = ANY($2) LIMIT $3) r`,
      [orchName, IN_FLIGHT, upTo],
    );
    return n;
  }
}
