import { isServiceName } from '../registry/document/service-name';

/**
 * A connection's `…SERVICES` variable: the services whose templates may name the connection, or
 * null (unset: any service). A connection carries its partner's credentials, and every service
 * that names it in a template has Baton call that partner with them (an ERP's `DELETE /orders/…`,
 * any AWX job template), so a shared Baton lists who may.
 */
export function connectionServices(raw: string | undefined, variable: string, problems: string[]): string[] | null {
  if (raw === undefined) return null;
  const names = raw.split(',').map((n) => n.trim()).filter(Boolean);
  const bad = names.filter((n) => !isServiceName(n));
  if (bad.length > 0 || names.length === 0) {
    problems.push(`${variable} must list service names (letters, digits, ".", "_" and "-"), comma-separated`);
    return null;
  }
  return names;
}
