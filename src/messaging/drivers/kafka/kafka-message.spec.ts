import type { KafkaMessage } from 'kafkajs';
import { toIncoming, toKafkaMessage } from './kafka-message';

const raw = (overrides: Partial<KafkaMessage>) => ({
  key: null, value: Buffer.from('body'), timestamp: '0', attributes: 0, offset: '42', headers: {}, ...overrides,
}) as KafkaMessage;

describe('kafka messages', () => {
  it('uses x-message-id as the id when present, and always gives the position a publisher cannot set', () => {
    const incoming = toIncoming('t', 1, raw({ key: Buffer.from('k'), headers: { 'x-message-id': Buffer.from('abc'), h: Buffer.from('v') } }), 2);
    expect(incoming).toEqual({
      id: 'abc', topic: 't', key: 'k', headers: { 'x-message-id': 'abc', h: 'v' }, body: Buffer.from('body'), deliveryAttempt: 2,
      position: 't:1:42',
    });
  });

  it('falls back to topic:partition:offset, and takes the first of repeated headers', () => {
    const incoming = toIncoming('t', 1, raw({ headers: { h: [Buffer.from('a'), Buffer.from('b')] }, value: null }), 1);
    expect(incoming.id).toBe('t:1:42');
    expect(incoming.key).toBeUndefined();
    expect(incoming.headers).toEqual({ h: 'a' });
    expect(incoming.body).toEqual(Buffer.alloc(0));
  });

  it('maps an outgoing message to a keyed kafkajs message', () => {
    expect(toKafkaMessage({ topic: 't', key: 'k', headers: { a: 'b' }, body: Buffer.from('x') }))
      .toEqual({ key: 'k', value: Buffer.from('x'), headers: { a: 'b' } });
  });
});
