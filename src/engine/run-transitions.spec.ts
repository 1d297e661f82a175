import { Logger } from '@nestjs/common';
import { RunChanges } from './run-changes';
import { newRun, stockWorker, transitionsWith } from './run-transitions.fixtures';

describe('RunTransitions dispatching a worker step', () => {
  it('writes the attempt with its command to the worker topic', async () => {
    const transitions = transitionsWith(stockWorker);
    const changes = new RunChanges();
    await transitions.advance(newRun(), changes);
    const commands = changes.messages.filter((m) => m.topic === 'orchestrator.commands.stock');
    expect(commands).toHaveLength(1);
    expect(changes.inserts.values().next().value?.rows[0]).toMatchObject({ stepName: 'reserve', status: 'DISPATCHED',
      target: 'orchestrator.commands.stock', commandId: JSON.parse(commands[0].body.toString()).commandId });
  });

  it('records the attempt in flight without a command when no worker is registered (the healer times it out)', async () => {
    const changes = new RunChanges();
    await transitionsWith(() => Promise.resolve([])).advance(newRun(), changes);
    expect(changes.messages.filter((m) => m.topic.startsWith('orchestrator.commands.'))).toHaveLength(0);
    expect(changes.inserts.values().next().value?.rows[0]).toMatchObject({ stepName: 'reserve', status: 'DISPATCHED', target: null });
  });

  // The fault suite's "command lost in transit" during a PostgreSQL outage: the worker lookup
  // failed, the failure was taken for "no worker", and the write (the database back by then)
  // recorded an attempt whose command was never written; it waited out its whole step timeout.
  it('fails the transition, recording nothing, when the worker lookup hits a database outage', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
    const changes = new RunChanges();
    await expect(transitionsWith(() => Promise.reject(outage)).advance(newRun(), changes)).rejects.toBe(outage);
    expect(changes.inserts.size).toBe(0);
  });
});

describe('RunTransitions logging a run that failed', () => {
  afterEach(() => jest.restoreAllMocks());

  it("names the failed step's error, bounded, in the line of the run's status", async () => {
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const transitions = transitionsWith(stockWorker);
    const error = `Realm creation failed: Invalid configuration ${'x'.repeat(1000)}`;
    const run = { ...newRun(), attempts: [{ stepName: 'reserve', action: 'DO' as const, attempt: 1, status: 'FAILED' as const,
      commandId: 'cmd-1', output: null, error }] };
    const changes = new RunChanges();
    await transitions.advance(run, changes);
    transitions.written(run, changes);
    const [fields, message] = log.mock.calls.at(-1) as [Record<string, unknown>, string];
    expect(message).toMatch(/^run (FAILED|COMPENSAT)/);
    expect(fields).toMatchObject({ flowId: run.flowId, failedStep: 'reserve', error: expect.stringMatching(/^Realm creation failed: Invalid configuration x+…$/) });
    expect((fields.error as string).length).toBeLessThanOrEqual(501);
  });
});
