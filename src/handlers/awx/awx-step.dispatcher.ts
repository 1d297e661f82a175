import { Injectable } from '@nestjs/common';
import { HandlersConfig } from '../handlers-config';
import { JobDispatcher } from '../job-dispatcher';
import { JobExecutionRepository } from '../job-execution.repository';

/** `handler: {type: awx, ...}` steps: DO launches a job/workflow template; UNDO cancels, then runs the undo. */
@Injectable()
export class AwxStepDispatcher extends JobDispatcher {
  readonly type = 'awx' as const;

  constructor(config: HandlersConfig, repo: JobExecutionRepository) {
    super(config, repo);
  }
}
