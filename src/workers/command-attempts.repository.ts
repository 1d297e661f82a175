import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommandAttempt, CommandAttempts, CommandRef } from './command-attempts';

interface Row {
  target: string | null;
  inFlight: boolean;
  heartbeatAgeMs: number | string | null;
}

/** CommandAttempts on orchestration_step_run, found through its (flow, step, action, attempt) index. */
@Injectable()
export class CommandAttemptsRepository extends CommandAttempts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async attemptOfCommand(ref: CommandRef): Promise<CommandAttempt | undefined> {
    const [row]: Row[] = await this.dataSource.query(
      `SELECT target, status = 'DISPATCHED' AS "inFlight", extract(epoch from clock_timestamp() - last_heartbeat_at) * 1000 AS "heartbeatAgeMs"
         FROM orchestration_step_run
        WHERE flow_id = $1 AND step_name = $2 AND action = $3 AND command_id = $4::uuid AND handler_type = 'worker'
          AND ($5::int IS NULL OR attempt = $5::int)
        LIMIT 1`,
      [ref.flowId, ref.stepName, ref.action, ref.commandId, ref.attempt ?? null]);
    if (!row) return undefined;
    return { target: row.target, inFlight: row.inFlight, heartbeatAgeMs: row.heartbeatAgeMs === null ? null : Number(row.heartbeatAgeMs) };
  }
}
