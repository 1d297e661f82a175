import { withHeartbeat } from './amqp-heartbeat';

describe('withHeartbeat', () => {
  it('sets a 10 s heartbeat, and keeps one the URL sets itself', () => {
    expect(withHeartbeat('amqp://u:p@127.0.0.1:5672/vh')).toBe('amqp://u:p@127.0.0.1:5672/vh?heartbeat=10');
    expect(withHeartbeat('amqp://127.0.0.1?heartbeat=30&frameMax=0')).toBe('amqp://127.0.0.1?heartbeat=30&frameMax=0');
  });
});
