import { hostname } from 'node:os';
import type { AppConfig } from '../config/app-config';

/** INSTANCE_ID, else host and port: stable across restarts of one instance, distinct between instances. */
export function instanceIdOf(config: Pick<AppConfig, 'INSTANCE_ID' | 'PORT'>): string {
  return config.INSTANCE_ID ?? `${hostname()}:${config.PORT}`;
}
