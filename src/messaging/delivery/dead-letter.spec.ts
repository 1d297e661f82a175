import { deadLetterOf } from './dead-letter';

describe('deadLetterOf', () => {
  it('keeps key, body and headers and adds reason, origin and attempts', () => {
    const body = Buffer.from([0, 1, 2]);
    const letter = deadLetterOf({
      id: 'orders:1:7', topic: 'orders', key: 'flow-1', headers: { 'x-correlation-id': 'c1' }, body, deliveryAttempt: 3,
    }, 'boom');
    expect(letter).toEqual({
      topic: 'orders.DLQ',
      key: 'flow-1',
      body,
      headers: {
        'x-correlation-id': 'c1',
        'x-message-id': 'orders:1:7',
        'x-dead-letter-reason': 'boom',
        'x-original-topic': 'orders',
        'x-delivery-attempts': '3',
      },
    });
  });
});
