import type { Pool } from 'pg';
import { PipelinedStatement, StatementPipeline } from './statement-pipeline';

type Row = Record<string, unknown>;

/**
 * Runs a pipeline on a client of its own from the pool, and gives the client back.
 *
 * A checked-out client has no error listener (pool.query adds its own; this path must too): when
 * PostgreSQL stops, a FATAL can follow the error that failed the pipeline, or the ReadyForQuery
 * that committed it, after the pipeline settled, and an 'error' event nobody listens to would
 * crash the process. A client that emitted one is broken: it is released as such (destroyed),
 * keeping the listener while it ends.
 */
export async function runPipeline(pool: Pick<Pool, 'connect'>, statements: PipelinedStatement[]): Promise<Row[]> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (error: Error) => { broken ??= error; };
  client.on('error', onError);
  let rows: Row[];
  try {
    rows = await client.query(new StatementPipeline(statements)).done;
  } catch (error) {
    client.release(error as Error);
    throw error;
  }
  if (broken) {
    client.release(broken); // the batch committed (its ReadyForQuery came): only the connection is lost
  } else {
    client.off('error', onError);
    client.release();
  }
  return rows;
}
