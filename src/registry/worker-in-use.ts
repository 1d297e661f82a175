import { Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { EntityManager } from 'typeorm';
import type { WorkerRegistrationEntity } from './entities/worker-registration.entity';
import { RunsInFlight } from './runs-in-flight';
import type { StillNeeded } from './template.repository';

/**
 * Whether taking a registration away, removed or replaced by one of another objectType, leaves
 * runs under way with nowhere to send their later commands for its step, undos included: they
 * would time out, and a step that succeeded would stay done, never undone. "Nowhere" as the engine
 * routes: a command goes to a registration of the step's objectType in the run's own template
 * version, so only runs whose version gives the step this objectType count, and only
 * registrations of that objectType take over.
 */
@Injectable()
export class WorkerInUse {
  // RunsInFlight is the engine's, which imports this module: looked up, not injected.
  constructor(private readonly moduleRef: ModuleRef) {}

  /** Runs under way (up to `upTo`) that only `worker` among `registrations` serves, read through `m`; 0 when another takes its step. */
  async runsLeftWithout(m: EntityManager, worker: WorkerRegistrationEntity, registrations: WorkerRegistrationEntity[], upTo: number): Promise<number> {
    const takesOver = registrations.some((w) => w.id !== worker.id && w.stepName === worker.stepName && w.objectType === worker.objectType);
    if (takesOver) return 0;
    const step = { orchName: worker.orchName, stepName: worker.stepName, objectType: worker.objectType };
    return this.moduleRef.get(RunsInFlight, { strict: false }).countNeeding(step, upTo, m);
  }

  /** Whether any run under way needs `worker`, were only `remaining` left: for TemplateRepository.removeWorkersNotAllowed. */
  stillNeeded(m: EntityManager): StillNeeded {
    return async (worker, remaining) => (await this.runsLeftWithout(m, worker, remaining, 1)) > 0;
  }
}
