import { createHash } from 'node:crypto';
import { payloadFingerprint, replayRefusal } from './idempotency-fingerprint';
import { HTTP_START_FIELDS } from './start-request';

describe('a replay of an idempotent start', () => {
  const payload = Buffer.from('{"n":1}');
  const hash = payloadFingerprint('application/json', payload);
  const run = (deadlineSeconds: number | null) => ({ flowId: 'f', payloadHash: hash, deadlineSeconds });

  it("is judged on the plain payload hash every version stored: a start redelivered across an upgrade matches its run's", () => {
    expect(hash).toBe(createHash('sha256').update('application/json').update('\0').update(payload).digest('hex'));
    expect(replayRefusal('k', run(60), hash, 60, HTTP_START_FIELDS)).toBeUndefined();
  });

  it('names no deadline and is answered whatever deadline its run has, the template default included', () => {
    for (const deadline of [60, null]) expect(replayRefusal('k', run(deadline), hash, undefined, HTTP_START_FIELDS)).toBeUndefined();
  });

  it("names a deadline only as its run's, with a message naming neither channel's field (the start topic dead-letters it)", () => {
    expect(replayRefusal('k', run(60), hash, 30, HTTP_START_FIELDS)).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', details: { flowId: 'f' },
      message: 'Idempotency key k was used for run f, started with a deadline of 60 seconds: a replay names that deadline or none, not 30 seconds',
      problems: [{ path: 'headers.x-deadline-seconds', message: 'must be 60, the deadline run f was started with, or left out' }] });
    expect(replayRefusal('k', run(null), hash, 60, HTTP_START_FIELDS)).toMatchObject({
      message: 'Idempotency key k was used for run f, started without a deadline: a replay names none, not 60 seconds',
      problems: [{ path: 'headers.x-deadline-seconds', message: 'must be left out: run f was started without a deadline' }] });
  });

  it("points each problem at the start's own field: the start message's, for a start from the topic", () => {
    const fields = { idempotencyKey: 'idempotencyKey', deadlineSeconds: 'deadlineSeconds', payload: 'payload' };
    expect(replayRefusal('k', run(60), hash, 30, fields)?.problems)
      .toEqual([{ path: 'deadlineSeconds', message: 'must be 60, the deadline run f was started with, or left out' }]);
    expect(replayRefusal('k', run(60), payloadFingerprint('text/plain', payload), 60, fields)?.problems?.map((p) => p.path)).toEqual(['idempotencyKey']);
  });

  it('with another payload or content type is refused for that, whatever its deadline', () => {
    for (const other of [payloadFingerprint('application/json', Buffer.from('{"n":2}')), payloadFingerprint('text/plain', payload)]) {
      expect(replayRefusal('k', run(60), other, 60, HTTP_START_FIELDS)?.problems).toEqual([{ path: 'headers.idempotency-key', message: 'was used for run f with a different payload or content type' }]);
    }
  });
});
