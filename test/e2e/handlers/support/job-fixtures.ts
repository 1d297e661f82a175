import { randomUUID } from 'node:crypto';
import type { StepCommand } from '../../../../src/engine/dispatch/step-command';
import { ApplyOutcome, StepResult, StepResultSink } from '../../../../src/engine/dispatch/step-result';
import type { HandlerSpec } from '../../../../src/registry/entities/step-template.entity';
import { expectEventually } from '../../../helpers/expect-eventually';

/** The engine's side, faked: records every result it is handed; can be told to fail for a while. */
export class RecordingSink extends StepResultSink {
  readonly results: StepResult[] = [];
  failuresLeft = 0;

  async apply(result: StepResult): Promise<ApplyOutcome> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      throw new Error('engine unavailable');
    }
    this.results.push(result);
    return 'applied';
  }

  for(flowId: string, action?: 'DO' | 'UNDO'): StepResult[] {
    return this.results.filter((r) => r.flowId === flowId && (!action || r.action === action));
  }
}

export function command(handler: HandlerSpec, overrides: Partial<StepCommand> = {}): StepCommand {
  return {
    flowId: randomUUID(), orchName: 'provisioning', stepName: 'provision', action: 'DO', attempt: 1,
    commandId: randomUUID(), objectType: 'Job', payload: { email: 'ops@example.com', size: 2 }, payloadEncoding: 'json',
    outputs: {}, correlationId: `corr-${randomUUID().slice(0, 8)}`, handler, notBefore: new Date(), timeoutSeconds: 300,
    ...overrides,
  };
}

/**
 * Polls `probe` until it returns a truthy value (which it returns), or fails after `timeoutMs`
 * with the probe's last error or, if it only ever came back empty, with what was waited for:
 * expectEventually for a value rather than an assertion.
 */
export function eventually<T>(probe: () => Promise<T> | T, timeoutMs = 10_000, what = 'condition'): Promise<NonNullable<T>> {
  return expectEventually(async () => {
    const value = await probe();
    if (!value) throw new Error(`waiting for ${what}`);
    return value as NonNullable<T>;
  }, { timeoutMs, intervalMs: 15 });
}
