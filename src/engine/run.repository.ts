import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { recordsetInsert } from '../database/recordset-insert';
import { runPipeline } from '../database/run-pipeline';
import { StatementNames } from '../database/statement-names';
import { GroupCommit } from '../database/group-commit/group-commit';
import { AppConfig } from '../config/app-config';
import { InsertedOutboxRow, OutboxRecord, OutboxService, StagedMessages } from '../messaging/outbox/outbox.service';
import { ABANDONED_JOB_TEXTS } from '../handlers/abandoned-job';
import { ABANDONED_REASON } from './core/abandon-in-flight';
import type { OnDeadline } from './core/deadline-action';
import type { RunStatus } from './core/run-status';
import type { InboxKey } from './dispatch/step-result';
import type { KeyedRun } from './idempotency-fingerprint';
import type { RunChanges, RunState } from './run-changes';
import { RunWrite, WRITTEN, writeStatement } from './run-write-statement';
import { whileOverdue } from './still-overdue';
import { ALL_STILL_WAITING, COMPLETE_WITHDRAWN, VOIDABLE_DUE_AT, VOID_PARTS, VOIDED_COUNT, WITHDRAWN_COUNT } from './void-statement';

// Statement parts are constants, so that every write of a shape hands writeStatement the same
// strings (see its trie).
const TEMPLATE_UNCHANGED = 'EXISTS (SELECT 1 FROM orchestration_template WHERE id = $3 AND current_version = $4 AND status = $12)';
const TEMPLATE_CHANGED = `NOT ${TEMPLATE_UNCHANGED}`;
const INSERT_RUN = `INSERT INTO orchestration_run (flow_id, orch_name, template_id, template_version, status, payload, content_type,
         correlation_id, idempotency_key, payload_hash, expires_at, deadline_at, on_deadline, trace_context)
       SELECT $1::uuid, $2::varchar, $3::uuid, $4::int, $5::varchar, $6::bytea, $7::varchar, $8::varchar, $9::varchar, $10::varchar,
         now() + make_interval(secs => $11::float8), now() + make_interval(secs => $13::float8), $14::varchar, $15::jsonb WHERE ${TEMPLATE_UNCHANGED}
       ON CONFLICT (orch_name, idempotency_key) DO NOTHING RETURNING flow_id`;
const SET_RUN = `UPDATE orchestration_run SET version = version + 1, updated_at = now(),
         status = COALESCE($3, status),
         failed_step = CASE WHEN $14 THEN $4 ELSE COALESCE(failed_step, $4) END, error = CASE WHEN $14 THEN $5 ELSE COALESCE(error, $5) END,
         finished_at = CASE WHEN $3 IS NULL THEN finished_at WHEN $6 THEN $15::timestamptz END,
         expires_at = CASE WHEN $3 IS NULL THEN expires_at END,
         template_version = COALESCE($7, template_version)
       WHERE flow_id = $1 AND version = $2`;
/** A transition's write of the run row (exported for the schema spec, which keeps its columns out of indexes). */
export const UPDATE_RUN = `${SET_RUN} RETURNING flow_id`;
/** The same, for a transition that voids attempts: only if their commands all still wait (void-statement). */
const UPDATE_RUN_VOIDING = `${SET_RUN} AND ${ALL_STILL_WAITING} RETURNING flow_id`;
const COMPLETE_STEP = `UPDATE orchestration_step_run SET status = $11, output = $12, error = $13, completed_at = $15::timestamptz
       WHERE flow_id = $1 AND step_name = $8 AND action = $9 AND attempt = $10 AND ${WRITTEN}`;
/**
 * Gives up a terminated run's attempts in flight (attemptsToAbandon); `$n` is their commandIds, `$n+1` why.
 * When the same write voids attempts (`$16`, `$17`), they are among them, and those it voids are
 * left to the void: one part may not update a row another part updates.
 */
const abandonStep = (n: number, voiding: boolean) => `UPDATE orchestration_step_run SET status = 'ABANDONED', error = $${n + 1}, completed_at = $15::timestamptz
       WHERE flow_id = $1 AND command_id = ANY($${n}::uuid[]) AND status = 'DISPATCHED' AND ${WRITTEN}${
  voiding ? ' AND command_id NOT IN (SELECT command_id FROM voided)' : ''} RETURNING command_id`;
/**
 * A built-in step's job of an abandoned attempt is no longer followed: neither launched, polled
 * nor cancelled (the operator chose to leave every effect in place), and nothing is reported. Its
 * version moves on, so a poll in progress records nothing; a launch in progress records only the
 * job it started (JobWorker), so that an operator can find it.
 */
