/**
 * Throw it from a handler when trying again cannot help (invalid input, a refused operation):
 * Baton fails the step at once instead of spending its remaining retries.
 */
export class NonRetryableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NonRetryableError';
  }
}
