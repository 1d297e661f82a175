/**
 * The services that may work a step: those its template names (`workers:`, on the step or the
 * whole template), else, with WORKER_ACCESS=pinned, only the template's owner; null: any service.
 * Pinned is the default with authentication on: any service key could otherwise register another
 * service's step before its workers did (the earliest registration wins), and receive its runs'
 * payloads, answer for it, and steer what later steps send to partners.
 */
export function allowedWorkersOf(named: string[] | null | undefined, owner: string | undefined, pinned: boolean): string[] | null {
  if (named) return named;
  return pinned && owner !== undefined ? [owner] : null;
}

/** Why `service` may not work `step`, for the refusal: which services may, and what would let it. */
export function notAllowedMessage(step: string, service: string, named: string[] | null | undefined, allowed: string[]): string {
  if (named) return `${step} may be worked only by ${allowed.join(', ')}`;
  return `${step} names no workers, so only its template's owner ${allowed[0]} may work it (WORKER_ACCESS=pinned): `
    + `the owner must name ${service} in the template's or the step's \`workers:\``;
}
