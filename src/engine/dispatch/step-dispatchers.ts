import { AppError } from '../../common/errors/app-error';
import { ErrorCode } from '../../common/errors/error-code';
import { StepDispatcher } from './step-command';

/** Step handlers keyed by type: `worker` plus the built-in ones (awx, oo, http). */
export class StepDispatchers {
  private readonly byType: Map<string, StepDispatcher>;

  constructor(dispatchers: StepDispatcher[]) {
    this.byType = new Map(dispatchers.map((d) => [d.type, d]));
  }

  get(type: string): StepDispatcher {
    const dispatcher = this.byType.get(type);
    if (!dispatcher) throw new AppError(ErrorCode.INTERNAL, `No step handler of type ${type}`);
    return dispatcher;
  }
}
