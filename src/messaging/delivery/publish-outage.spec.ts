import { TimeoutError } from '@baton/worker';
import { KafkaJSConnectionError, KafkaJSNonRetriableError, KafkaJSNumberOfRetriesExceeded, KafkaJSProtocolError } from 'kafkajs';
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
    expect(isPublishOutage(new KafkaJSNonRetriableError(protocolError('MESSAGE_TOO_LARGE', false)))).toBe(false);
    expect(isPublishOutage(Object.assign(new Error('Channel closed by server: 406 (PRECONDITION-FAILED)'), { code: 406 }))).toBe(false);
    expect(isPublishOutage(new Error('broker down'))).toBe(false);
  });
});
