import { createHmac } from 'node:crypto';
import { checkSignature, headerOf, signatureOf } from './message-signature';

describe('message signatures', () => {
  const secrets = new Map([['tenant-service', Buffer.from('t'.repeat(40))], ['realm-service', Buffer.from('r'.repeat(40))]]);
  const body = Buffer.from('orchName: tenantCreation\nas: initiator\n');
  const ts = '1796212800';
  // Computed independently of signatureOf, as an initiator in any language would.
  const signed = `sha256=${createHmac('sha256', 't'.repeat(40)).update(`${ts}.${body.toString()}`).digest('hex')}`;

  it('signs the timestamp, a dot and the exact body bytes with HMAC-SHA256', () => {
    expect(signatureOf('t'.repeat(40), ts, body)).toBe(signed);
    expect(signatureOf('t'.repeat(40), Number(ts), body)).toBe(signed);
  });

  it("accepts the signing service's own signature, upper-case hex too, and returns the signing time", () => {
    expect(checkSignature('tenant-service', signed, ts, body, secrets)).toEqual({ ok: true, service: 'tenant-service', signedAt: 1796212800 });
    expect(checkSignature('tenant-service', signed.toUpperCase().replace('SHA256', 'sha256'), ts, body, secrets).ok).toBe(true);
  });

  it('refuses a changed body, even by one byte at the end', () => {
    const check = checkSignature('tenant-service', signed, ts, Buffer.concat([body, Buffer.from(' ')]), secrets);
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/does not match the timestamp and body/) });
  });

  it('refuses a signature moved to a fresher timestamp, so a replay cannot be made to look new', () => {
    expect(checkSignature('tenant-service', signed, String(Number(ts) + 600), body, secrets).ok).toBe(false);
  });

  it('refuses a signature without a timestamp, or with one that is not whole Unix seconds', () => {
    for (const bad of [undefined, '', '17962128.5', '-1', '1e9', '1'.repeat(13)]) {
      expect(checkSignature('tenant-service', signed, bad, body, secrets)).toEqual({ ok: false, reason: expect.stringMatching(/x-baton-signature-timestamp/) });
    }
  });

  it("refuses another service's name on a signature made with a different secret", () => {
    expect(checkSignature('realm-service', signed, ts, body, secrets).ok).toBe(false);
  });

  it('refuses an unknown service, a missing service, and a malformed signature', () => {
    expect(checkSignature('attacker', signed, ts, body, secrets)).toEqual({ ok: false, reason: 'no signing secret for service attacker' });
    // The name is the sender's text: a whole key there is named by its prefix.
    expect(checkSignature(`bk_abcd1234_${'K'.repeat(43)}`, signed, ts, body, secrets))
      .toEqual({ ok: false, reason: 'no signing secret for service bk_abcd1234_…' });
    expect(checkSignature(undefined, signed, ts, body, secrets)).toEqual({ ok: false, reason: expect.stringMatching(/x-baton-service/) });
    for (const bad of ['', signed.slice(0, -2), `sha1=${'0'.repeat(64)}`, `${signed}00`, signed.slice(7)]) {
      expect(checkSignature('tenant-service', bad, ts, body, secrets)).toEqual({ ok: false, reason: expect.stringMatching(/sha256=<64 hex digits>/) });
    }
  });

  it('reads headers whatever their case', () => {
    expect(headerOf({ 'X-Baton-Signature': 'v' }, 'x-baton-signature')).toBe('v');
    expect(headerOf({ 'x-baton-signature': 'w' }, 'x-baton-signature')).toBe('w');
    expect(headerOf({}, 'x-baton-signature')).toBeUndefined();
  });
});
