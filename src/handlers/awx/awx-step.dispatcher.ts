import { Injectable } from '@nestjs/common';
import { HandlersConfig } from '../handlers-config';
import type { StepCommand } from '../../engine/dispatch/step-command';
import { JobDispatcher } from '../job-dispatcher';
import { planJob, PlannedJob } from '../job-plan';

/** `handler: {type: awx, ...}` steps: DO launches a job/workflow template; UNDO cancels, then runs the undo. */
@Injectable()
export class AwxStepDispatcher extends JobDispatcher {
  readonly type = 'awx' as const;

  constructor(config: HandlersConfig) {
    super(config);
  }

  protected plan(command: StepCommand, now: Date): PlannedJob {
    return planJob(command, this.config, this.type, now);
  }
}
