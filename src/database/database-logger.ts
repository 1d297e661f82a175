import { Logger as NestLogger, LoggerService } from '@nestjs/common';
import type { Logger } from 'typeorm';
import { errorMessage } from '../common/errors/error-message';
import { isInfrastructureError, isLockTimeout } from '../common/errors/infrastructure-error';

/** Enough of a statement to recognise it; the rest of a long one is no help in a log line. */
const MAX_QUERY_LENGTH = 200;
const MAX_ERROR_LENGTH = 300;

/**
 * TypeORM's log, through Baton's logger (context `Database`, one JSON line each), in place of
 * TypeORM's console logger, which wrote plain multi-line text to stdout past the log's format and
 * redaction, with each failed statement's parameters (a run's payload among them).
 * - Parameters are never logged, and a statement only cut short.
 * - A failed statement is a warning; at debug when the database is unreachable, since the caller
 *   reports the outage itself, once (OutageLog, the error filter's 503 line), and retries. A
 *   statement that waited past its lock timeout stays a warning, naming the statement.
 * - Migrations and schema reads: applied migrations at info, the rest at debug.
 * - Successful statements are not logged (`logQuery` is called for every one).
 */
export class DatabaseLogger implements Logger {
  constructor(private readonly logger: LoggerService = new NestLogger('Database')) {}

  logQuery(): void {
    // Every statement: far too many for a log, and its parameters are not for one.
  }

  logQueryError(error: string | Error, query: string, parameters?: unknown[]): void {
    // PostgreSQL quotes a value it cannot take (`invalid input syntax for type uuid: "…"`): masked too.
    const fields = { query: shortened(query), ...codeOf(error), error: bounded(masked(errorMessage(error), parameters)) };
    // A lock timeout is news of one statement (which one waited on a lock), not of the database.
    if (isInfrastructureError(error) && !isLockTimeout(error)) this.logger.debug?.(fields, 'query failed: the database is unreachable');
    else this.logger.warn(fields, `query failed: ${fields.error}`);
  }

  logQuerySlow(time: number, query: string, _parameters?: unknown[]): void {
    this.logger.warn({ query: shortened(query), durationMs: time }, `slow query: ${time} ms`);
  }

  logSchemaBuild(message: string): void {
    if (/^Migration .* (executed|reverted) successfully/.test(message)) this.logger.log(message);
    else this.logger.debug?.(message);
  }

  logMigration(message: string): void {
    this.logger.log(bounded(message));
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    const text = bounded(errorMessage(message));
    // An idle pooled connection that the server dropped: the next statement finds out, and its caller reports it.
    if (level === 'warn' && !/^Postgres pool raised an error/.test(text)) this.logger.warn(text);
    else this.logger.debug?.(text);
  }
}

/** One line, cut to MAX_QUERY_LENGTH: a statement's text, never its parameters. */
function shortened(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > MAX_QUERY_LENGTH ? `${line.slice(0, MAX_QUERY_LENGTH)}…` : line;
}

function bounded(text: string): string {
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH)}…` : text;
}

/** The message with every parameter's text that it quotes replaced. */
function masked(message: string, parameters: unknown[] = []): string {
  let text = message;
  for (const p of parameters) {
    const value = typeof p === 'string' ? p : p !== null && typeof p === 'object' && !Buffer.isBuffer(p) ? safeJson(p) : undefined;
    if (value && value.length >= 4) text = text.split(value).join('***');
  }
  return text;
}

function safeJson(value: unknown): string | undefined {
  try {
    return JSON.stringify(value);
  } catch {
    return undefined;
  }
}

/** PostgreSQL's SQLSTATE, which says more than the message to someone searching the log. */
function codeOf(error: unknown): { code?: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { code } : {};
}
