import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { isServiceName, SERVICE_NAME_RULE } from '../../registry/document/service-name';
import { provenServiceProblem, type ServiceRules } from '../service-topic';
import type { Role } from '../role';
import { holdsJwt, KEY_NAME_MAX, KEY_NAME_PATTERN, KEY_NAME_RULE, withoutKeySecrets } from './api-key-format';

export interface ApiKeyRequest {
  name: string;
  role: Role;
  service?: string | null;
  expiresAt?: Date | null;
}

const invalid = (message: string, path: string, problem: string) => new AppError(ErrorCode.INVALID_REQUEST, message, [{ path, message: problem }]);

/**
 * Why a key cannot be issued as asked, or undefined. Checked on every issue as well as in the
 * request's DTO: `npm run keys` issues keys without one.
 */
export function keyRequestRefusal(request: ApiKeyRequest, rules: ServiceRules, now = Date.now()): AppError | undefined {
  if ((request.role === 'service') !== !!request.service) {
    return new AppError(ErrorCode.INVALID_REQUEST, 'A service key names its service; keys of other roles name none',
      [{ path: 'service', message: request.role === 'service' ? 'is required for role service' : 'is only for role service' }]);
  }
  // The name a key proves becomes a command topic, a consumer group and a poller's path: one Kafka
  // cannot carry (`team/x`, `a b`) would stall the outbox relay for that service's commands.
  if (request.service && !isServiceName(request.service)) return invalid('The request is invalid', 'service', `service ${SERVICE_NAME_RULE}`);
  const serviceProblem = request.service ? provenServiceProblem(request.service, rules, 'service') : undefined;
  if (serviceProblem) return new AppError(ErrorCode.INVALID_REQUEST, `No key can prove service ${request.service}`, [serviceProblem]);
  if (request.name.length < 1 || request.name.length > KEY_NAME_MAX) {
    return invalid('The key name is empty or too long', 'name', `must be 1 to ${KEY_NAME_MAX} characters`);
  }
  if (!KEY_NAME_PATTERN.test(request.name)) return invalid('The key name holds characters that hide or reorder text', 'name', KEY_NAME_RULE);
  // Stored, listed and audited as it is: a whole key pasted as a name (its own secret, or another's) would be shown to every admin.
  if (holdsJwt(request.name)) return invalid('The key name holds a JWT', 'name', 'must not hold a JWT: say what the key is for');
  if (withoutKeySecrets(request.name) !== request.name) {
    return invalid('The key name holds an API key', 'name', 'must not hold an API key: say what the key is for');
  }
  // A key that could never authenticate is a mistake (a wrong year, a date meant as a duration), not a request.
  if (request.expiresAt && request.expiresAt.getTime() <= now) return invalid('The key would have expired already', 'expiresAt', 'must be in the future');
  return undefined;
}
