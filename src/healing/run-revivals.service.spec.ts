import { Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { RunExecutor } from '../engine/run-executor.service';
import type { RunTransitions } from '../engine/run-transitions';
import { Metrics } from '../metrics/metrics';
import type { TemplateRepository } from '../registry/template.repository';
import { RunChanges } from '../engine/run-changes';
import { RunRevivals } from './run-revivals.service';
import type { StuckWorkRepository } from './stuck-work.repository';

/** RunRevivals over an executor that hands its decision one run, as read, and writes whatever it decides. */
function revivals(run: Record<string, unknown>) {
  const executor = { transition: (_flowId: string, decide: (r: unknown, c: unknown) => Promise<unknown>) => decide(run, { event: jest.fn(), complete: jest.fn() }) };
  const transitions = { advance: jest.fn() };
  return new RunRevivals(executor as unknown as RunExecutor, transitions as unknown as RunTransitions, {} as TemplateRepository,
    { stillOverdue: async () => true, pendingDeadline: async () => undefined } as unknown as StuckWorkRepository, new Metrics());
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

/**
 * RunRevivals over an executor whose write is refused as too large when the decision sent
 * anything (called advance), as OutboxService.stage refuses commands over MESSAGE_MAX_BYTES.
 */
function refusingRevivals(run: { status: string } & Record<string, unknown>,
  refusedWhen = (status: string) => !['FAILED', 'COMPENSATION_FAILED', 'UNDO_FAILED'].includes(status)) {
  const template = { status: 'READY', currentVersion: 2, missingSteps: [] };
  const written: Array<{ status: string; events: string[] }> = [];
  const transitions = {
    advance: jest.fn(async () => undefined),
    changeStatus: jest.fn((r: { status: string }, _c: unknown, status: string) => { r.status = status; }),
    announceDeadlineMissed: jest.fn(),
  };
  const executor = {
    transition: async (_flowId: string, decide: (r: unknown, c: unknown) => Promise<unknown>) => {
      const copy = { ...run };
      const events: string[] = [];
      transitions.advance.mockClear();
      const acted = await decide(copy, { event: (_f: string, kind: string) => events.push(kind), complete: jest.fn() });
      if (transitions.advance.mock.calls.length > 0 && refusedWhen(copy.status)) {
        throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, 'A message for orchestrator.commands.w would be 1400000 bytes');
      }
      written.push({ status: copy.status, events });
      return acted;
    },
  };
  const revivals = new RunRevivals(executor as unknown as RunExecutor, transitions as unknown as RunTransitions,
    { findByName: async () => template } as unknown as TemplateRepository,
    { deadlineHandled: async () => false, pendingDeadline: async () => undefined } as unknown as StuckWorkRepository, new Metrics());
  return { revivals, written, transitions };
}

describe('RunRevivals: what follows is too large to send', () => {
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('fails a parked run whose first commands are refused instead of starting it on every tick for ever', async () => {
    const { revivals, written, transitions } = refusingRevivals({ flowId: 'f', orchName: 'wide', status: 'WAITING_FOR_WORKERS', correlationId: 'c', attempts: [] });
    expect(await revivals.settleParked({ flowId: 'f', expiresAt: new Date(Date.now() - 86_400_000), expired: true, deadlineAt: null,
      onDeadline: null, deadlinePassed: false })).toBe(true);
    expect(written).toEqual([{ status: 'FAILED', events: ['START_REFUSED'] }]);
    expect(transitions.changeStatus).toHaveBeenLastCalledWith(expect.anything(), expect.anything(), 'FAILED', null,
      expect.stringMatching(/^PAYLOAD_TOO_LARGE: template wide became READY, but the run's first commands cannot be sent: .*1400000 bytes/));
  });

  it('unwinds a revived run whose next commands are refused, and ends it when its undos are refused too', async () => {
    const unwinds = refusingRevivals({ flowId: 'f', status: 'RUNNING', correlationId: 'c', attempts: [] }, (status) => status === 'RUNNING');
    expect(await unwinds.revivals.revive('f', 'nothing in flight')).toBe(true);
    expect(unwinds.written).toEqual([{ status: 'COMPENSATING', events: ['REVIVED'] }]);
    const ends = refusingRevivals({ flowId: 'f', status: 'RUNNING', correlationId: 'c', attempts: [] });
    expect(await ends.revivals.revive('f', 'nothing in flight')).toBe(true);
    expect(ends.written).toEqual([{ status: 'COMPENSATION_FAILED', events: ['REVIVED'] }]);
  });

  it('ends a run past its deadline whose undos are refused, recording the deadline once', async () => {
    const { revivals, written } = refusingRevivals({ flowId: 'f', status: 'RUNNING', correlationId: 'c', attempts: [] });
    expect(await revivals.passDeadline('f', new Date(0), 'compensate')).toBe(true);
    expect(written).toEqual([{ status: 'COMPENSATION_FAILED', events: ['DEADLINE_EXCEEDED'] }]);
  });
});

/** An executor whose transition decides on `run` with a real RunChanges; `written()` is the write, undefined when empty. */
function writingExecutor(run: unknown) {
  let changes: RunChanges | undefined;
  const executor = { transition: async (_flowId: string, decide: (r: unknown, c: RunChanges) => Promise<unknown>) => {
    const c = new RunChanges();
    const acted = await decide(run, c);
    if (!c.isEmpty) changes = c;
    return acted;
  } };
  return { executor, written: () => changes };
}
/** The kinds of the events a write records. */
const events = (changes: RunChanges | undefined) => [...changes?.inserts.values() ?? []].flatMap((i) => i.rows.map((r) => r.kind));

describe('RunRevivals: a run that is no longer stalled by the time it is read', () => {
  /** The revival's write, on a real RunChanges: undefined when it wrote nothing. `advance` moves the run or not. */
  async function revive(run: Record<string, unknown>, moves: boolean) {
    const { executor, written } = writingExecutor(run);
    const advance = jest.fn(async (_r: unknown, changes: RunChanges) => {
      if (moves) changes.send([{ topic: 'orchestrator.commands.w', key: 'f', headers: {}, body: Buffer.from('{}') }]);
    });
    const revivals = new RunRevivals(executor as unknown as RunExecutor, { advance } as unknown as RunTransitions, {} as TemplateRepository,
      { pendingDeadline: async () => undefined } as unknown as StuckWorkRepository, new Metrics());
    return { changed: await revivals.revive('f', 'RUNNING with nothing in flight for over 10000 ms'), written: written(), advance };
  }
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('leaves a run alone that another instance gave an attempt in flight since it was listed', async () => {
    const attempts = [{ stepName: 'b', action: 'DO', attempt: 1, status: 'DISPATCHED', commandId: 'x' }];
    const { changed, written, advance } = await revive({ flowId: 'f', status: 'RUNNING', correlationId: 'c', attempts }, true);
    expect([changed, written, advance.mock.calls.length]).toEqual([false, undefined, 0]);
  });

  it('records no revival when its decision moves nothing', async () => {
    const { changed, written } = await revive({ flowId: 'f', status: 'RUNNING', correlationId: 'c', attempts: [] }, false);
    expect([changed, written]).toEqual([false, undefined]);
  });

  it('records the revival with what it sent', async () => {
    const attempts = [{ stepName: 'a', action: 'DO', attempt: 1, status: 'SUCCEEDED', commandId: 'y' }];
    const { changed, written } = await revive({ flowId: 'f', status: 'RUNNING', correlationId: 'c', attempts }, true);
    expect([changed, events(written), written?.messages.length]).toEqual([true, ['REVIVED'], 1]);
  });
});

describe('RunRevivals: a parked run whose pause deadline passed by the database\'s clock', () => {
  /** The start's write, on a real RunChanges, of a run waiting for workers whose template is READY. */
  async function start(parked: { deadlinePassed: boolean; handled: boolean }) {
    const run = { flowId: 'f', orchName: 'held', status: 'WAITING_FOR_WORKERS', correlationId: 'c', templateVersion: 1, attempts: [] };
    const { executor, written } = writingExecutor(run);
    const transitions = {
      advance: jest.fn(),
      changeStatus: jest.fn((r: { status: string }, _c: unknown, status: string) => { r.status = status; }),
      announceDeadlineMissed: jest.fn(),
    };
    const metrics = new Metrics();
    const counted = jest.spyOn(metrics.deadlinesExceeded, 'inc');
    const revivals = new RunRevivals(executor as unknown as RunExecutor, transitions as unknown as RunTransitions,
      { findByName: async () => ({ status: 'READY', currentVersion: 2, missingSteps: [] }) } as unknown as TemplateRepository,
      { deadlineHandled: async () => parked.handled } as unknown as StuckWorkRepository, metrics);
    // By this instance's clock the deadline is a minute ahead: it lags the database's.
    const deadlineAt = new Date(Date.now() + 60_000);
    expect(await revivals.settleParked({ flowId: 'f', expiresAt: null, expired: false, deadlineAt, onDeadline: 'pause',
      deadlinePassed: parked.deadlinePassed }))
      .toBe(true);
    return { status: run.status, events: events(written()), announced: transitions.announceDeadlineMissed.mock.calls.length, counted: counted.mock.calls };
  }

  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('starts PAUSED on a lagging instance, and handles the deadline in the same write: event, status topic, metric', async () => {
    expect(await start({ deadlinePassed: true, handled: false })).toEqual({
      status: 'PAUSED', events: ['DEADLINE_EXCEEDED', 'STARTED_AFTER_WAIT'], announced: 1, counted: [[{ on_deadline: 'pause' }]],
    });
  });

  it('starts PAUSED a run whose deadline the healer reported while it waited, handling it no second time', async () => {
    expect(await start({ deadlinePassed: false, handled: true })).toEqual({ status: 'PAUSED', events: ['STARTED_AFTER_WAIT'], announced: 0, counted: [] });
  });

  it('starts RUNNING one whose deadline is still ahead by the database\'s clock', async () => {
    expect(await start({ deadlinePassed: false, handled: false })).toEqual({ status: 'RUNNING', events: ['STARTED_AFTER_WAIT'], announced: 0, counted: [] });
  });
});

describe('RunRevivals: a parked run whose wait expired by the database\'s clock', () => {
  /** The healer's write for a run waiting for workers whose template is still PENDING; `expired` as the database read it. */
  async function settle(expired: boolean) {
    const run = { flowId: 'f', orchName: 'held', status: 'WAITING_FOR_WORKERS', correlationId: 'c', templateVersion: 1, attempts: [] };
    const { executor, written } = writingExecutor(run);
    const transitions = { changeStatus: jest.fn((r: { status: string }, _c: unknown, status: string) => { r.status = status; }) };
    const revivals = new RunRevivals(executor as unknown as RunExecutor, transitions as unknown as RunTransitions,
      { findByName: async () => ({ status: 'PENDING', currentVersion: 1, missingSteps: ['ship'] }) } as unknown as TemplateRepository,
      {} as StuckWorkRepository, new Metrics());
    // By this instance's clock the expiry is an hour ahead: it lags the database's, which set it.
    const expiresAt = new Date(Date.now() + 3_600_000);
    const changed = await revivals.settleParked({ flowId: 'f', expiresAt, expired, deadlineAt: null, onDeadline: null, deadlinePassed: false });
    return { changed, status: run.status, events: events(written()) };
  }
  beforeEach(() => jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined));
  afterEach(() => jest.restoreAllMocks());

  it('expires it on an instance whose clock lags, as the query that listed it judged', async () => {
    expect(await settle(true)).toEqual({ changed: true, status: 'EXPIRED', events: ['EXPIRED'] });
  });

  it('leaves it waiting while the database says its wait is not over', async () => {
    expect(await settle(false)).toEqual({ changed: false, status: 'WAITING_FOR_WORKERS', events: [] });
  });
});

describe('RunRevivals: a run whose compensate deadline passed before the healer sends anything for it', () => {
  /**
   * Revivals over an executor that writes each transition on the one run (as the database would), recording its
   * status and events; `advance` records the status each decision is taken in. The database says the deadline passed.
   */
  function deadlinePassed(run: { flowId: string; status: string } & Record<string, unknown>) {
    const written: Array<{ status: string; events: string[] }> = [];
    let handled = false;
    const decidedIn: string[] = [];
    const transitions = {
      advance: jest.fn(async (r: { status: string }) => { decidedIn.push(r.status); }),
      changeStatus: jest.fn((r: { status: string }, _c: unknown, status: string) => { r.status = status; }),
      announceDeadlineMissed: jest.fn(),
    };
    const executor = { transition: async (_flowId: string, decide: (r: unknown, c: unknown) => Promise<unknown>) => {
      const events: string[] = [];
      const acted = await decide(run, { event: (_f: string, kind: string) => { events.push(kind); handled ||= kind === 'DEADLINE_EXCEEDED'; }, complete: jest.fn() });
      if (events.length > 0) written.push({ status: run.status, events });
      return acted;
    } };
    const stuck = {
      stillOverdue: async () => true,
      deadlineHandled: async () => handled,
      pendingDeadline: async () => (handled ? undefined : { deadlineAt: new Date(0), onDeadline: 'compensate' }),
    };
    const revivals = new RunRevivals(executor as unknown as RunExecutor, transitions as unknown as RunTransitions,
      { findByName: async () => ({ status: 'READY', currentVersion: 1, missingSteps: [] }) } as unknown as TemplateRepository,
      stuck as unknown as StuckWorkRepository, new Metrics());
    return { revivals, written, decidedIn };
  }
  beforeEach(() => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => jest.restoreAllMocks());

  it('compensates the run before timing out its attempt: the timeout is decided unwinding, so no retry is sent', async () => {
    const attempts = [{ stepName: 'charge', action: 'DO', attempt: 1, status: 'DISPATCHED', commandId: 'c1' }];
    const { revivals, written, decidedIn } = deadlinePassed({ flowId: 'f', status: 'RUNNING', correlationId: 'c', attempts });
    expect(await revivals.timeOut({ flowId: 'f', stepName: 'charge', action: 'DO', attempt: 1, reason: 'no reply' })).toBe(true);
    expect(written).toEqual([
      { status: 'COMPENSATING', events: ['DEADLINE_EXCEEDED'] }, { status: 'COMPENSATING', events: ['STEP_TIMED_OUT'] },
    ]);
    expect(decidedIn).toEqual(['COMPENSATING', 'COMPENSATING']);
  });

  it('compensates a stalled run before reviving it', async () => {
    const { revivals, written, decidedIn } = deadlinePassed({ flowId: 'f', status: 'RUNNING', correlationId: 'c', attempts: [] });
    expect(await revivals.revive('f', 'nothing in flight')).toBe(true);
    expect(written[0]).toEqual({ status: 'COMPENSATING', events: ['DEADLINE_EXCEEDED'] });
    expect(decidedIn.every((status) => status === 'COMPENSATING')).toBe(true);
  });

  it('does not start a parked run whose deadline passed while it waited: its deadline compensates it, having run nothing', async () => {
    const { revivals, written, decidedIn } = deadlinePassed({ flowId: 'f', orchName: 'slow', status: 'WAITING_FOR_WORKERS', correlationId: 'c', attempts: [] });
    expect(await revivals.settleParked({ flowId: 'f', expiresAt: null, expired: false, deadlineAt: new Date(0), onDeadline: 'compensate',
      deadlinePassed: true })).toBe(true);
    expect(written).toEqual([{ status: 'COMPENSATING', events: ['DEADLINE_EXCEEDED'] }]);
    expect(decidedIn).toEqual(['COMPENSATING']);
  });
});
