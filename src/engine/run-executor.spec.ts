import { Logger } from '@nestjs/common';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { createHash } from 'node:crypto';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import type { OutboxRelay } from '../messaging/outbox/outbox-relay.service';
import { inMemoryTracing } from '../tracing/tracing.fixtures';
import type { CurrentTemplates } from './current-templates';
import type { RunChanges, RunState } from './run-changes';
import { RunExecutor } from './run-executor.service';
import { RunStateCache } from './run-state-cache';
import { newRun, plans, stockWorker, transitionsWith } from './run-transitions.fixtures';
import type { RunRepository, WriteResult } from './run.repository';

/** A repository whose writes answer in turn from `outcomes`: a lost version race, a write, an outage. */
function repositoryAnswering(outcomes: Array<WriteResult | Error>): RunRepository {
  return {
    load: async (): Promise<RunState> => newRun(),
    update: async (_run: RunState, _changes: RunChanges): Promise<WriteResult> => {
      const next = outcomes.shift()!;
      if (next instanceof Error) throw next;
      return next;
    },
  } as unknown as RunRepository;
}

/** An executor over `runs` with the stock worker, no templates read and a relay that publishes nothing. */
function executorOver(runs: RunRepository, states = new RunStateCache()): RunExecutor {
  const relay = { publishNow: async () => undefined } as unknown as OutboxRelay;
  return new RunExecutor(runs, states, transitionsWith(stockWorker), {} as CurrentTemplates, plans, relay, new AppConfig(), new Metrics());
}

/** The engine's next move for the run (a reply or a healer's nudge would make it), written through `runs`. */
function advanceOn(runs: RunRepository): Promise<unknown> {
  const transitions = transitionsWith(stockWorker);
  const relay = { publishNow: async () => undefined } as unknown as OutboxRelay;
  const executor = new RunExecutor(runs, new RunStateCache(), transitions, {} as CurrentTemplates, plans, relay, new AppConfig(), new Metrics());
  return executor.transition(newRun().flowId, (run, changes) => transitions.advance(run, changes));
}

describe('RunExecutor: the dispatch spans of a transition', () => {
  const exporter = inMemoryTracing();

  const dispatchSpans = () => exporter.getFinishedSpans().filter((s) => s.name === 'dispatch DO');

  it('marks the dispatch of a transition that lost its version race as superseded; the retry\'s is not', async () => {
    await advanceOn(repositoryAnswering([{ written: false, messages: [] }, { written: true, messages: [] }]));
    const [lost, won] = dispatchSpans();
    expect(dispatchSpans()).toHaveLength(2);
    expect(lost.attributes['baton.outcome']).toBe('superseded');
    expect(won.attributes['baton.outcome']).toBeUndefined();
    expect(won.attributes['messaging.destination.name']).toBe('orchestrator.commands.stock');
  });

  it('ends the dispatch span as superseded when the write fails (the event is retried and decided again)', async () => {
    const outage = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    await expect(advanceOn(repositoryAnswering([outage]))).rejects.toBe(outage);
    expect(dispatchSpans().map((s) => s.attributes['baton.outcome'])).toEqual(['superseded']);
  });
});

describe('RunExecutor: a start whose idempotency key conflicts', () => {
  const template = { id: 't', orchName: 'order', status: 'READY', currentVersion: 1, missingSteps: [] };
  const templates = { get: async () => template, forget: () => undefined } as unknown as CurrentTemplates;
  const relay = { publishNow: async () => undefined } as unknown as OutboxRelay;
  const start = (runs: RunRepository) => new RunExecutor(runs, new RunStateCache(), transitionsWith(stockWorker), templates, plans, relay,
    new AppConfig(), new Metrics()).start({ orchName: 'order', payload: Buffer.from('{}'), contentType: 'application/json',
    correlationId: 'c', idempotencyKey: 'k-1' });

  it('starts the run after all when the run holding the key is gone by the time it is read (retention removed it)', async () => {
    const creates: boolean[] = [false, true];
    const runs = {
      create: async () => ({ written: creates.shift()!, messages: [], templateChanged: false }),
      findByIdempotencyKey: async () => undefined,
    } as unknown as RunRepository;
    await expect(start(runs)).resolves.toMatchObject({ status: 'RUNNING', created: true });
    expect(creates).toEqual([]);
  });

  it('answers with the run that holds the key, not created', async () => {
    const runs = {
      create: async () => ({ written: false, messages: [], templateChanged: false }),
      findByIdempotencyKey: async () => ({ flowId: 'f-1', status: 'COMPLETED', payloadHash: createHash('sha256')
        .update('application/json').update('\0').update('{}').digest('hex'), correlationId: 'c-0' }),
    } as unknown as RunRepository;
    await expect(start(runs)).resolves.toEqual({ flowId: 'f-1', status: 'COMPLETED', correlationId: 'c-0', created: false, missingSteps: [] });
  });
});

