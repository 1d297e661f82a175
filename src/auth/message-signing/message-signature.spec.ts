import { createHmac } from 'node:crypto';
import { checkSignature, headerOf, signatureOf } from './message-signature';

describe('message signatures', () => {
  const secrets = new Map([['tenant-service', Buffer.from('t'.repeat(40))], ['realm-service', Buffer.from('r'.repeat(40))]]);
  const body = Buffer.from('orchName: tenantCreation\nas: initiator\n');
  // Computed independently of signatureOf, as an initiator in any language would.
  const signed = `sha256=${createHmac('sha256', 't'.repeat(40)).update(body).digest('hex')}`;

  it('signs the exact body bytes with HMAC-SHA256', () => {
    expect(signatureOf('t'.repeat(40), body)).toBe(signed);
  });

  it("accepts the signing service's own signature, upper-case hex too", () => {
    expect(checkSignature('tenant-service', signed, body, secrets)).toEqual({ ok: true, service: 'tenant-service' });
    expect(checkSignature('tenant-service', signed.toUpperCase().replace('SHA256', 'sha256'), body, secrets).ok).toBe(true);
  });

  it('refuses a changed body, even by one byte at the end', () => {
    const check = checkSignature('tenant-service', signed, Buffer.concat([body, Buffer.from(' ')]), secrets);
    expect(check).toEqual({ ok: false, reason: expect.stringMatching(/does not match the body/) });
  });

  it("refuses another service's name on a signature made with a different secret", () => {
    expect(checkSignature('realm-service', signed, body, secrets).ok).toBe(false);
  });

  it('refuses an unknown service, a missing service, and a malformed signature', () => {
    expect(checkSignature('attacker', signed, body, secrets)).toEqual({ ok: false, reason: 'no signing secret for service attacker' });
    expect(checkSignature(undefined, signed, body, secrets)).toEqual({ ok: false, reason: expect.stringMatching(/x-baton-service/) });
    for (const bad of ['', signed.slice(0, -2), `sha1=${'0'.repeat(64)}`, `${signed}00`, signed.slice(7)]) {
      expect(checkSignature('tenant-service', bad, body, secrets)).toEqual({ ok: false, reason: expect.stringMatching(/sha256=<64 hex digits>/) });
    }
  });

  it('reads headers whatever their case', () => {
    expect(headerOf({ 'X-Baton-Signature': 'v' }, 'x-baton-signature')).toBe('v');
    expect(headerOf({ 'x-baton-signature': 'w' }, 'x-baton-signature')).toBe('w');
    expect(headerOf({}, 'x-baton-signature')).toBeUndefined();
  });
});
