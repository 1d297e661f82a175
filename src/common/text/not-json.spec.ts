import { notJson } from './not-json';

const errorOf = (text: string): unknown => {
  try {
    JSON.parse(text);
  } catch (e) {
    return e;
  }
  throw new Error('parsed');
};

describe('notJson', () => {
  it('keeps the position of the error, never the text around it', () => {
    expect(notJson(errorOf('{"password":"hunter2",}'))).toBe('not JSON (at position 22)');
    expect(notJson(errorOf('{"user":"svc","password": hunter2secret}'))).toBe('not JSON');
  });
});