describe('RunExecutor: the events of one run', () => {
  it('are decided and written one at a time, in the order they came: the second decides on what the first wrote', async () => {
    const log: string[] = [];
    const runs = {
      load: async (): Promise<RunState> => newRun(),
      update: async (): Promise<WriteResult> => {
        log.push('write');
        return { written: true, messages: [] };
      },
    } as unknown as RunRepository;
    const executor = executorOver(runs);
    // The first takes longer to decide: side by side, the second would have read the same version and written first.
    const event = (name: string, decideMs: number) => executor.transition(newRun().flowId, async (run, changes) => {
      log.push(`${name} decides on version ${run.version}`);
      await new Promise((resolve) => setTimeout(resolve, decideMs));
      changes.event(run.flowId, 'NOTE', name);
    });
    await Promise.all([event('first', 30), event('second', 0)]);
    expect(log).toEqual(['first decides on version 0', 'write', 'second decides on version 1', 'write']);
  });
});

describe('RunExecutor: a withdraw that lost its race with the relay', () => {
  afterEach(() => jest.restoreAllMocks());

  it('says so, naming the step and command, and forgets its copy of the run: the next event reads it', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const runs = {
      load: async (): Promise<RunState> => ({ ...newRun(), attempts: [{ stepName: 'reserve', action: 'DO', attempt: 2, budgetStart: 1,
        status: 'DISPATCHED', commandId: 'w2', output: null, error: null, dueAt: Date.now() + 60_000 }] }),
      // The outbox row was leased between the write's check and its update: the attempt is completed, its command not dropped.
      update: async (): Promise<WriteResult> => ({ written: true, messages: [], voided: 0, withdrawn: false }),
    } as unknown as RunRepository;
    const states = new RunStateCache();
    const executor = executorOver(runs, states);
    await executor.transition(newRun().flowId, async (run, changes) => {
      changes.complete(run, run.attempts[0], { status: 'SUCCEEDED', output: null, error: null }, true);
    });
    expect(warn).toHaveBeenCalledWith({ flowId: newRun().flowId, correlationId: 'c', step: 'reserve', action: 'DO', attempt: 2, commandId: 'w2' },
      expect.stringMatching(/^a retry to withdraw was sent meanwhile/));
    expect(states.take(newRun().flowId)).toBeUndefined();
  });
});

describe('RunExecutor: the resume of a run started PAUSED whose first commands are too big to send', () => {
  afterEach(() => jest.restoreAllMocks());

  it('fails the run, having run nothing, as a refused start does, instead of refusing every resume', async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const written: RunChanges[] = [];
    const runs = {
      load: async (): Promise<RunState> => ({ ...newRun(), status: 'PAUSED', error: 'deadline passed: pause' } as RunState),
      // As OutboxService.stage refuses a command over MESSAGE_MAX_BYTES.
      update: async (_run: RunState, changes: RunChanges): Promise<WriteResult> => {
        if (changes.messages.some((m) => m.topic.startsWith('orchestrator.commands.'))) {
          throw new AppError(ErrorCode.PAYLOAD_TOO_LARGE, 'A message for orchestrator.commands.stock would be 1400000 bytes');
        }
        written.push(changes);
        return { written: true, messages: [] };
      },
    } as unknown as RunRepository;
    const executor = executorOver(runs);
    await expect(executor.act(newRun().flowId, { action: 'resume', actor: 'alice', reason: 'more time' }))
      .resolves.toEqual({ status: 'FAILED', changed: true });
    const [changes] = written;
    expect([...changes.inserts.values()].flatMap((i) => i.rows.map((r) => r.kind))).toEqual(['OPERATOR_RESUME', 'START_REFUSED']);
    expect(changes.status).toMatchObject({ status: 'FAILED', failedStep: null, terminal: true,
      error: expect.stringMatching(/^PAYLOAD_TOO_LARGE: resume requested by alice, but the run's first commands cannot be sent: .*1400000 bytes/) });
  });
});

describe('RunExecutor: a skip on a run started PAUSED that never sent anything', () => {
  it('is refused, writing nothing: no step has failed to skip, so the run is not ended as a refused start', async () => {
    const written: RunChanges[] = [];
    const runs = {
      load: async (): Promise<RunState> => ({ ...newRun(), status: 'PAUSED', error: 'deadline passed: pause' } as RunState),
      update: async (_run: RunState, changes: RunChanges): Promise<WriteResult> => {
        written.push(changes);
        return { written: true, messages: [] };
      },
    } as unknown as RunRepository;
    const executor = executorOver(runs);
    for (const named of [{ stepName: 'reserve' }, {}]) {
      await expect(executor.act(newRun().flowId, { action: 'skip', actor: 'alice', ...named })).rejects.toMatchObject({ code: 'STEP_NOT_FAILED' });
    }
    expect(written).toEqual([]);
  });
});
