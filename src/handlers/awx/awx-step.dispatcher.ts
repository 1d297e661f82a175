import { Injectable } from '@nestjs/common';
import { HandlersConfig } from '../handlers-config';
import { JobDispatcher } from '../job-dispatcher';

/** `handler: {type: awx, ...}` steps: DO launches a job/workflow template; UNDO cancels, then runs the undo. */
@Injectable()
export class AwxStepDispatcher extends JobDispatcher {
  readonly type = 'awx' as const;

  constructor(config: HandlersConfig) {
    super(config);
  }
}
