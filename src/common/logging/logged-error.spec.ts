import { Logger } from '@nestjs/common';
import pino from 'pino';
import { QueryFailedError } from 'typeorm';
import { AppConfig } from '../../config/app-config';
import { bootLogger } from './nest-logger';

// The process's logger as Baton builds it (LogSink through nestjs-pino), its output caught at pino's destination.
const nestLogger = bootLogger(Object.assign(new AppConfig(), { LOG_LEVEL: 'info', LOG_FORMAT: 'json' }));
Logger.overrideLogger(nestLogger);
const logger = new Logger('HttpErrorFilter');
const destination = (nestLogger as unknown as { logger: { logger: Record<symbol, { write: (line: string) => void }> } })
  .logger.logger[pino.symbols.streamSym];

function written(log: () => void): Record<string, unknown> {
  const lines: string[] = [];
  const write = jest.spyOn(destination, 'write').mockImplementation((line: string) => { lines.push(line); });
  try {
    log();
  } finally {
    write.mockRestore();
  }
  expect(lines).toHaveLength(1);
  return JSON.parse(lines[0]) as Record<string, unknown>;
}

describe('an error logged as err', () => {
  const pgError = () => Object.assign(new Error('invalid input syntax for type integer: "s3cr3t-token"'), {
    code: '22P02', detail: 'Failing row contains (42, {"apiToken":"s3cr3t"}).', where: 'JSON data, line 1: {"apiToken":"s3cr3t"', table: 'orchestration_run',
  });

  it('is written without the values of a failed statement: parameters, driver error, detail, the quoted value', () => {
    const query = `INSERT INTO orchestration_run (id, payload, blob) VALUES ($1, $2, $3) ${'-- padding '.repeat(40)}`;
    const error = new QueryFailedError(query, ['s3cr3t-token', '{"apiToken":"s3cr3t"}', Buffer.alloc(50_000, 1)], pgError());
    const line = written(() => logger.error({ err: error, correlationId: 'c1' }, 'request failed'));
    const text = JSON.stringify(line);
    expect(text).not.toContain('s3cr3t');
    expect(text.length).toBeLessThan(4000);
    expect(line).toMatchObject({ correlationId: 'c1', msg: 'request failed', context: 'HttpErrorFilter' });
    const err = line.err as Record<string, unknown>;
    expect(err).toMatchObject({ type: 'QueryFailedError', code: '22P02', table: 'orchestration_run', message: 'invalid input syntax for type integer: "***"' });
    expect(err).not.toHaveProperty('parameters');
    expect(err).not.toHaveProperty('driverError');
    expect(err.query).toBe(`${query.replace(/\s+/g, ' ').slice(0, 200)}…`);
    expect(err.stack).toMatch(/^QueryFailedError: invalid input syntax for type integer: "\*\*\*"\n/);
  });

  const failedStatement = (value: string) => new QueryFailedError('INSERT INTO orchestration_run (payload) VALUES ($1)', [value], Object.assign(
    new Error(`invalid input syntax for type integer: "${value}"`), { code: '22P02', detail: `Failing row contains (${value}).` },
  ));

  it('masks the values of a failed statement wrapped as a cause, however deep, in the message and stack pino folds it into', () => {
    const wrapped = new Error('saving the run failed', { cause: new Error('in a transaction', { cause: failedStatement('s3cr3t-payload') }) });
    const line = written(() => logger.error({ err: wrapped }, 'request failed'));
    expect(JSON.stringify(line)).not.toContain('s3cr3t');
    expect(line.err).toMatchObject({ message: 'saving the run failed: in a transaction: invalid input syntax for type integer: "***"' });
    expect((line.err as { stack: string }).stack).toContain('caused by: QueryFailedError: invalid input syntax for type integer: "***"');
  });

  it('masks and drops the values of the failed statements an AggregateError holds, and its own message quoting them', () => {
    const both = new AggregateError([failedStatement('s3cr3t-one'), new Error('retried', { cause: failedStatement('s3cr3t-two') })], 'both failed: s3cr3t-one');
    const line = written(() => logger.error({ err: both }, 'request failed'));
    expect(JSON.stringify(line)).not.toContain('s3cr3t');
    const err = line.err as { message: string; aggregateErrors: Array<Record<string, unknown>> };
    expect(err.message).toBe('both failed: ***');
    expect(err.aggregateErrors.map((e) => e.message)).toEqual(['invalid input syntax for type integer: "***"', 'retried: invalid input syntax for type integer: "***"']);
    expect(err.aggregateErrors[0]).not.toHaveProperty('parameters');
    expect(err.aggregateErrors[0]).not.toHaveProperty('driverError');
  });

  it('logs an error whose causes go round', () => {
    const a = new Error('a: s3cr3t-loop');
    a.cause = Object.assign(new Error('b', { cause: a }), { parameters: ['s3cr3t-loop'] });
    expect(written(() => logger.error({ err: a }, 'request failed')).err).toMatchObject({ message: 'a: ***: b: a: ***: ...' });
  });

  it('keeps what any other error says, and a message logged as err', () => {
    const error = Object.assign(new Error('boom', { cause: new Error('underneath') }), { flowId: 'f1' });
    const line = written(() => logger.error({ err: error }, 'a healer tick failed'));
    expect(line.err).toMatchObject({ type: 'Error', message: 'boom: underneath', flowId: 'f1' });
    expect(written(() => logger.warn({ err: 'connection refused' }, 'last_used_at not updated')).err).toBe('connection refused');
  });
});
