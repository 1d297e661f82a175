import { KafkaJSConnectionError, KafkaJSProtocolError } from 'kafkajs';
import { createHash } from 'node:crypto';
import type { OutgoingMessage } from '../message';
import { CUT_BODY_BYTES, deadLetterOf, publishDeadLetter } from './dead-letter';

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

describe('publishDeadLetter', () => {
  const big = { id: 'm1', topic: 'replies', key: 'flow-1', headers: { 'x-message-id': 'm1' }, body: Buffer.alloc(900_000, 7), deliveryAttempt: 1 };
  /** A broker that refuses any letter over `limit` bytes, as Kafka does over message.max.bytes. */
  const limited = (limit: number) => {
    const sent: OutgoingMessage[] = [];
    const publish = async (letter: OutgoingMessage) => {
      const bytes = letter.body.length + Object.entries(letter.headers ?? {}).reduce((n, [k, v]) => n + k.length + v.length, 0);
      if (bytes > limit) throw new KafkaJSProtocolError(Object.assign(new Error('MESSAGE_TOO_LARGE'), { type: 'MESSAGE_TOO_LARGE', retriable: false, code: 10 }));
      sent.push(letter);
    };
    return { sent, publish };
  };

  it('bounds the reason it carries', () => {
    expect(deadLetterOf(big, 'x'.repeat(50_000)).headers!['x-dead-letter-reason']).toHaveLength(1000);
  });

  it('sends the letter cut, with the whole body\'s size and hash, when the broker refuses it whole', async () => {
    const { sent, publish } = limited(900_100);
    const outcome = await publishDeadLetter(big, 'x'.repeat(5000), publish);
    expect(outcome.sent).toBe('cut');
    expect(sent).toHaveLength(1);
    expect(sent[0].body).toEqual(big.body.subarray(0, CUT_BODY_BYTES));
    expect(sent[0].headers).toMatchObject({
      'x-message-id': 'm1', 'x-original-topic': 'replies',
      'x-dead-letter-body-cut': `${CUT_BODY_BYTES} of 900000 bytes`,
      'x-dead-letter-body-sha256': createHash('sha256').update(big.body).digest('hex'),
    });
  });

  it('gives up on a letter the broker refuses even cut, and throws an outage for the caller to wait out', async () => {
    await expect(publishDeadLetter(big, 'why', limited(10).publish)).resolves.toMatchObject({ sent: 'none' });
    await expect(publishDeadLetter(big, 'why', async () => {
      throw new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    })).rejects.toBeInstanceOf(KafkaJSConnectionError);
  });

  it('cuts the letter after one refusal of it whole: each broker\'s sender makes a refusal the refused message\'s own', async () => {
    const tried: OutgoingMessage[] = [];
    const outcome = await publishDeadLetter(big, 'why', async (letter) => {
      tried.push(letter);
      if (letter.body.length === big.body.length) throw Object.assign(new Error('channel closed'), { cause: Object.assign(new Error('ACCESS_REFUSED'), { code: 403 }) });
    });
    expect(outcome.sent).toBe('cut');
    expect(tried.map((l) => l.body.length)).toEqual([big.body.length, CUT_BODY_BYTES]);
  });
});
