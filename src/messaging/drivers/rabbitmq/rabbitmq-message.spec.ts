import type { ConsumeMessage } from 'amqplib';
import { publishOptions, redeliveryOptions, toIncoming } from './rabbitmq-message';

function consumed(headers: Record<string, unknown>, messageId?: string): ConsumeMessage {
  return {
    content: Buffer.from('body'),
    fields: { deliveryTag: 7, redelivered: false, exchange: 'baton', routingKey: 't', consumerTag: 'ctag' },
    properties: {
      headers, messageId, contentType: undefined, contentEncoding: undefined, deliveryMode: 2, priority: undefined,
      correlationId: undefined, replyTo: undefined, expiration: undefined, timestamp: 1, type: undefined, userId: undefined,
      appId: undefined, clusterId: undefined,
    },
  };
}

describe('rabbitmq messages', () => {
  it('carries the key in a header handlers do not see, and persists the message', () => {
    const options = publishOptions({ topic: 't', key: 'flow-1', headers: { 'x-message-id': 'm1' }, body: Buffer.from('x') });
    expect(options).toMatchObject({ persistent: true, messageId: 'm1', headers: { 'x-message-id': 'm1', 'x-baton-key': 'flow-1' } });
    const incoming = toIncoming(consumed(options.headers as Record<string, unknown>, 'm1'), 't');
    expect(incoming).toEqual({
      id: 'm1', topic: 't', key: 'flow-1', headers: { 'x-message-id': 'm1' }, body: Buffer.from('body'), deliveryAttempt: 1,
    });
  });

  it('gives a message without x-message-id a generated message id', () => {
    expect(publishOptions({ topic: 't', body: Buffer.alloc(0) }).messageId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps an x-message-id too long for an AMQP message-id in its header only', () => {
    const long = 'é'.repeat(128); // 256 bytes
    const options = publishOptions({ topic: 't', headers: { 'x-message-id': long }, body: Buffer.alloc(0) });
    expect(options.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(toIncoming(consumed(options.headers as Record<string, unknown>, options.messageId), 't').id).toBe(long);
    expect(publishOptions({ topic: 't', headers: { 'x-message-id': 'é'.repeat(127) }, body: Buffer.alloc(0) }).messageId).toBe('é'.repeat(127));
  });

  it('counts deliveries through the failures header of a republished message', () => {
    const first = consumed({ 'x-message-id': 'm1' }, 'm1');
    const again = redeliveryOptions(first, 1);
    expect(again).toMatchObject({ persistent: true, messageId: 'm1' });
    const second = toIncoming(consumed(again.headers as Record<string, unknown>, 'm1'), 't');
    expect(second.deliveryAttempt).toBe(2);
    expect(second.headers).toEqual({ 'x-message-id': 'm1' });
  });

  it('counts a failures header that is no count as no failures, and republishes a whole number', () => {
    for (const forged of ['x', 'NaN', -1_000_000_000, -1, 1.5, Infinity, 2 ** 60, '1e3', '', { a: 1 }, true]) {
      const incoming = toIncoming(consumed({ 'x-baton-failures': forged }, 'm1'), 't');
      expect(incoming.deliveryAttempt).toBe(1);
      expect(redeliveryOptions(consumed({ 'x-baton-failures': forged }, 'm1'), incoming.deliveryAttempt).headers)
        .toMatchObject({ 'x-baton-failures': 1 });
    }
    expect(toIncoming(consumed({ 'x-baton-failures': 3 }), 't').deliveryAttempt).toBe(4);
    expect(toIncoming(consumed({ 'x-baton-failures': '3' }), 't').deliveryAttempt).toBe(4);
  });

  it('stringifies foreign header values', () => {
    const incoming = toIncoming(consumed({ n: 5, b: Buffer.from('buf'), o: { a: 1 } }), 't');
    expect(incoming.headers).toEqual({ n: '5', b: 'buf', o: '{"a":1}' });
    expect(incoming.id).toBe('t:ctag:7');
  });
});
