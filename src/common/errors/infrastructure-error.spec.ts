import { QueryFailedError, QueryRunnerAlreadyReleasedError, TypeORMError } from 'typeorm';
import { isInfrastructureError, isLockTimeout } from './infrastructure-error';

const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

describe('isInfrastructureError', () => {
  it.each([
    ['a refused connection', pgError('ECONNREFUSED')],
    ['an admin shutdown (57P01)', pgError('57P01', 'terminating connection due to administrator command')],
    ['a connection exception (08006)', pgError('08006')],
    ['a dropped connection', new Error('Connection terminated unexpectedly')],
    ['a pool that cannot connect', new Error('timeout exceeded when trying to connect')],
    ['a TypeORM error wrapping a refused connection', new QueryFailedError('SELECT 1', [], pgError('ECONNREFUSED'))],
    ['an error whose cause is a reset', new Error('publish failed', { cause: pgError('ECONNRESET') })],
    ['a Kafka connection error', Object.assign(new Error('down'), { name: 'KafkaJSConnectionError' })],
    ['a database closed to connections (55000)', pgError('55000', 'database "baton" is not currently accepting connections')],
    ['a password refused once Baton runs (28P01)', pgError('28P01', 'password authentication failed for user "baton"')],
    ['a database dropped under Baton (3D000)', pgError('3D000', 'database "baton" does not exist')],
    ['a statement cancelled by its timeout (57014)', new QueryFailedError('UPDATE', [], pgError('57014', 'canceling statement due to statement timeout'))],
    ['a statement cancelled by its lock timeout (55P03)', new QueryFailedError('UPDATE', [], pgError('55P03', 'canceling statement due to lock timeout'))],
    ['a transaction whose connection the server ended', new QueryRunnerAlreadyReleasedError()],
    ["TypeORM's pool already closed", new TypeORMError('Driver not Connected')],
  ])('is true for %s', (_what, error) => {
    expect(isInfrastructureError(error)).toBe(true);
  });

  it.each([
    ['a unique violation', pgError('23505')],
    ['a value out of range', new QueryFailedError('SELECT', [], pgError('22003', 'bigint out of range'))],
    ['a plain error', new Error('cannot parse')],
    ['another object state (55000)', pgError('55000', 'cannot refresh materialized view concurrently')],
    ['nothing', undefined],
    ['a string', 'ECONNREFUSED'],
  ])('is false for %s', (_what, error) => {
    expect(isInfrastructureError(error)).toBe(false);
  });
});

describe('isLockTimeout', () => {
  it('is true for a statement that waited too long for a lock, however wrapped, and for no other outage', () => {
    expect(isLockTimeout(new QueryFailedError('UPDATE', [], pgError('55P03')))).toBe(true);
    expect(isLockTimeout(new Error('tick failed', { cause: pgError('55P03') }))).toBe(true);
    expect([pgError('57014'), pgError('57P01'), pgError('ECONNREFUSED'), pgError('23505'), undefined].map(isLockTimeout)).toEqual([false, false, false, false, false]);
  });
});
