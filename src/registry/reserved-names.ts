import { ORCA_SERVICE, ORCA_TEMPLATE_PREFIX } from '../orca/orca-template';

/**
 * Template names a built-in adapter registers for itself, with the service it registers them as.
 * Were another service to take such a name first, the adapter would be refused as not its owner
 * and dead-letter every request for it, while that service's runs passed for the adapter's.
 */
const RESERVED = [{ prefix: ORCA_TEMPLATE_PREFIX, owner: ORCA_SERVICE }];

/** Why `service` may not own a template named `orchName`, or undefined. */
export function reservedNameProblem(orchName: string, service: string): string | undefined {
  const reserved = RESERVED.find((r) => orchName.startsWith(r.prefix));
  return reserved && reserved.owner !== service ? `names starting with ${reserved.prefix} are reserved for ${reserved.owner}` : undefined;
}
