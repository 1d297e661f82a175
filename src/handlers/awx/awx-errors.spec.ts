import { awxErrorMessage } from './awx-errors';

describe('awxErrorMessage', () => {
  it('takes detail', () => {
    expect(awxErrorMessage('{"detail": "You do not have permission to perform this action."}'))
      .toBe('You do not have permission to perform this action.');
  });

  it('joins field errors with their field', () => {
    expect(awxErrorMessage(JSON.stringify({
      variables_needed_to_start: ["'region' value missing", "'size' value missing"],
      extra_vars: ['Variables baton_step provided but not allowed.'],
    }))).toBe("variables_needed_to_start: 'region' value missing; variables_needed_to_start: 'size' value missing; "
      + 'extra_vars: Variables baton_step provided but not allowed.');
  });

  it('leaves __all__ and non_field_errors unprefixed, and flattens nested errors', () => {
    expect(awxErrorMessage('{"__all__": ["Job template is disabled."]}')).toBe('Job template is disabled.');
    expect(awxErrorMessage('{"credentials": {"0": ["Invalid"]}}')).toBe('credentials: 0: Invalid');
    expect(awxErrorMessage('{"error": "Job cannot be canceled."}')).toBe('Job cannot be canceled.');
  });

  it('returns undefined for non-JSON or empty bodies', () => {
    expect(awxErrorMessage('<html>502</html>')).toBeUndefined();
    expect(awxErrorMessage('{}')).toBeUndefined();
    expect(awxErrorMessage('')).toBeUndefined();
  });

  /**
   * The recursive walk overflowed the stack on an answer nested thousands of levels deep: the
   * RangeError made a retriable 502 fail the launch for good, and a poll cancel a running job.
   */
  it('reads an answer nested thousands of levels deep, and a huge one, to a bounded message', () => {
    const depth = 20_000;
    const deep = awxErrorMessage(`{"detail":null,"errors":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`);
    expect(deep).toBe('errors: (nested deeper than 16 levels)');
    expect(awxErrorMessage(`${'['.repeat(depth)}"x"${']'.repeat(depth)}`)).toBe('(nested deeper than 16 levels)');
    const wide = awxErrorMessage(JSON.stringify({ __all__: Array.from({ length: 100_000 }, (_, i) => `problem ${i}`) }));
    expect(wide?.startsWith('problem 0; problem 1; ')).toBe(true);
    expect(wide!.length).toBeLessThan(2_100);
  });
});
