import { TimeoutError } from '@baton/worker';
import { KafkaJSAggregateError, KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
import { isPublishOutage } from './publish-outage';

/** kafkajs's protocol errors as its decoder builds them from a broker's error code. */
const protocolError = (type: string, retriable: boolean) => new KafkaJSProtocolError(Object.assign(new Error(type), { type, retriable, code: 0 }));

describe('isPublishOutage', () => {
  it('takes an unreachable, slow or shifting broker for an outage', () => {
    expect(isPublishOutage(new KafkaJSConnectionError('Connection error: connect ECONNREFUSED'))).toBe(true);
    expect(isPublishOutage(new TimeoutError('Kafka send: no answer within 30000 ms'))).toBe(true);
    expect(isPublishOutage(protocolError('LEADER_NOT_AVAILABLE', true))).toBe(true);
    const closed = Object.assign(new Error('Closed connection'), { name: 'KafkaJSConnectionClosedError', retriable: true });
    expect(isPublishOutage(new KafkaJSNumberOfRetriesExceeded(closed, { retryCount: 5, retryTime: 1000 }))).toBe(true);
  });

  it('takes what the broker answered about the messages for a possible refusal', () => {
    expect(isPublishOutage(protocolError('TOPIC_AUTHORIZATION_FAILED', false))).toBe(false);
    // As kafkajs's retrier gives up on it: wrapped, the broker's answer as its cause.
    const tooLarge = protocolError('MESSAGE_TOO_LARGE', false);
    expect(isPublishOutage(Object.assign(new KafkaJSNonRetriableError(tooLarge), { cause: tooLarge }))).toBe(false);
    expect(isPublishOutage(Object.assign(new Error('Channel closed by server: 406 (PRECONDITION-FAILED)'), { code: 406 }))).toBe(false);
    expect(isPublishOutage(new KafkaJSAggregateError('topics', [protocolError('TOPIC_AUTHORIZATION_FAILED', false)]))).toBe(false);
  });

  it('takes anything it does not know for a refusal as an outage: given up on, it would be lost', () => {
    expect(isPublishOutage(new Error('broker down'))).toBe(true);
    expect(isPublishOutage(new Error('message nacked'))).toBe(true);
    expect(isPublishOutage(new Error('Kafka sender closed'))).toBe(true);
    // A controller moving while a topic is created: kafkajs gives up at once on an aggregate.
    expect(isPublishOutage(new KafkaJSAggregateError('topics', [protocolError('NOT_CONTROLLER', true), protocolError('TOPIC_AUTHORIZATION_FAILED', false)]))).toBe(true);
    expect(isPublishOutage(new KafkaJSAggregateError('topics', [protocolError('REQUEST_TIMED_OUT', false)]))).toBe(true);
  });
});
