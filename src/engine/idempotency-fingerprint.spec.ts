import { createHash } from 'node:crypto';
import { fingerprintDifference, startFingerprint } from './idempotency-fingerprint';

describe('the fingerprint of an idempotent start', () => {
  const payload = Buffer.from('{"n":1}');

  it('is, without a deadline, the SHA-256 every run stored before the deadline counted: replays of those runs still match', () => {
    const stored = createHash('sha256').update('application/json').update('\0').update(payload).digest('hex');
    expect(startFingerprint('application/json', payload, undefined)).toBe(stored);
    expect(fingerprintDifference(stored, startFingerprint('application/json', payload, undefined))).toBeUndefined();
  });

  it('tells a deadline that differs (or is added or left out) from a payload or content type that does', () => {
    const asked = startFingerprint('application/json', payload, 60);
    expect(asked).toHaveLength(64);
    expect(fingerprintDifference(asked, startFingerprint('application/json', payload, 60))).toBeUndefined();
    for (const other of [30, undefined]) expect(fingerprintDifference(asked, startFingerprint('application/json', payload, other))).toBe('deadline');
    expect(fingerprintDifference(startFingerprint('application/json', payload, undefined), asked)).toBe('deadline');
    expect(fingerprintDifference(asked, startFingerprint('application/json', Buffer.from('{"n":2}'), 60))).toBe('payload');
    expect(fingerprintDifference(asked, startFingerprint('text/plain', payload, 60))).toBe('payload');
  });
});
