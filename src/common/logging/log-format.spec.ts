import { chooseLogFormat } from './log-format';

describe('chooseLogFormat', () => {
  it('writes pretty lines to a terminal and JSON to anything else', () => {
    expect(chooseLogFormat(undefined, true)).toBe('pretty');
    expect(chooseLogFormat(undefined, false)).toBe('json');
    // A stream that is no TTY at all (a pipe, a file) leaves isTTY undefined.
    expect(chooseLogFormat(undefined, undefined)).toBe('json');
  });

  it('lets LOG_FORMAT override the terminal check both ways', () => {
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });
});
