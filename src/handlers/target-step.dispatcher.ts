import { Injectable } from '@nestjs/common';
import type { StepCommand } from '../engine/dispatch/step-command';
import { HandlersConfig } from './handlers-config';
import type { TargetKind } from './job-kind';
import { JobDispatcher } from './job-dispatcher';
import { planJob, PlannedJob } from './job-plan';

/**
 * The dispatcher of an AWX or OO step (`handler: {type: awx|oo, ...}`): DO launches the job,
 * UNDO cancels it, then runs the undo; its JobKind (awx/, oo/) holds what differs by type. A class per type, not
 * one class, because each is its own provider that the engine and tests ask Nest for by class.
 */
export function targetStepDispatcher<K extends TargetKind>(type: K) {
  @Injectable()
  class TargetStepDispatcher extends JobDispatcher {
    readonly type: K = type;

    constructor(config: HandlersConfig) {
      super(config);
    }

    protected plan(command: StepCommand, now: Date): PlannedJob {
      return planJob(command, this.config, this.type, now);
    }
  }
  // Nest names a provider by its class in its errors: `AwxStepDispatcher`, not the shared name.
  Object.defineProperty(TargetStepDispatcher, 'name', { value: `${type[0].toUpperCase()}${type.slice(1)}StepDispatcher` });
  return TargetStepDispatcher;
}
