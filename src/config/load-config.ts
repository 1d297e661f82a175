import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import { AppConfig } from './app-config';

export class ConfigError extends Error {}

function describe(errors: ValidationError[]): string[] {
  // Constraints come last-declared first; the first-declared one (the type check) says the most.
  return errors.map((e) => {
    const message = Object.values(e.constraints ?? {}).at(-1) ?? 'is invalid';
    return message.startsWith(e.property) ? message : `${e.property}: ${message}`;
  });
}

/** Reads and validates the environment; throws one ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const defaults = new AppConfig();
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(defaults)) raw[key] = defaults[key as keyof AppConfig];
  for (const key of [...Object.keys(raw), 'DATABASE_URL', 'KAFKA_BROKERS', 'RABBITMQ_URL', 'DEMO_WORKER']) {
    const value = env[key];
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const config = plainToInstance(AppConfig, raw, { enableImplicitConversion: true, exposeDefaultValues: true });
  const problems = describe(validateSync(config, { forbidUnknownValues: true }));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${problems.join('; ')}`);
  return config;
}
