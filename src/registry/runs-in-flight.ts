import type { EntityManager } from 'typeorm';

/** A step as a worker registration takes it: the engine sends it the commands of runs whose version gives the step this objectType. */
export interface StepOfType {
  orchName: string;
  stepName: string;
  objectType: string;
}

/**
 * Port: the runs of a template under way, whose later commands (their undos included) need its
 * workers. The engine owns runs and provides it; the registry asks before taking a worker away.
 */
export abstract class RunsInFlight {
  /**
   * How many runs of the template are RUNNING, PAUSED, COMPENSATING or UNDOING with `stepName` of
   * `objectType` in their template version (a run keeps the version it started on), counted up to
   * `upTo`, read through `m`.
   */
  abstract countNeeding(step: StepOfType, upTo: number, m: EntityManager): Promise<number>;
}
