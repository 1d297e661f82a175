import { describe, expect, it } from 'vitest';
import { listedZone, offsetLabel, zoneHead, zoneName, zoneOffset } from './time-zone';

describe('offsetLabel', () => {
  it('writes whole-hour offsets east and west of UTC with their sign, hours and minutes', () => {
    expect(offsetLabel(60)).toBe('UTC+01:00');
    expect(offsetLabel(-300)).toBe('UTC-05:00');
    expect(offsetLabel(840)).toBe('UTC+14:00');
  });

  it('keeps the minutes of a half- or quarter-hour offset (India, Newfoundland, Nepal)', () => {
    expect(offsetLabel(330)).toBe('UTC+05:30');
    expect(offsetLabel(-210)).toBe('UTC-03:30');
    expect(offsetLabel(345)).toBe('UTC+05:45');
    expect(offsetLabel(-30)).toBe('UTC-00:30');
  });

  it('says UTC for no offset', () => {
    expect(offsetLabel(0)).toBe('UTC');
  });
});

describe('zoneOffset', () => {
  const winter = new Date('2026-01-15T12:00:00Z');
  const summer = new Date('2026-07-15T12:00:00Z');

  it('reads a zone\'s offset at an instant from Intl, summer time included', () => {
    expect(zoneOffset(winter, 'Europe/Berlin')).toBe(60);
    expect(zoneOffset(summer, 'Europe/Berlin')).toBe(120);
    expect(zoneOffset(winter, 'America/New_York')).toBe(-300);
    expect(zoneOffset(winter, 'UTC')).toBe(0);
  });

  it('keeps the half-hour of a zone such as India\'s or Newfoundland\'s', () => {
    expect(zoneOffset(winter, 'Asia/Kolkata')).toBe(330);
    expect(zoneOffset(winter, 'America/St_Johns')).toBe(-210);
    expect(zoneOffset(winter, 'Asia/Kathmandu')).toBe(345);
  });

  it('is the browser\'s zone by default, as the times on the page are written', () => {
    expect(zoneOffset(winter)).toBe(0 - winter.getTimezoneOffset());
    expect(zoneOffset(summer)).toBe(0 - summer.getTimezoneOffset());
  });
});

describe('listedZone', () => {
  const berlin = (at: Date) => zoneOffset(at, 'Europe/Berlin');

  it('names the one offset of the times listed, through the offset given (a half-hour one here)', () => {
    expect(listedZone(['2026-12-01T10:00:00.000Z', '2026-12-01T11:00:00.000Z'], () => 330)).toBe('UTC+05:30');
    expect(listedZone(['2026-12-01T10:00:00.000Z'], () => -210)).toBe('UTC-03:30');
  });

  it('names both offsets of a page of times across a summer time change, each once', () => {
    expect(listedZone(['2026-10-26T10:00:00Z', '2026-10-24T10:00:00Z', '2026-10-23T10:00:00Z'], berlin)).toBe('UTC+01:00 / UTC+02:00');
  });

  it('names now\'s offset when no time is listed, or none is valid', () => {
    const now = new Date('2026-07-01T00:00:00Z');
    expect(listedZone([], berlin, now)).toBe('UTC+02:00');
    expect(listedZone([null, undefined, '', 'not a time'], berlin, now)).toBe('UTC+02:00');
  });
});

describe('zoneHead', () => {
  it('puts the offset in the column\'s header, and the zone\'s name in its tooltip', () => {
    expect(zoneHead('Created', ['2026-12-01T10:00:00.000Z'], () => 330, 'Asia/Kolkata')).toEqual({
      text: 'Created (UTC+05:30)', title: 'Local time: Asia/Kolkata, UTC+05:30. Hover over a time to see it in UTC.',
    });
  });

  it('says UTC once for a browser set to UTC', () => {
    expect(zoneHead('At', [], () => 0, 'UTC')).toEqual({ text: 'At (UTC)', title: 'Local time: UTC. Hover over a time to see it in UTC.' });
  });

  it('names the browser\'s zone by default', () => {
    expect(zoneName()).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(zoneName('Europe/Berlin')).toBe('Europe/Berlin');
  });
});