const ABANDON_JOBS = `UPDATE job_execution SET status = 'FAILED', completed_at = $15::timestamptz, reported_at = now(), next_launch_at = NULL,
         next_poll_at = NULL, version = version + 1,
         error = CASE WHEN status = 'LAUNCHING' THEN '${ABANDONED_JOB_TEXTS.launching}'
                      WHEN cancel_requested_at IS NOT NULL THEN '${ABANDONED_JOB_TEXTS.cancelSent}' ELSE '${ABANDONED_JOB_TEXTS.notCancelled}' END
       WHERE command_id IN (SELECT command_id FROM abandoned) AND status NOT IN ('SUCCEEDED', 'FAILED') AND reported_at IS NULL AND ${WRITTEN}`;
/**
 * A worker step's command of an abandoned attempt not published yet (the broker was down, or the
 * relay had not got to it) is dropped as a voided one is: published later, a worker would run the
 * step of a run already stopped. A command already published cannot be taken back; one the relay
 * is publishing right now may still go out (its mark of sent then finds the row done with).
 */
const ABANDON_MESSAGES = `UPDATE outbox SET sent_at = now(), dropped_at = now()
       WHERE message_id IN (SELECT command_id FROM abandoned) AND sent_at IS NULL AND ${WRITTEN}`;
const abandoning = (n: number, voiding: boolean) => [{ name: 'abandoned', sql: abandonStep(n, voiding) },
  { name: 'abandoned_jobs', sql: ABANDON_JOBS }, { name: 'abandoned_messages', sql: ABANDON_MESSAGES }];
const ABANDON_PARTS = abandoning(16, false);
const ABANDON_PARTS_VOIDING = abandoning(18, true);
const COMPLETING: ReadonlyArray<{ name: string; sql: string }> = [{ name: 'completed', sql: COMPLETE_STEP }];
const WITHDRAWING: ReadonlyArray<{ name: string; sql: string }> = [{ name: 'completed', sql: COMPLETE_WITHDRAWN }];
const LOAD_RUN = `SELECT flow_id AS "flowId", orch_name AS "orchName", template_id AS "templateId",
     template_version AS "templateVersion", status, correlation_id AS "correlationId", payload,
     content_type AS "contentType", failed_step AS "failedStep", version, created_at AS "startedAt",
     trace_context AS "traceContext",
     (SELECT COALESCE(json_agg(json_build_object('stepName', s.step_name, 'action', s.action,
        'attempt', s.attempt, 'budgetStart', s.budget_start, 'status', s.status, 'commandId', s.command_id, 'output', s.output, 'error', s.error,
        'dueAt', ${VOIDABLE_DUE_AT})
        ORDER BY s.id), '[]')
      FROM orchestration_step_run s WHERE s.flow_id = r.flow_id) AS attempts
   FROM orchestration_run r WHERE flow_id = $1`;

/** Why a built-in step's job not launched yet was dropped, when a reply completed its attempt first (RunChanges.withdrawn). */
const WITHDRAWN_REASON = 'not sent: a reply to the attempt before it completed it first';

export interface NewRun {
  flowId: string;
  orchName: string;
  templateId: string;
  templateVersion: number;
  status: RunStatus;
  payload: Buffer;
  contentType: string;
  correlationId: string;
  idempotencyKey: string | null;
  payloadHash: string;
  /** How long a parked run waits for workers, or null for a run started at once; from the database's clock, as deadlineSeconds. */
  expirySeconds: number | null;
  /** From the database's clock, as the healer judges it (`deadline_at < now()`): an instance's clock may lag. */
  deadlineSeconds: number | null;
  onDeadline: OnDeadline | null;
  traceContext: Record<string, string> | null;
}

/** `written` is false when the guard failed: nothing was written (the run changed meanwhile, or the idempotency key was taken). */
export interface WriteResult {
  written: boolean;
  /** The outbox rows written, for the relay's fast path. */
  messages: OutboxRecord[];
  /** How many of the attempts the transition voids were voided (fewer if a command went out meanwhile); absent if none. */
  voided?: number;
  /** Whether the command of the attempt it completes was withdrawn (false if it went out meanwhile); absent if none. */
  withdrawn?: boolean;
}

/** The run's own write: the first part of a transition's write, which every other part is guarded by. */
interface RunOwnWrite {
  /** The run it writes: a batch runs its writes in the order of their runs (see executeTogether). */
  flowId: string;
  /** Returns a row if, and only if, the run's own write happened. */
  sql: string;
  params: unknown[];
  /** What, besides the run, no other write of the same batch may hold (a new run's idempotency key). */
  alsoHeld?: string[];
}

/** A transition's write waiting for its round trip. */
interface PendingWrite extends RunWrite {
  flowId: string;
  /** Writes holding a key in common never share a batch (GroupCommit): the run, and `alsoHeld`. */
  keys: string[];
  staged?: StagedMessages;
}

