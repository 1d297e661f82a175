import { replyInboxKey } from './reply-inbox-key';

describe('replyInboxKey', () => {
  const body = Buffer.from('{"flowId":"f","stepName":"s","action":"DO","metadata":{"status":"SUCCESS"}}');

  it('is the broker position when there is one, whatever ids the publisher set', () => {
    const a = { topic: 'reply', body, position: 'reply:2:17', id: 'worker-set', headers: { 'x-message-id': 'worker-set' } };
    expect(replyInboxKey(a)).toEqual({ consumer: 'reply', messageId: 'reply:2:17' });
    expect(replyInboxKey({ ...a, position: 'reply:2:18' })).not.toEqual(replyInboxKey(a));
  });

  it('is the content without a position (RabbitMQ): a redelivery matches, another reply does not', () => {
    const key = replyInboxKey({ topic: 'reply', body });
    expect(key.messageId).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(replyInboxKey({ topic: 'reply', body: Buffer.from(body) })).toEqual(key);
    expect(replyInboxKey({ topic: 'reply', body: Buffer.from(body.toString().replace('SUCCESS', 'FAILED')) })).not.toEqual(key);
  });
});
