import { unsendableFirstCommands, unsendableResultFallback, unsendableRunEnd, unsendableSuccessUnwinds } from './unsendable-result';

describe('unsendableResultFallback', () => {
  it('keeps a success, its effect being real, without its output, saying why', () => {
    const result = { flowId: 'f', status: 'SUCCESS' as const, output: { big: 'x' } };
    expect(unsendableResultFallback(result, 'A message would be 9 bytes')).toEqual({
      flowId: 'f', status: 'SUCCESS', output: undefined, error: 'OUTPUT_TOO_LARGE: A message would be 9 bytes',
    });
  });

  it('makes a retryable failure final, keeping its error: its retry is what cannot be sent', () => {
    expect(unsendableResultFallback({ status: 'FAILED', error: 'no' }, 'too big')).toEqual({
      status: 'FAILED', nonRetryable: true, error: 'OUTPUT_TOO_LARGE: no, and its retry cannot be sent: too big',
    });
  });

  it('has nothing to give up for a final failure: its undos are what cannot be sent', () => {
    expect(unsendableResultFallback({ status: 'FAILED', error: 'no', nonRetryable: true }, 'too big')).toBeNull();
  });
});

describe('unsendableSuccessUnwinds', () => {
  it('unwinds a run that would go on, or waits for an operator, and leaves an unwinding one as it is', () => {
    expect(unsendableSuccessUnwinds('RUNNING')).toBe('COMPENSATING');
    expect(unsendableSuccessUnwinds('PAUSED')).toBe('COMPENSATING');
    expect(unsendableSuccessUnwinds('COMPENSATING')).toBeNull();
  });
});

describe('unsendableRunEnd', () => {
  it('ends a run that would send undos or steps with its effects in place', () => {
    expect(unsendableRunEnd('RUNNING')).toBe('COMPENSATION_FAILED');
    expect(unsendableRunEnd('COMPENSATING')).toBe('COMPENSATION_FAILED');
    expect(unsendableRunEnd('UNDOING')).toBe('UNDO_FAILED');
  });

  it('leaves a run that sends nothing as it is', () => {
    expect(unsendableRunEnd('PAUSED')).toBeNull();
  });
});

describe('unsendableFirstCommands', () => {
  const sent = [{ stepName: 'a', action: 'DO', attempt: 1, status: 'SUCCEEDED' }];

  it('fails a run resumed that never sent anything (started PAUSED), as a refused start fails', () => {
    expect(unsendableFirstCommands('RUNNING', [])).toBe('FAILED');
  });

  it('leaves the refusal standing for a run that sent anything, or another action', () => {
    expect(unsendableFirstCommands('RUNNING', sent)).toBeNull();
    expect(unsendableFirstCommands('COMPENSATING', [])).toBeNull();
    expect(unsendableFirstCommands('PAUSED', [])).toBeNull();
  });
});
