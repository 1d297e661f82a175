import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { RunsInFlight, type StepOfType } from '../registry/runs-in-flight';
import type { RunStatus } from './core/run-status';

/** Runs that will send commands again: steps to come, retries, undos. Parked runs wait for a READY template instead. */
const IN_FLIGHT: readonly RunStatus[] = ['RUNNING', 'PAUSED', 'COMPENSATING', 'UNDOING'];

/**
 * The registry's RunsInFlight, read from the runs table through idx_run_status (few runs are
 * unfinished), each run's step through its version's unique (template, version, name) index, in
 * the caller's transaction: the embedded database has a single connection.
 */
@Injectable()
export class RunsInFlightQuery extends RunsInFlight {
  async countNeeding(step: StepOfType, upTo: number, m: EntityManager): Promise<number> {
    const [{ n }] = await m.query<Array<{ n: number }>>(
      `SELECT count(*)::int AS n FROM (
         SELECT 1 FROM orchestration_run r
         JOIN orchestration_step_template s ON s.template_id = r.template_id AND s.version = r.template_version AND s.name = $2
         WHERE r.orch_name = $1 AND r.status = ANY($3) AND s.object_type = $4 LIMIT $5) runs`,
      [step.orchName, step.stepName, IN_FLIGHT, step.objectType, upTo],
    );
    return n;
  }
}
