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

/**
 * Who may register a step no version of the template has yet (a worker deployed ahead of the
 * version that adds it): with WORKER_ACCESS=pinned, the owner and the services the current version
 * names on any step, null (any service) otherwise. Harmless to admit: the version that adds the
 * step drops the registrations its own `workers:` refuse (TemplateRepository.removeWorkersNotAllowed).
 */
export function allowedForFutureStep(namedInVersion: Array<string[] | null>, owner: string, pinned: boolean): string[] | null {
  if (!pinned) return null;
  return [...new Set([owner, ...namedInVersion.flatMap((named) => named ?? [])])];
}

/** Why `service` may not work `step`, for the refusal: which services may, and what would let it. */
export function notAllowedMessage(step: string, service: string, named: string[] | null | undefined, allowed: string[]): string {
  if (named) return `${step} may be worked only by ${allowed.join(', ')}`;
  return `${step} names no workers, so only its template's owner ${allowed[0]} may work it (WORKER_ACCESS=pinned): `
    + `the owner must name ${service} in the template's or the step's \`workers:\``;
}

/** Why `service` may not register `step`, which no version of the template has yet. */
export function futureStepMessage(step: string, service: string, allowed: string[]): string {
  return `${step} is in no version of the template yet, and ${service} is not named in its current version: `
    + `only ${allowed.join(', ')} may register it (WORKER_ACCESS=pinned)`;
}
