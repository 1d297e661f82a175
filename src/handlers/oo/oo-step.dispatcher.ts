import { Injectable } from '@nestjs/common';
import { HandlersConfig } from '../handlers-config';
import { JobDispatcher } from '../job-dispatcher';

/** `handler: {type: oo, ...}` steps: DO starts an OO flow; UNDO cancels, then runs the undo. */
@Injectable()
export class OoStepDispatcher extends JobDispatcher {
  readonly type = 'oo' as const;

  constructor(config: HandlersConfig) {
    super(config);
  }
}
