import { isSaneCorrelationId, messageCorrelationId } from './correlation';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

describe('isSaneCorrelationId', () => {
  it('takes an id of up to 128 safe characters', () => {
    expect(isSaneCorrelationId('3f2b1c7e-0d4a-4e8b-9c1d-2a6f5e4d3c2b')).toBe(true);
    expect(isSaneCorrelationId('order:42.retry_1')).toBe(true);
  });

  /** A credential pasted into the wrong header would be echoed, logged, stored on the run and sent to workers. */
  it('refuses one that holds a whole API key or a JWT', () => {
    expect(isSaneCorrelationId(`bk_abcd1234_${'K'.repeat(43)}`)).toBe(false);
    expect(isSaneCorrelationId(JWT)).toBe(false);
    expect(isSaneCorrelationId(`trace:${JWT}`)).toBe(false);
    expect(messageCorrelationId({ 'X-Correlation-Id': JWT })).toBeUndefined();
  });

  it('refuses a missing, empty, too long or unsafe one', () => {
    for (const bad of [undefined, '', 'x'.repeat(129), 'a b', 'a\nb']) expect(isSaneCorrelationId(bad)).toBe(false);
  });
});
