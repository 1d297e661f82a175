import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import type { StepTemplateEntity } from '../registry/entities/step-template.entity';
import type { WorkerRegistrationEntity } from '../registry/entities/worker-registration.entity';
import { RegistrationEvents } from '../registry/registration-events';
import type { TemplateRepository } from '../registry/template.repository';
import { StepDispatchers } from './dispatch/step-dispatchers';
import { WorkerStepDispatcher } from './dispatch/worker-step.dispatcher';
import { RunChanges, RunState } from './run-changes';
import { RunStatusListeners } from './run-status-listeners';
import { RunTransitions } from './run-transitions';
import type { LoadedPlan, TemplatePlans } from './template-plans';
import { WorkerDirectory } from './worker-directory';

const step = { name: 'reserve', seq: 1, objectType: 'String', timeoutSeconds: 30, retry: null, handler: { type: 'worker' },
  undo: { type: 'worker' }, onFailure: 'compensate' } as unknown as StepTemplateEntity;
const loaded: LoadedPlan = {
  plan: { type: 'sequential', steps: [{ name: 'reserve', seq: 1, undoable: true, retry: null, onFailure: 'compensate', builtIn: false, dependsOn: [] }] },
  steps: new Map([['reserve', step]]),
  deadline: { seconds: null, onDeadline: 'compensate' },
};

const newRun = (): RunState => ({
  flowId: '00000000-0000-4000-8000-000000000001', orchName: 'order', templateId: 't', templateVersion: 1, status: 'RUNNING',
  correlationId: 'c', payload: Buffer.from('{}'), contentType: 'application/json', failedStep: null, version: 0, attempts: [],
});

/** The engine's transitions with the real worker dispatcher and directory; only the repository under them is a fake. */
function transitionsWith(workersOf: () => Promise<WorkerRegistrationEntity[]>): RunTransitions {
  const plans = { get: () => Promise.resolve(loaded) } as unknown as TemplatePlans;
  const templates = { workersOf } as unknown as TemplateRepository;
  const dispatchers = new StepDispatchers([new WorkerStepDispatcher(new WorkerDirectory(templates, new RegistrationEvents()))]);
  return new RunTransitions(plans, dispatchers, Object.assign(new AppConfig(), { STEP_TIMEOUT_SECONDS: 60 }), new Metrics(),
    new RunStatusListeners());
}

describe('RunTransitions dispatching a worker step', () => {
  it('writes the attempt with its command to the worker topic', async () => {
    const transitions = transitionsWith(() => Promise.resolve([
      { stepName: 'reserve', objectType: 'String', topic: 'orchestrator.commands.stock', serviceName: 'stock', createdAt: new Date() },
    ] as WorkerRegistrationEntity[]));
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
