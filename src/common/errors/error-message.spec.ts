import { errorMessage } from './error-message';

describe('errorMessage', () => {
  it('turns anything thrown into a bounded reason', () => {
    expect(errorMessage('plain')).toBe('plain');
    expect(errorMessage(new Error('x'.repeat(5000)))).toHaveLength(1001);
  });
});
