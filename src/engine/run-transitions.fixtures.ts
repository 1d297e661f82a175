// Fixtures shared by the specs of the engine's transitions and executor: a one-step plan, and
// RunTransitions with the real worker dispatcher and directory over a fake worker lookup.
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import type { StepTemplateEntity } from '../registry/entities/step-template.entity';
import type { WorkerRegistrationEntity } from '../registry/entities/worker-registration.entity';
import { RegistrationEvents } from '../registry/registration-events';
import type { TemplateRepository } from '../registry/template.repository';
import { StepDispatchers } from './dispatch/step-dispatchers';
import { WorkerStepDispatcher } from './dispatch/worker-step.dispatcher';
import type { RunState } from './run-changes';
import { RunStatusListeners } from './run-status-listeners';
import { RunTransitions } from './run-transitions';
import type { LoadedPlan, TemplatePlans } from './template-plans';
import { WorkerDirectory } from './worker-directory';

const step = { name: 'reserve', seq: 1, objectType: 'String', timeoutSeconds: 30, retry: null, handler: { type: 'worker' },
  undo: { type: 'worker' }, onFailure: 'compensate' } as unknown as StepTemplateEntity;
export const loaded: LoadedPlan = {
  plan: { type: 'sequential', steps: [{ name: 'reserve', seq: 1, undoable: true, retry: null, onFailure: 'compensate', builtIn: false, dependsOn: [] }] },
  steps: new Map([['reserve', step]]),
  deadline: { seconds: null, onDeadline: 'compensate' },
  ownerService: 'shop',
};
export const plans = { get: () => Promise.resolve(loaded) } as unknown as TemplatePlans;

export const newRun = (): RunState => ({
  flowId: '00000000-0000-4000-8000-000000000001', orchName: 'order', templateId: 't', templateVersion: 1, status: 'RUNNING',
  correlationId: 'c', payload: Buffer.from('{}'), contentType: 'application/json', failedStep: null, version: 0, attempts: [],
});

/** A worker registered for the step `reserve`, on its command topic. */
export const stockWorker = () => Promise.resolve([
  { stepName: 'reserve', objectType: 'String', topic: 'orchestrator.commands.stock', serviceName: 'stock', createdAt: new Date() },
] as WorkerRegistrationEntity[]);

export function transitionsWith(workersOf: () => Promise<WorkerRegistrationEntity[]>): RunTransitions {
  const templates = { workersOf } as unknown as TemplateRepository;
  const dispatchers = new StepDispatchers([new WorkerStepDispatcher(new WorkerDirectory(templates, new RegistrationEvents()))]);
  return new RunTransitions(plans, dispatchers, Object.assign(new AppConfig(), { STEP_TIMEOUT_SECONDS: 60 }), new Metrics(),
    new RunStatusListeners());
}
