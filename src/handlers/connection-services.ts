import { isServiceName } from '../registry/document/service-name';

/**
 * A connection's `…SERVICES` variable: the services whose templates may name the connection, `*`
 * for every service, or null (unset). A connection carries its partner's credentials, and every
 * service that names it in a template has Baton call that partner with them (an ERP's
 * `DELETE /orders/…`, any AWX job template), so a shared Baton lists who may.
 */
export type ConnectionServices = readonly string[] | '*' | null;

/** The variable that lists a connection's services: AWX_SERVICES, OO_PROD_SERVICES, HTTP_ERP_SERVICES. */
export const servicesVariableOf = (type: string, connection: string): string =>
  (type !== 'http' && connection.toLowerCase() === 'default' ? `${type}_SERVICES` : `${type}_${connection}_SERVICES`).toUpperCase();

/** A connection a service may not name, in the same words at registration and at launch. */
export const connectionClosedTo = (type: string, connection: string, service: string): string =>
  `${type.toUpperCase()} connection "${connection.toLowerCase()}", which is not open to ${service} (${servicesVariableOf(type, connection)})`;

export function connectionServices(raw: string | undefined, variable: string, problems: string[]): ConnectionServices {
  if (raw === undefined) return null;
  if (raw.trim() === '*') return '*';
  const names = raw.split(',').map((n) => n.trim()).filter(Boolean);
  const bad = names.filter((n) => !isServiceName(n));
  if (bad.length > 0 || names.length === 0) {
    problems.push(`${variable} must list service names (letters, digits, ".", "_" and "-"), comma-separated, or be * for every service`);
    return null;
  }
  return names;
}

/** Whether a template of `service` may name a connection with these services: unset, as `*`, opens it to every service. */
export const servicesAllow = (services: ConnectionServices, service: string): boolean =>
  services === null || services === '*' || services.includes(service);
