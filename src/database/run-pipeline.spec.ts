import { EventEmitter } from 'node:events';
import type { Pool } from 'pg';
import { runPipeline } from './run-pipeline';
import type { StatementPipeline } from './statement-pipeline';

const adminShutdown = Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' });
const fatal = new Error('Connection terminated unexpectedly');

/**
 * A pg client checked out of a pool: it answers a pipeline through the Submittable callbacks as
 * node-postgres does, and emits 'error' as a pg Client does when its connection dies. An 'error'
 * event with no listener throws: on a real client that happens in a socket callback and ends the
 * process, so it is recorded here as `crashes` instead.
 */
class FakeClient extends EventEmitter {
  readonly release = jest.fn<void, [Error?]>();
  readonly crashes: unknown[] = [];
  /** What the server answers, in one socket read (one task), after the pipeline was sent. */
  answer: (pipeline: StatementPipeline) => void = (p) => this.commit(p);

  query(pipeline: StatementPipeline): StatementPipeline {
    pipeline.submit({ stream: { write: () => true } } as never);
    setImmediate(() => this.answer(pipeline));
    return pipeline;
  }

  commit(pipeline: StatementPipeline): void {
    pipeline.handleRowDescription({ fields: [{ name: 'written', dataTypeID: 16, format: 'text' }] });
    for (let i = 0; i < pipeline.statements.length; i++) pipeline.handleDataRow({ fields: ['t'] });
    pipeline.handleReadyForQuery();
  }

  connectionDies(error: Error): void {
    try {
      this.emit('error', error);
    } catch (thrown) {
      this.crashes.push(thrown);
    }
  }
}

const statements = [
  { name: 'baton_p_a', text: 'SELECT true AS written', values: [] },
  { name: 'baton_p_b', text: 'SELECT true AS written', values: [] },
];
const poolOf = (client: FakeClient) => ({ connect: () => Promise.resolve(client) }) as unknown as Pick<Pool, 'connect'>;

describe('runPipeline', () => {
  it('returns a row per statement and gives the client back whole, with no listener of its own left on it', async () => {
    const client = new FakeClient();

    await expect(runPipeline(poolOf(client), statements)).resolves.toEqual([{ written: true }, { written: true }]);

    expect(client.release).toHaveBeenCalledTimes(1);
    expect(client.release).toHaveBeenCalledWith();
    expect(client.listenerCount('error')).toBe(0);
  });

  it('returns the rows of a batch that committed when the connection dies right after, and destroys the client', async () => {
    const client = new FakeClient();
    // The FATAL comes in the same read as the ReadyForQuery: after the pipeline settled, before it is awaited.
    client.answer = (pipeline) => {
      client.commit(pipeline);
      client.connectionDies(fatal);
    };

    await expect(runPipeline(poolOf(client), statements)).resolves.toHaveLength(2);

    expect(client.crashes).toEqual([]);
    expect(client.release).toHaveBeenCalledTimes(1);
    expect(client.release).toHaveBeenCalledWith(fatal);
  });

  it('fails with the error that failed the pipeline, and a FATAL that follows it after the client was released crashes nothing', async () => {
    const client = new FakeClient();
    client.answer = (pipeline) => pipeline.handleError(adminShutdown);

    await expect(runPipeline(poolOf(client), statements)).rejects.toBe(adminShutdown);
    expect(client.release).toHaveBeenCalledWith(adminShutdown);

    client.connectionDies(fatal);
    expect(client.crashes).toEqual([]);
  });
});
