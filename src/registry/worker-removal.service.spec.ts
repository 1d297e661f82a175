import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import type { WorkerRegistrationEntity } from './entities/worker-registration.entity';
import type { RegistrationEvents } from './registration-events';
import type { RunsInFlight, StepOfType } from './runs-in-flight';
import type { TemplateRepository } from './template.repository';
import { WorkerInUse } from './worker-in-use';
import { WorkerRemovalService } from './worker-removal.service';

const admin: Principal = { id: 'admin', kind: 'api-key', roles: ['admin'] };
const registration = (objectType: string) =>
  ({ id: 'w1', orchName: 'order', stepName: 'ship', objectType, serviceName: 'shipper', topic: 't', createdAt: new Date(0) }) as WorkerRegistrationEntity;

/** The registration as it is under the template's lock decides, not as it was read before the lock. */
describe('WorkerRemovalService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  function service(before: WorkerRegistrationEntity, underLock: WorkerRegistrationEntity[], runsNeeding: (step: StepOfType) => number) {
    const removed: string[] = [];
    const templates = {
      findWorker: async () => before,
      findByName: async () => ({ ownerService: 'shop' }),
      lockByName: async () => ({ orchName: 'order' }),
      workersOf: async () => underLock,
      removeWorker: async (_m: EntityManager, w: WorkerRegistrationEntity) => void removed.push(w.id),
      refreshReadiness: async () => ({ orchName: 'order', currentVersion: 2, status: 'PENDING', missingSteps: ['ship'] }),
    } as unknown as TemplateRepository;
    const dataSource = { transaction: (work: (m: EntityManager) => unknown) => work({} as EntityManager) } as unknown as DataSource;
    const runs = { countNeeding: async (step: StepOfType) => runsNeeding(step) } as unknown as RunsInFlight;
    const moduleRef = { get: () => runs } as unknown as ModuleRef;
    const events = { emitted: () => undefined } as unknown as RegistrationEvents;
    return { removal: new WorkerRemovalService(dataSource, templates, events, new WorkerInUse(moduleRef)), removed };
  }

  it('counts the runs that need the objectType the registration has under the lock', async () => {
    const { removal, removed } = service(registration('Integer'), [registration('String')], (s) => (s.objectType === 'String' ? 1 : 0));
    await expect(removal.remove('w1', admin, 'c')).rejects.toMatchObject({ code: 'WORKER_IN_USE' });
    expect(removed).toEqual([]);
  });

  it('answers 404 for a registration gone by the time the lock is held', async () => {
    const { removal } = service(registration('String'), [], () => 0);
    await expect(removal.remove('w1', admin, 'c')).rejects.toMatchObject({ code: 'WORKER_REGISTRATION_NOT_FOUND' });
  });
});
