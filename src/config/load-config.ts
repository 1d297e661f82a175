import { plainToInstance } from 'class-transformer';
import { ValidationError, getMetadataStorage, validateSync } from 'class-validator';
import { CLOCK_SKEW_SECONDS } from '../auth/message-signing/message-freshness';
import { AppConfig } from './app-config';
import { isLoopbackHost } from './loopback';
import { topicProblems } from './topic-settings';

export class ConfigError extends Error {}

function describe(errors: ValidationError[]): string[] {
  // Constraints come last-declared first; the first-declared one (the type check) says the most.
  return errors.map((e) => {
    const message = Object.values(e.constraints ?? {}).at(-1) ?? 'is invalid';
    return message.startsWith(e.property) ? message : `${e.property}: ${message}`;
  });
}

/** Every setting is a validated property: a setting without a default has no own property to list it. */
export const SETTING_NAMES = [...new Set(
  getMetadataStorage().getTargetValidationMetadatas(AppConfig, '', true, false).map((m) => m.propertyName),
)];

function isHttpUrl(value: string | undefined): boolean {
  try {
    return ['https:', 'http:'].includes(new URL(value ?? '').protocol);
  } catch {
    return false;
  }
}

/** A listener that anyone on the network can reach must have a way to tell callers apart. */
function exposureProblem(config: AppConfig): string | undefined {
  if (!config.authEnabled && !isLoopbackHost(config.HOST)) {
    return `AUTH_MODE=off is allowed only on a loopback HOST (127.0.0.1, ::1, localhost), not ${config.HOST}: `
      + 'set AUTH_MODE=on with ADMIN_API_KEY or AUTH_JWKS_URL, or HOST=127.0.0.1';
  }
  if (config.consoleOidcEnabled && !(config.jwtConfigured && isHttpUrl(config.AUTH_JWT_ISSUER))) {
    return 'CONSOLE_OIDC_CLIENT_ID needs AUTH_JWT_ISSUER to be the identity provider\'s http(s) URL, and AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY';
  }
  if (config.MESSAGE_SIGNING === 'required' && !config.SIGNING_SECRETS && !config.jwtConfigured) {
    return 'MESSAGE_SIGNING=required needs a way to verify messages: set SIGNING_SECRETS or AUTH_JWKS_URL / AUTH_JWT_PUBLIC_KEY';
  }
  if (config.ALLOWED_WORKER_TOPIC_PATTERN !== undefined) {
    try {
      new RegExp(config.ALLOWED_WORKER_TOPIC_PATTERN);
    } catch {
      return 'ALLOWED_WORKER_TOPIC_PATTERN is not a valid regular expression';
    }
  }
  return undefined;
}

/**
 * A signed registration handled is remembered by an inbox row, pruned after OUTBOX_RETENTION_HOURS
 * (signed-registration-copies.ts); a copy of it is accepted for MESSAGE_SIGNATURE_MAX_AGE_SECONDS
 * after its signing, and the clock skew allowed either side. A row pruned sooner let a replayed copy
 * apply again (bring back a replaced version, or a removed worker). The prune's interval only makes
 * rows live longer.
 */
function retentionProblem(config: AppConfig): string | undefined {
  const replayable = config.MESSAGE_SIGNATURE_MAX_AGE_SECONDS + 2 * CLOCK_SKEW_SECONDS;
  if (config.OUTBOX_RETENTION_HOURS * 3600 > replayable) return undefined;
  return `OUTBOX_RETENTION_HOURS=${config.OUTBOX_RETENTION_HOURS} must outlast MESSAGE_SIGNATURE_MAX_AGE_SECONDS=`
    + `${config.MESSAGE_SIGNATURE_MAX_AGE_SECONDS} and twice the ${CLOCK_SKEW_SECONDS} s clock skew allowed (${replayable} s): `
    + 'a copy of a signed registration replayed after its inbox row was pruned would apply again; raise the one or lower the other';
}

/**
 * Settings whose empty value is refused instead of read as unset. An empty CONSUMER_GROUP is most
 * likely a template whose variable was unset (`CONSUMER_GROUP=${GROUP}`): read as the default, it
 * would join another deployment's default group, and the two would split each other's messages.
 */
const EMPTY_REFUSED = new Set(['CONSUMER_GROUP']);

/** Reads and validates the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defaults = new AppConfig();
  const raw: Record<string, unknown> = {};
  for (const key of SETTING_NAMES) {
    const value = env[key];
    raw[key] = value !== undefined && (value !== '' || EMPTY_REFUSED.has(key)) ? value : defaults[key as keyof AppConfig];
  }
  const config = plainToInstance(AppConfig, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  const problems = describe(validateSync(config, { forbidUnknownValues: true }));
  if (problems.length === 0) problems.push(...topicProblems(config));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  const unsafe = exposureProblem(config) ?? retentionProblem(config);
  if (unsafe) throw new ConfigError(unsafe);
  return config;
}
