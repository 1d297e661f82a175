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
});
