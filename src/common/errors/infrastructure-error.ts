import { AppError } from './app-error';
import { ErrorCode } from './error-code';

/**
 * Whether an error says a dependency (the database, the broker) is unreachable or going away,
 * rather than anything about the request or message being processed. Such failures are retried
 * (consumers pause, HTTP answers 503 with Retry-After); they are never a reason to dead-letter.
 */
const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
]);
/**
 * PostgreSQL SQLSTATEs: class 08 is connection exceptions; 57P01-03 shutdowns and start-up; 53300
 * too many connections. Class 28 (a password or user refused) and 3D000 (no such database) come
 * only on connecting: once Baton runs, they mean its database was changed under it (a password
 * rotated, a database dropped or renamed), which a request cannot cure. At start they stop Baton
 * instead (connect-retry.ts). 57014 and 55P03 are a statement cancelled, by
 * DATABASE_STATEMENT_TIMEOUT_MS (a database too slow to answer) or an operator, and by
 * DATABASE_LOCK_TIMEOUT_MS (a row another session holds locked): worth trying again later.
 */
const PG_STATES = /^(08|28|57P0[123]$|57014$|55P03$|53300$|3D000$)/;
const MESSAGES = [
  /Connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /Client has encountered a connection error/i,
  /Connection is closed/i,
  /the database system is (starting up|shutting down)/i,
  // 55000, which also names other states: an operator closed the database to connections (ALTER DATABASE … ALLOW_CONNECTIONS false).
  /is not currently accepting connections/i,
  // TypeORM's pool already closed (a timer's last pass while Baton stops): no connection to be had, as a refused one.
  /^Driver not Connected$/,
];
/**
 * kafkajs's unreachable broker; TypeORM's transaction whose connection the server ended under it
 * (a backend terminated mid-query: TypeORM has released the connection when the next statement comes).
 */
const ERROR_NAMES = new Set(['KafkaJSConnectionError', 'KafkaJSConnectionClosedError', 'KafkaJSRequestTimeoutError', 'KafkaJSBrokerNotFound', 'QueryRunnerAlreadyReleasedError']);

/**
 * A dependency other than the database and the broker (an identity provider's key set) that
 * could not be had: retried as they are, with its own message for the 503.
 */
export class DependencyUnavailableError extends AppError {
  constructor(message: string, cause: unknown) {
    super(ErrorCode.SERVICE_UNAVAILABLE, message);
    this.name = 'DependencyUnavailableError';
    this.cause = cause;
  }
}

export function isInfrastructureError(error: unknown): boolean {
  for (const e of causesOf(error)) {
    if (e instanceof DependencyUnavailableError) return true;
    const { code, name, message } = e as { code?: unknown; name?: unknown; message?: unknown };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || PG_STATES.test(code))) return true;
    if (typeof name === 'string' && ERROR_NAMES.has(name)) return true;
    if (typeof message === 'string' && MESSAGES.some((m) => m.test(message))) return true;
  }
  return false;
}

/**
 * A statement that waited past DATABASE_LOCK_TIMEOUT_MS for a lock another session holds: news of
 * one row (a run an operator's session holds locked), where a statement timeout (57014) is more
 * likely the whole database being slow.
 */
export function isLockTimeout(error: unknown): boolean {
  return causesOf(error).some((e) => (e as { code?: unknown }).code === '55P03');
}

/** The error and what it wraps: TypeORM's `driverError`, other libraries' `cause`; a few levels. */
function causesOf(error: unknown): object[] {
  const causes: object[] = [];
  for (let e: unknown = error; e && typeof e === 'object' && causes.length < 5;) {
    causes.push(e);
    e = (e as { driverError?: unknown }).driverError ?? (e as { cause?: unknown }).cause;
  }
  return causes;
}
