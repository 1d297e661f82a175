import type { EntityManager } from 'typeorm';

/**
 * Port: the runs of a template under way, whose later commands (their undos included) need its
 * workers. The engine owns runs and provides it; the registry asks before taking a worker away.
 */
export abstract class RunsInFlight {
  /** How many runs of `orchName` are RUNNING, PAUSED, COMPENSATING or UNDOING, counted up to `upTo`, read through `m`. */
  abstract countOf(orchName: string, upTo: number, m: EntityManager): Promise<number>;
}
