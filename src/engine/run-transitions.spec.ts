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