/** Each write's output columns, `written` and `sent` among them. */
type WriteOutput = Record<string, unknown>;

/**
 * Runs and their attempts, in raw SQL: this is the engine's hot path. A transition is one read
 * (`load`) and one write (`create` or `update`): the write is a single statement whose first
 * CTE inserts the run or bumps its version only if it is still the version that was read, and
 * whose every other part writes only if that succeeded. No transaction is held open across
 * round trips, so no lock is held while the engine decides (docs/stack-notes.md, "PostgreSQL throughput limits").
 * Under load, the writes that queue behind one in flight share a round trip and a commit, each
 * still its own version-guarded statement (group commit).
 */
@Injectable()
export class RunRepository {
  /**
   * Statement names, one set for node-postgres's queries and one for the pipeline's: each keeps
   * its own record of what it prepared on a connection, so they must never share a name.
   */
  private readonly names = { alone: new StatementNames('baton_'), pipelined: new StatementNames('baton_p_') };
  /**
   * On a PostgreSQL server, transitions that wait for a write in flight go together (see
   * GroupCommit), in one round trip and one transaction (StatementPipeline). Not on the embedded
   * database: its one connection runs statements in this process, so there is no round trip to save.
   */
  private readonly commits?: GroupCommit<PendingWrite, WriteOutput>;

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly outbox: OutboxService, config: AppConfig) {
    if (!config.embedded && config.DATABASE_WRITE_BATCH_MAX > 1) {
      this.commits = new GroupCommit({
        maxBatch: config.DATABASE_WRITE_BATCH_MAX,
        maxInFlight: config.DATABASE_WRITES_IN_FLIGHT,
        keysOf: (w) => w.keys,
        one: (w) => this.executeAlone(w),
        many: (writes) => this.executeTogether(writes),
      });
    }
  }

  /**
   * Straight to node-postgres, as a named (prepared) statement: the hot path's few statement
   * texts are parsed and planned once per connection instead of on every call, and skip
   * TypeORM's per-query runner. Rows are parsed the same way (the same pg type parsers).
   */
  private async query<T = any>(text: string, values: unknown[]): Promise<T[]> { // eslint-disable-line @typescript-eslint/no-explicit-any
    return (await this.pool.query({ name: this.names.alone.of(text), text, values })).rows;
  }

  private get pool(): Pool {
    return (this.dataSource.driver as PostgresDriver).master as Pool;
  }

  /**
   * The run with every attempt, in one statement; undefined for an unknown run. An attempt's
   * `dueAt` is given only while its command could be voided (VOIDABLE_DUE_AT).
   */
  async load(flowId: string): Promise<RunState | undefined> {
    const rows = await this.query(LOAD_RUN, [flowId]);
    return rows[0];
  }

  async seenInbox(key: InboxKey): Promise<boolean> {
    const rows = await this.query('SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2', [key.consumer, key.messageId]);
    return rows.length > 0;
  }

  /** deadline_at and created_at are both the insert's now(); rounded for runs an earlier version gave its own clock's deadline. */
  async findByIdempotencyKey(orchName: string, key: string): Promise<(KeyedRun & { status: RunStatus; correlationId: string }) | undefined> {
    const rows = await this.query(
      `SELECT flow_id AS "flowId", status, payload_hash AS "payloadHash", correlation_id AS "correlationId",
         round(EXTRACT(EPOCH FROM deadline_at - created_at))::int AS "deadlineSeconds"
       FROM orchestration_run WHERE orch_name = $1 AND idempotency_key = $2`, [orchName, key]);
    return rows[0];
  }

  /**
   * Inserts the run with its first changes, unless its idempotency key was used before or its
   * template is no longer at the version and status the run was planned on (`templateChanged`).
   */
  async create(run: NewRun, templateStatus: string, changes: RunChanges): Promise<WriteResult & { templateChanged: boolean }> {
    const { templateChanged, ...written } = await this.write({
      flowId: run.flowId,
      sql: INSERT_RUN,
      params: [run.flowId, run.orchName, run.templateId, run.templateVersion, run.status, run.payload, run.contentType,
        run.correlationId, run.idempotencyKey, run.payloadHash, run.expirySeconds, templateStatus, run.deadlineSeconds, run.onDeadline,
        run.traceContext && JSON.stringify(run.traceContext)],
      alsoHeld: run.idempotencyKey ? [`idempotency:${run.orchName}:${run.idempotencyKey}`] : [],
    }, changes, [], [{ alias: 'templateChanged', sql: TEMPLATE_CHANGED }]);
    return { ...written, templateChanged: templateChanged === true };
  }

  /** Writes a transition of a run loaded at `version`, unless another one was written since. */
  async update(run: Pick<RunState, 'flowId' | 'version'>, changes: RunChanges): Promise<WriteResult> {
    const s = changes.status;
    const c = changes.completion;
    const v = changes.voided;
    const w = changes.withdrawn;
    const params: unknown[] = [run.flowId, run.version, s?.status ?? null, s?.failedStep ?? null, s?.error ?? null, s?.terminal ?? false,
      changes.templateVersion ?? null, c?.stepName ?? null, c?.action ?? null, c?.attempt ?? null, c?.status ?? null,
      c?.output === undefined ? null : JSON.stringify(c.output), c?.error ?? null, s?.clearsFailure ?? false, changes.at];
    const own = (sql: string): RunOwnWrite => ({ flowId: run.flowId, sql: c?.status === 'TIMED_OUT' ? whileOverdue(sql) : sql, params });
    // The common shape (no void, no abandon) builds no list of its own: this is every transition's write.
    if (!v && !w && !changes.abandoned) return this.write(own(UPDATE_RUN), changes, COMPLETING);
    // A withdrawn command goes with the voided ones: dropped, and the write made only if it still waits (void-statement).
    const voiding = v !== undefined || w !== undefined;
    // A withdrawing completion reads what the void parts dropped, so it comes after them.
    const guarded = w ? [...VOID_PARTS, ...WITHDRAWING] : [...COMPLETING, ...voiding ? VOID_PARTS : []];
    if (voiding) params.push([...v?.commandIds ?? [], ...w ? [w] : []], v?.reason ?? WITHDRAWN_REASON);
    if (changes.abandoned) {
      guarded.push(...voiding ? ABANDON_PARTS_VOIDING : ABANDON_PARTS);
      params.push(changes.abandoned, ABANDONED_REASON);
    }
    if (!voiding) return this.write(own(UPDATE_RUN), changes, guarded);
    const { voided, withdrawn, ...written } = await this.write(own(UPDATE_RUN_VOIDING), changes, guarded, w ? [VOIDED_COUNT, WITHDRAWN_COUNT] : [VOIDED_COUNT]);
    return { ...written, voided: Number(voided ?? 0), ...w ? { withdrawn: Number(withdrawn ?? 0) === 1 } : {} };
  }

  /** The run's own write, then `guarded` and the changes' inserts and messages, each written only if the run's was. */
  private async write(run: RunOwnWrite, changes: RunChanges, guarded: ReadonlyArray<{ name: string; sql: string }>,
    also: RunWrite['columns'] = []): Promise<WriteResult & WriteOutput> {
    const { flowId, sql, params, alsoHeld = [] } = run;
    const pending: PendingWrite = { flowId, keys: [flowId, ...alsoHeld], ctes: [{ name: 'run', sql }, ...guarded], columns: [...also], params };
    for (const [entity, { rows, ignoreConflicts }] of changes.inserts) {
      const insert = recordsetInsert(this.dataSource.getMetadata(entity), rows, `$${params.length + 1}`, WRITTEN, ignoreConflicts);
      params.push(insert.json);
      pending.ctes.push({ name: `insert${pending.ctes.length}`, sql: insert.sql });
    }
    if (changes.messages.length > 0) {
      pending.staged = this.outbox.stage(changes.messages);
      params.push(pending.staged.json);
      pending.ctes.push({ name: 'sent', sql: OutboxService.insertSql(`$${params.length}`, WRITTEN) });
      pending.columns.push({ alias: 'sent', sql: '(SELECT json_agg(sent) FROM sent)' });
    }
    const { written, sent, ...rest } = await (this.commits ? this.commits.submit(pending) : this.executeAlone(pending));
    return {
      ...rest, written: written === true,
      messages: pending.staged && written ? this.outbox.recordsOf(pending.staged, (sent as InsertedOutboxRow[] | null) ?? []) : [],
    };
  }

  private async executeAlone(write: PendingWrite): Promise<WriteOutput> {
    const [row] = await this.query<WriteOutput>(writeStatement(write), write.params);
    return row;
  }

  /**
   * The writes in one round trip and one transaction, each its own statement. They run in the
   * order of their flow ids, as every other batch's do, so that two engine instances' batches
   * lock runs in one order and do not deadlock on each other.
   */
  private async executeTogether(writes: PendingWrite[]): Promise<WriteOutput[]> {
    const sorted = [...writes].sort((a, b) => (a.flowId < b.flowId ? -1 : a.flowId > b.flowId ? 1 : 0));
    const statements = sorted.map((write) => {
      const text = writeStatement(write);
      return { name: this.names.pipelined.of(text), text, values: write.params };
    });
    const rows = await runPipeline(this.pool, statements);
    const byWrite = new Map(sorted.map((write, i) => [write, rows[i]]));
    return writes.map((write) => byWrite.get(write)!);
  }
}
