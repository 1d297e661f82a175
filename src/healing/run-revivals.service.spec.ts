import { Logger } from '@nestjs/common';
import type { RunExecutor } from '../engine/run-executor.service';
import type { RunTransitions } from '../engine/run-transitions';
import { Metrics } from '../metrics/metrics';
import type { TemplateRepository } from '../registry/template.repository';
import { RunRevivals } from './run-revivals.service';
import type { StuckWorkRepository } from './stuck-work.repository';

/** RunRevivals over an executor that hands its decision one run, as read, and writes whatever it decides. */
function revivals(run: Record<string, unknown>) {
  const executor = { transition: (_flowId: string, decide: (r: unknown, c: unknown) => Promise<unknown>) => decide(run, { event: jest.fn(), complete: jest.fn() }) };
  const transitions = { advance: jest.fn() };
  return new RunRevivals(executor as unknown as RunExecutor, transitions as unknown as RunTransitions, {} as TemplateRepository,
    { stillOverdue: async () => true } as unknown as StuckWorkRepository, new Metrics());
}

describe('RunRevivals', () => {
  afterEach(() => jest.restoreAllMocks());

  it('logs what it healed with the run\'s correlation id and why, so an operator finds it by the run\'s id', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const flowId = '00000000-0000-4000-8000-000000000001';
    expect(await revivals({ flowId, status: 'RUNNING', correlationId: 'order-42', attempts: [] }).revive(flowId, 'nothing in flight for 2 ticks')).toBe(true);
    expect(log).toHaveBeenCalledWith(
      { flowId, correlationId: 'order-42', healed: 'revive', reason: 'nothing in flight for 2 ticks' }, 'run healed: revive');
  });

  it('logs a timed-out attempt with its step, action, attempt and why', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const flowId = '00000000-0000-4000-8000-000000000003';
    const attempts = [{ stepName: 'charge', action: 'DO', attempt: 2, status: 'DISPATCHED', commandId: 'c2' }];
    const timedOut = { flowId, stepName: 'charge', action: 'DO' as const, attempt: 2, reason: 'no reply within 30 s' };
    expect(await revivals({ flowId, status: 'RUNNING', correlationId: 'order-43', attempts }).timeOut(timedOut)).toBe(true);
    expect(log).toHaveBeenCalledWith({
      flowId, correlationId: 'order-43', healed: 'time-out', step: 'charge', action: 'DO', attempt: 2, reason: 'no reply within 30 s',
    }, 'run healed: time-out');
  });

  it('logs nothing when there was nothing to heal', async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const flowId = '00000000-0000-4000-8000-000000000002';
    expect(await revivals({ flowId, status: 'COMPLETED', correlationId: 'c', attempts: [] }).revive(flowId, 'why')).toBe(false);
    expect(log).not.toHaveBeenCalled();
  });
});
