import { Logger } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import pino from 'pino';
import { NestLogger } from '../common/logging/nest-logger';
import { AppConfig } from '../config/app-config';
import { DatabaseLogger } from './database-logger';
import { dataSourceOptions } from './data-source-options';

// The way Baton logs: Nest's Logger over nestjs-pino over one pino logger, here writing to an array.
const lines: string[] = [];
const params = { pinoHttp: { logger: pino({ level: 'debug' }, { write: (line: string) => lines.push(line) }) } };
Logger.overrideLogger(new NestLogger(new PinoLogger(params), params));

const PAYLOAD = 'customer-secret-4242';
const UPDATE = `UPDATE "job_execution"
   SET "error" = $1, "updated_at" = now()
 WHERE "id" = $2 AND ${'"status" <> \'DONE\' AND '.repeat(20)}true`;

const records = () => lines.map((line) => JSON.parse(line) as Record<string, unknown>);

describe('DatabaseLogger', () => {
  beforeEach(() => lines.splice(0));

  it("logs a failed statement as one JSON warning in the Database context: the statement cut short, never its parameters", () => {
    const error = Object.assign(new Error('value too long for type character varying(64)'), { code: '22001' });
    new DatabaseLogger().logQueryError(error, UPDATE, [PAYLOAD, 'id-1']);
    expect(lines).toHaveLength(1);
    expect(lines[0].trim().split('\n')).toHaveLength(1);
    const [line] = records();
    expect(line).toMatchObject({ level: 40, context: 'Database', code: '22001', msg: 'query failed: value too long for type character varying(64)' });
    expect(line.query).toMatch(/^UPDATE "job_execution" SET "error" = \$1, "updated_at" = now\(\) WHERE/);
    expect((line.query as string).length).toBeLessThanOrEqual(201);
    expect(lines[0]).not.toContain(PAYLOAD);
    expect(lines[0]).not.toContain('PARAMETERS');
  });

  it('masks a parameter that PostgreSQL quotes in its message', () => {
    const error = Object.assign(new Error(`invalid input syntax for type uuid: "${PAYLOAD}"`), { code: '22P02' });
    new DatabaseLogger().logQueryError(error, 'SELECT * FROM run WHERE flow_id = $1', [PAYLOAD]);
    expect(records()).toEqual([expect.objectContaining({ level: 40, error: 'invalid input syntax for type uuid: "***"' })]);
  });

  it('is the logger of both the PostgreSQL and the embedded data source', () => {
    const config = Object.assign(new AppConfig(), { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/db' });
    expect(dataSourceOptions(config).logger).toBeInstanceOf(DatabaseLogger);
    const pglite = { execProtocolStream: () => Promise.resolve([]), waitReady: Promise.resolve() };
    expect(dataSourceOptions(new AppConfig(), pglite as never).logger).toBeInstanceOf(DatabaseLogger);
  });

  it('logs a statement failed by an outage at debug: the caller reports the outage once, and retries', () => {
    new DatabaseLogger().logQueryError(new Error('Connection terminated unexpectedly'), UPDATE, [PAYLOAD]);
    expect(records()).toEqual([expect.objectContaining({ level: 20, context: 'Database', error: 'Connection terminated unexpectedly' })]);
    expect(lines.join('')).not.toContain(PAYLOAD);
  });

  it('logs a statement that waited past its lock timeout as a warning naming it: news of that statement, not of the database', () => {
    const error = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
    new DatabaseLogger().logQueryError(error, UPDATE, [PAYLOAD]);
    expect(records()).toEqual([expect.objectContaining({ level: 40, code: '55P03', query: expect.stringMatching(/^UPDATE "job_execution"/),
      msg: 'query failed: canceling statement due to lock timeout' })]);
  });

  it('never logs a successful statement, nor a slow one\'s parameters', () => {
    const logger = new DatabaseLogger();
    logger.logQuery();
    logger.logQuerySlow(1500, 'SELECT 1 WHERE $1', [PAYLOAD]);
    expect(records()).toEqual([expect.objectContaining({ level: 40, durationMs: 1500, query: 'SELECT 1 WHERE $1' })]);
    expect(lines.join('')).not.toContain(PAYLOAD);
  });

  it('logs an applied migration at info and the rest of the schema work at debug', () => {
    const logger = new DatabaseLogger();
    logger.logSchemaBuild('Migration Init1700000000000 has been executed successfully.');
    logger.logSchemaBuild('0 migrations are already loaded in the database.');
    logger.log('warn', 'Postgres pool raised an error. Error: Connection terminated unexpectedly');
    expect(records().map((r) => r.level)).toEqual([30, 20, 20]);
  });
});
