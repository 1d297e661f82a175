import { describe, expect, it } from 'vitest';
import { copyAnnouncement, copyLabel } from './copy';

describe('copy outcome', () => {
  it('says the text was copied only when it was', () => {
    expect(copyAnnouncement('copied', 'the API key')).toBe('Copied the API key to the clipboard.');
    expect(copyLabel('copied', 'Copy')).toBe('copied');
  });

  it('says a refused clipboard failed, and what to do instead', () => {
    expect(copyAnnouncement('failed', 'the API key')).toBe('Could not copy the API key: the browser refused the clipboard. Select the text and copy it by hand.');
    expect(copyLabel('failed', 'Copy')).toBe('copy failed — select the text');
  });

  it('says nothing, and shows the button\'s own label, before a copy or once its outcome was said', () => {
    expect(copyAnnouncement('idle', 'the API key')).toBe('');
    expect(copyLabel('idle', 'Copy')).toBe('Copy');
  });
});
