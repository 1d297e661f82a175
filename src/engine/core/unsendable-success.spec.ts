import { unsendableSuccessAsFailure } from './unsendable-success';

describe('unsendableSuccessAsFailure', () => {
  it('turns a success into a final failure without its output, saying why', () => {
    const result = { flowId: 'f', status: 'SUCCESS' as const, output: { big: 'x' } };
    expect(unsendableSuccessAsFailure(result, 'A message would be 9 bytes')).toEqual({
      flowId: 'f', status: 'FAILED', output: undefined, nonRetryable: true, error: 'OUTPUT_TOO_LARGE: A message would be 9 bytes',
    });
  });

  it('leaves a failure to its refusal: nothing it carries made the message big', () => {
    expect(unsendableSuccessAsFailure({ status: 'FAILED', error: 'no' }, 'too big')).toBeNull();
  });
});
