import { Injectable } from '@nestjs/common';
import type { StepCommand } from '../../engine/dispatch/step-command';
import { HandlersConfig } from '../handlers-config';
import { JobDispatcher } from '../job-dispatcher';
import type { PlannedJob } from '../job-plan';
import { planHttpCall } from './plan-http-call';

/**
 * `handler: {type: http, ...}` steps: DO makes the call (retried with the step's policy, a 202
 * polled); UNDO waits for a DO still being polled, then makes the undo call. A job row each,
 * run by the same job runner as AWX/OO.
 */
@Injectable()
export class HttpCallStepDispatcher extends JobDispatcher {
  readonly type = 'http' as const;

  constructor(config: HandlersConfig) {
    super(config);
  }

  protected plan(command: StepCommand, now: Date): PlannedJob {
    return planHttpCall(command, this.config, now);
  }
}
