import type { RegistrationAnswer } from './control';
import type { WorkerLogger } from './logger';

/**
 * What Baton accepts without a word, said here, or it shows only as a template that stays
 * PENDING: a template not registered (yet: workers may come first; or a typo), a step the
 * template does not have (a later version may add it; the likeliest cause is a typo), and a step
 * another service registered first (the earliest registration wins).
 */
export function warnOfRegistration(logger: WorkerLogger, service: string, orchName: string, answer: RegistrationAnswer | void): void {
  if (answer && answer.version === null) {
    logger.warn({ service, orchName },
      `no template ${orchName} is registered yet: this worker gets its commands once its owner registers it, but check the name for a typo`);
  }
  const unknown = namesOf(answer?.unknownSteps);
  if (unknown.length > 0) {
    logger.warn({ service, orchName, unknownSteps: unknown },
      `template ${orchName} has no step ${unknown.join(', ')}: registered anyway (a later version of the template may add it), but check the name for a typo`);
  }
  const taken = namesOf(answer?.stepsServedByOthers);
  if (taken.length > 0) {
    logger.warn({ service, orchName, stepsServedByOthers: taken },
      `another service registered ${taken.join(', ')} of template ${orchName} first and gets their commands: this worker gets them only once that registration is removed`);
  }
}

function namesOf(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}
