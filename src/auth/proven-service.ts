import type { Principal } from './principal';

export type ServiceNameResult =
  | { ok: true; serviceName: string | undefined }
  | { ok: false; claimed: string; reason: string };

/**
 * The name a registration acts under. A `service` principal (that is not also admin) acts only as
 * its proven service: a header or document naming another service is refused, an absent one means
 * its own. Admins, the loopback-only anonymous caller, files and (unsigned) topics name it freely.
 * A header and a document naming two services are refused whoever sends them: the header won
 * silently, and the audit kept a document naming a service it was not registered as.
 */
export function provenServiceName(
  principal: Principal | undefined, header: string | undefined, documentService: string | null, fallback?: string,
): ServiceNameResult {
  const named = header?.trim() || undefined;
  if (named !== undefined && documentService && named !== documentService) {
    return { ok: false, claimed: documentService, reason: `X-Service-Name names ${named} but the document's service is ${documentService}` };
  }
  const claimed = named ?? (documentService || undefined);
  const boundToService = principal && principal.roles.includes('service') && !principal.roles.includes('admin');
  if (!boundToService) return { ok: true, serviceName: claimed ?? fallback };
  if (!principal.service) {
    return { ok: false, claimed: claimed ?? '', reason: `${principal.id} has role service but proves no service name` };
  }
  if (claimed !== undefined && claimed !== principal.service) {
    return { ok: false, claimed, reason: `${principal.id} proves service ${principal.service}, not ${claimed}` };
  }
  return { ok: true, serviceName: principal.service };
}
