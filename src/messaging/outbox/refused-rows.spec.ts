import { KafkaJSConnectionError, KafkaJSProtocolError } from 'kafkajs';
import type { OutboxRecord } from './outbox.service';
import { isolateRefusals } from './refused-rows';

const row = (id: number, topic: string, key: string | null = null): OutboxRecord =>
  ({ id: String(id), messageId: `m${id}`, topic, key, headers: {}, body: Buffer.from(String(id)), delayed: false, expiresAt: null });
const ids = (rows: OutboxRecord[]) => rows.map((r) => r.id);
/** kafkajs's error for a broker's answer refusing the messages. */
const refusal = (type: string) => new KafkaJSProtocolError(Object.assign(new Error(type), { type, retriable: false, code: 0 }));

/** A broker that refuses what `refuses` says, remembering each publish's ids. */
function broker(refuses: (r: OutboxRecord) => Error | undefined) {
  const calls: string[][] = [];
  const publish = async (rows: OutboxRecord[]) => {
    calls.push(ids(rows));
    const error = rows.map(refuses).find((e) => e !== undefined);
    if (error) throw error;
  };
  return { calls, publish };
}

describe('isolateRefusals', () => {
  it('publishes every other topic and holds only the refused topic\'s rows against them', async () => {
    const rows = [row(1, 'denied'), row(2, 'status'), row(3, 'status'), row(4, 'denied')];
    const { publish } = broker((r) => (r.topic === 'denied' ? refusal('TOPIC_AUTHORIZATION_FAILED') : undefined));
    const found = await isolateRefusals(rows, refusal('TOPIC_AUTHORIZATION_FAILED'), publish);
    expect(ids(found.sent)).toEqual(['2', '3']);
    expect(found.refused.map((r) => r.record.id)).toEqual(['1', '4']);
    expect(found.outage).toBeUndefined();
  });

  it('finds the one row of a topic the broker refuses, and keeps its key\'s later rows behind it', async () => {
    const rows = [row(1, 't', 'a'), row(2, 't', 'b'), row(3, 't', 'a'), row(4, 't', 'b')];
    const { publish } = broker((r) => (r.id === '1' ? refusal('MESSAGE_TOO_LARGE') : undefined));
    const found = await isolateRefusals(rows, refusal('MESSAGE_TOO_LARGE'), publish);
    expect(ids(found.sent)).toEqual(['2', '4']);
    expect(found.refused.map((r) => r.record.id)).toEqual(['1']);
    expect(found.held.map((h) => [h.record.id, h.behind.id])).toEqual([['3', '1']]);
  });

  it('holds nothing against a row when nothing went out: a broker refusing everything may be misconfigured for a moment', async () => {
    const rows = [row(1, 'a'), row(2, 'b'), row(3, 'b'), row(4, 'b'), row(5, 'b'), row(6, 'b')];
    const denied = refusal('TOPIC_AUTHORIZATION_FAILED');
    const { calls, publish } = broker(() => denied);
    const found = await isolateRefusals(rows, denied, publish);
    expect(found).toMatchObject({ sent: [], refused: [], held: [], outage: { error: denied } });
    expect(ids(found.untried)).toEqual(ids(rows));
    // Each topic, then three rows alone: not every row of a batch during an outage.
    expect(calls).toEqual([['1'], ['2', '3', '4', '5', '6'], ['2'], ['3'], ['4']]);
  });

  it('stops at an outage and gives back what did not go out', async () => {
    const rows = [row(1, 'a'), row(2, 'b'), row(3, 'c')];
    const { publish } = broker((r) => (r.topic === 'a' ? undefined : r.topic === 'b' ? new KafkaJSConnectionError('gone') : refusal('MESSAGE_TOO_LARGE')));
    const found = await isolateRefusals(rows, refusal('MESSAGE_TOO_LARGE'), publish);
    expect(ids(found.sent)).toEqual(['1']);
    expect(ids(found.untried)).toEqual(['2', '3']);
    expect(found.outage?.error).toBeInstanceOf(KafkaJSConnectionError);
  });
});

describe('isolateRefusals, on an error it does not know for a refusal', () => {
  it('tries nothing more and gives every row back: a nack, a closed channel or a shutting sender must not park a row', async () => {
    const rows = [row(1, 'a'), row(2, 'b')];
    const { calls, publish } = broker(() => new Error('message nacked'));
    const found = await isolateRefusals(rows, refusal('MESSAGE_TOO_LARGE'), publish);
    expect(found).toMatchObject({ sent: [], refused: [], held: [], outage: { error: new Error('message nacked') } });
    expect(ids(found.untried)).toEqual(['1', '2']);
    expect(calls).toEqual([['1']]);
  });
});
