import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { TimeoutError } from '../with-timeout';
import { isKafkaRefusal } from './kafka-refusal';

const protocolError = (type: string, retriable: boolean) => new KafkaJSProtocolError(Object.assign(new Error(type), { type, retriable, code: 0 }));
/** As kafkajs's retrier wraps an error it gives up on: the answer as `cause`, which kafkajs's types leave out. */
const wrapped = <E extends Error>(error: E, cause: Error) => Object.assign(error, { cause });

describe('isKafkaRefusal', () => {
  it("takes the broker's refusal of the messages, as kafkajs's sendBatch nests it, for one", () => {
    const answer = protocolError('MESSAGE_TOO_LARGE', false);
    expect(isKafkaRefusal(wrapped(new KafkaJSNonRetriableError(answer), answer))).toBe(true);
    expect(isKafkaRefusal(protocolError('TOPIC_AUTHORIZATION_FAILED', false))).toBe(true);
  });

  it('takes no outage for one: retries given up (non-retriable as well), a retriable answer, a connection, a timeout', () => {
    const down = new KafkaJSConnectionError('Connection error: connect ECONNREFUSED');
    const moving = protocolError('NOT_LEADER_FOR_PARTITION', true);
    expect(isKafkaRefusal(wrapped(new KafkaJSNumberOfRetriesExceeded(down, { retryCount: 5, retryTime: 1000 }), down))).toBe(false);
    expect(isKafkaRefusal(wrapped(new KafkaJSNumberOfRetriesExceeded(moving, { retryCount: 5, retryTime: 1000 }), moving))).toBe(false);
    expect(isKafkaRefusal(down)).toBe(false);
    expect(isKafkaRefusal(new TimeoutError('Kafka send: no answer within 30000 ms'))).toBe(false);
    expect(isKafkaRefusal(undefined)).toBe(false);
  });

  it('stops at a cycle of causes', () => {
    const looped: { type?: string; cause?: unknown } = {};
    looped.cause = looped;
    expect(isKafkaRefusal(looped)).toBe(false);
  });
});
