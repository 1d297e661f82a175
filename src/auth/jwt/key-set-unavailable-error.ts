import { DependencyUnavailableError } from '../../common/errors/infrastructure-error';

/**
 * The identity provider's key set could not be had: the fetch was refused or timed out, or the
 * answer was an error status or no key set. That says nothing about the token, so it is never a
 * refusal (no failed login counted, no denial audited): like a database outage, HTTP answers 503
 * with Retry-After and a message waits for the keys instead of being dead-lettered.
 */
export class KeySetUnavailableError extends DependencyUnavailableError {
  constructor(cause: unknown) {
    super("The identity provider's key set (AUTH_JWKS_URL) could not be fetched; retry later", cause);
    this.name = 'KeySetUnavailableError';
  }
}
