import { AppError, problemsUnder, rootedAt } from './app-error';
import { ErrorCode } from './error-code';

describe('problems rooted at a part of the request', () => {
  it('prefixes each path with the part, and names the part itself for a problem about all of it', () => {
    expect(problemsUnder('body', [{ path: 'expiresAt', message: 'must be in the future' }, { path: '', message: 'is empty' }]))
      .toEqual([{ path: 'body.expiresAt', message: 'must be in the future' }, { path: 'body', message: 'is empty' }]);
  });

  it('keeps the refusal as it was but for its paths, and leaves other errors alone', () => {
    const refusal = new AppError(ErrorCode.INVALID_REQUEST, 'The key name is too long', [{ path: 'name', message: 'too long', line: 1 }], { max: 100 });
    expect(rootedAt('body', refusal)).toEqual(expect.objectContaining({
      code: ErrorCode.INVALID_REQUEST, message: 'The key name is too long', problems: [{ path: 'body.name', message: 'too long', line: 1 }], details: { max: 100 },
    }));
    const bare = new AppError(ErrorCode.NOT_FOUND, 'No key k');
    expect(rootedAt('body', bare)).toBe(bare);
    const other = new Error('boom');
    expect(rootedAt('body', other)).toBe(other);
  });
});
