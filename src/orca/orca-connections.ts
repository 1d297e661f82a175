import { DEFAULT_CONNECTION } from '../handlers/handlers-config';

/** `awx=prod,awx:42=lab,oo:<flowUuid>=oo2` as a lookup; keys are lower case. */
export type OrcaConnectionMap = ReadonlyMap<string, string>;

/** Parses ORCA_CONNECTIONS (its syntax is checked by AppConfig). */
export function parseOrcaConnections(setting: string): OrcaConnectionMap {
  const map = new Map<string, string>();
  for (const entry of setting.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [key, connection] = entry.split('=');
    map.set(key.toLowerCase(), connection.toLowerCase());
  }
  return map;
}

/**
 * The connection serving a request: the resource's own entry, else its target's, else `default`.
 * The event never names one: which AWX or OO an Orca client may reach is the operator's choice.
 */
export function connectionFor(map: OrcaConnectionMap, target: 'awx' | 'oo', resourceId: string): string {
  return map.get(`${target}:${resourceId.toLowerCase()}`) ?? map.get(target) ?? DEFAULT_CONNECTION;
}
