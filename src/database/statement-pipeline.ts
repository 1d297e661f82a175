import * as pg from 'pg';
import type { Connection, Submittable } from 'pg';
import { serialize } from 'pg-protocol';

/** A named statement and its parameters, one of a pipeline. */
export interface PipelinedStatement {
  name: string;
  text: string;
  values: unknown[];
}

type Row = Record<string, unknown>;
type FieldDescription = { name: string; dataTypeID: number; format: string };

/** The same parameter conversion (dates, buffers, objects) as node-postgres applies to its own queries. */
const prepareValue = (pg as unknown as { utils: { prepareValue(value: unknown): unknown } }).utils.prepareValue;

/** Names this module has prepared, per connection: its own, so node-postgres's bookkeeping of its statements stays untouched. */
const preparedOn = new WeakMap<Connection, Set<string>>();

/**
 * Several statements in one write and one round trip, and in one transaction: they are sent
 * (Parse the first time on a connection, then Bind, Describe, Execute each) before a single
 * Sync, and PostgreSQL runs everything before a Sync as one implicit transaction: committed at
 * the Sync, with one WAL flush, or rolled back whole when one of them fails. Each statement
 * keeps its prepared plan. node-postgres has no such mode (its pipelining syncs every query),
 * so this is a Submittable, its documented extension point: `client.query(pipeline)`, then
 * await `done`, one row per statement (each statement returns exactly one row).
 */
export class StatementPipeline implements Submittable {
  readonly done: Promise<Row[]>;
  private settle!: { resolve(rows: Row[]): void; reject(error: unknown): void };
  private readonly rows: Row[] = [];
  private fields: Array<{ name: string; parse(value: string): unknown }> = [];
  private parsed: string[] = [];
  private connection?: Connection;

  constructor(readonly statements: PipelinedStatement[]) {
    this.done = new Promise<Row[]>((resolve, reject) => (this.settle = { resolve, reject }));
  }

  /** Everything is serialised before anything is written, so a parameter that cannot be sent leaves nothing half-sent. */
  submit(connection: Connection): Error | null {
    this.connection = connection;
    const prepared = preparedOn.get(connection) ?? new Set<string>();
    preparedOn.set(connection, prepared);
    const messages: Buffer[] = [];
    try {
      for (const { name, text, values } of this.statements) {
        if (!prepared.has(name) && !this.parsed.includes(name)) {
          // A pipeline that failed may have left the statement prepared: Close is a no-op when it is not.
          messages.push(serialize.close({ type: 'S', name }), serialize.parse({ name, text, types: [] }));
          this.parsed.push(name);
        }
        messages.push(serialize.bind({ statement: name, values, valueMapper: prepareValue }), serialize.describe({ type: 'P', name: '' }),
          serialize.execute({ portal: '', rows: 0 }));
      }
    } catch (error) {
      return error as Error;
    }
    messages.push(serialize.sync());
    connection.stream.write(Buffer.concat(messages));
    return null;
  }

  handleRowDescription(msg: { fields: FieldDescription[] }): void {
    this.fields = msg.fields.map((f) => ({ name: f.name, parse: pg.types.getTypeParser(f.dataTypeID, f.format as 'text') }));
  }

  handleDataRow(msg: { fields: Array<string | null> }): void {
    const row: Row = {};
    this.fields.forEach((field, i) => {
      const value = msg.fields[i];
      row[field.name] = value === null ? null : field.parse(value);
    });
    this.rows.push(row);
  }

  handleCommandComplete(): void {
    // Rows are collected as they come; the transaction's outcome is only known at ReadyForQuery.
  }

  handleEmptyQuery(): void {
    // Not reached: every statement has a text.
  }

  /** The transaction was rolled back: statements prepared by this pipeline may or may not exist, so none is recorded. */
  handleError(error: unknown): void {
    this.settle.reject(error);
  }

  handleReadyForQuery(): void {
    const prepared = preparedOn.get(this.connection!)!;
    for (const name of this.parsed) prepared.add(name);
    this.settle.resolve(this.rows);
  }
}
