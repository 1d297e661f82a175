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

  it('counts deliveries through the failures header of a republished message', () => {
    const first = consumed({ 'x-message-id': 'm1' }, 'm1');
    const again = redeliveryOptions(first, 1);
    expect(again).toMatchObject({ persistent: true, messageId: 'm1' });
    const second = toIncoming(consumed(again.headers as Record<string, unknown>, 'm1'), 't');
    expect(second.deliveryAttempt).toBe(2);
    expect(second.headers).toEqual({ 'x-message-id': 'm1' });
  });

  it('stringifies foreign header values', () => {
    const incoming = toIncoming(consumed({ n: 5, b: Buffer.from('buf'), o: { a: 1 } }), 't');
    expect(incoming.headers).toEqual({ n: '5', b: 'buf', o: '{"a":1}' });
    expect(incoming.id).toBe('t:ctag:7');
  });
});
