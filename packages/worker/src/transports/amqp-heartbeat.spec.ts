import { withHeartbeat } from './amqp-heartbeat';

describe('withHeartbeat', () => {
  it('sets a 10 s heartbeat, and keeps one the URL sets itself', () => {
    expect(withHeartbeat('amqp://u:p@127.0.0.1:5672/vh')).toBe('amqp://u:p@127.0.0.1:5672/vh?heartbeat=10');
    expect(withHeartbeat('amqp://127.0.0.1?heartbeat=30&frameMax=0')).toBe('amqp://127.0.0.1?heartbeat=30&frameMax=0');
  });

  it('refuses a URL that does not parse without carrying its password anywhere in the error (new URL() keeps it as `input`)', () => {
    let thrown: unknown;
    try {
      withHeartbeat('amqp://svc:s3cr/et@127.0.0.1:5999');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toEqual(new Error('the RabbitMQ URL must be an amqp:// or amqps:// URL, with a "/", "?", "#", "@" or "%" in its user name or password '
      + 'percent-encoded (encodeURIComponent), not "…@127.0.0.1:5999"'));
    expect(JSON.stringify(thrown, Object.getOwnPropertyNames(thrown))).not.toContain('s3cr');
    expect(Object.keys(thrown as object)).toEqual([]);
  });
});
