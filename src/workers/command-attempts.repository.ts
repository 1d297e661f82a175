import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CommandAttempt, CommandAttempts, CommandRef } from './command-attempts';

interface Row {
  target: string | null;
  inFlight: boolean;
  pastDeadline: boolean;
  heartbeatAgeMs: number | string | null;
  untilDeadlineMs: number | string | null;
}

/** CommandAttempts on orchestration_step_run, found through its (flow, step, action, attempt) index, whose flow alone suffices for a lease's command. */
@Injectable()
export class CommandAttemptsRepository extends CommandAttempts {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {
    super();
  }

  async attemptOfCommand(ref: CommandRef): Promise<CommandAttempt | undefined> {
    const [row]: Row[] = await this.dataSource.query(
      `SELECT target, status = 'DISPATCHED' AS "inFlight", deadline_at < clock_timestamp() AS "pastDeadline",
              extract(epoch from clock_timestamp() - last_heartbeat_at) * 1000 AS "heartbeatAgeMs",
              extract(epoch from deadline_at - clock_timestamp()) * 1000 AS "untilDeadlineMs"
         FROM orchestration_step_run
        WHERE flow_id = $1 AND command_id = $2::uuid AND handler_type = 'worker'
          AND ($3::text IS NULL OR step_name = $3::text) AND ($4::text IS NULL OR action = $4::text) AND ($5::int IS NULL OR attempt = $5::int)
        LIMIT 1`,
      [ref.flowId, ref.commandId, ref.stepName ?? null, ref.action ?? null, ref.attempt ?? null]);
    if (!row) return undefined;
    return {
      target: row.target, inFlight: row.inFlight, pastDeadline: row.pastDeadline,
      heartbeatAgeMs: row.heartbeatAgeMs === null ? null : Number(row.heartbeatAgeMs),
      ...(row.untilDeadlineMs === null ? {} : { untilDeadlineMs: Number(row.untilDeadlineMs) }),
    };
  }

  async answeredAmong(commands: Array<{ flowId: string; commandId: string }>): Promise<Set<string>> {
    if (commands.length === 0) return new Set();
    // By flow (the step runs' index), then paired in memory: a flow's other commands are not asked about.
    const rows: Array<{ flowId: string; commandId: string }> = await this.dataSource.query(
      `SELECT flow_id AS "flowId", command_id::text AS "commandId" FROM orchestration_step_run
        WHERE flow_id = ANY($1::uuid[]) AND command_id = ANY($2::uuid[]) AND handler_type = 'worker' AND status <> 'DISPATCHED'`,
      [[...new Set(commands.map((c) => c.flowId))], commands.map((c) => c.commandId)]);
    const asked = new Set(commands.map((c) => `${c.flowId}/${c.commandId}`));
    return new Set(rows.filter((r) => asked.has(`${r.flowId}/${r.commandId}`)).map((r) => r.commandId));
  }
}
