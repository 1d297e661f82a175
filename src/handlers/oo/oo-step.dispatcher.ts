import { Injectable } from '@nestjs/common';
import { HandlersConfig } from '../handlers-config';
import type { StepCommand } from '../../engine/dispatch/step-command';
import { JobDispatcher } from '../job-dispatcher';
import { planJob, PlannedJob } from '../job-plan';

/** `handler: {type: oo, ...}` steps: DO starts an OO flow; UNDO cancels, then runs the undo. */
@Injectable()
export class OoStepDispatcher extends JobDispatcher {
  readonly type = 'oo' as const;

  constructor(config: HandlersConfig) {
    super(config);
  }

  protected plan(command: StepCommand, now: Date): PlannedJob {
    return planJob(command, this.config, this.type, now);
  }
}
