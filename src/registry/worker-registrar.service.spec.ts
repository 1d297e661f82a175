import 'reflect-metadata';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { WorkerDocument } from './document';
import type { TemplateRepository } from './template.repository';
import type { WorkerInUse } from './worker-in-use';
import { WorkerRegistrar } from './worker-registrar.service';

/**
 * Two services registering one pattern topic at once must not each find it free. The scenario
 * "both register it at once" cannot show a missing lock on the embedded database, which runs one
 * transaction at a time: this pins that the registrar asks under the topic's lock.
 */
describe('WorkerRegistrar, a pattern topic', () => {
  const m = {} as EntityManager;
  const doc = { orchName: 'order', role: 'worker', steps: [{ name: 'pay', objectType: 'String' }] } as unknown as WorkerDocument;

  function registrar(taken: boolean) {
    const templates = {
      lockByName: jest.fn(async () => null),
      topicTaken: jest.fn(async () => taken),
      stepsOf: jest.fn(async () => []),
    };
    return { templates, registrar: new WorkerRegistrar(templates as unknown as TemplateRepository, new AppConfig(), {} as WorkerInUse) };
  }

  it('asks whether another service has it under the topic\'s lock, after the template\'s, before reading the template\'s steps', async () => {
    const { templates, registrar: r } = registrar(true);
    await expect(r.apply(m, doc, 'svc-b', 'legacy.pay')).rejects.toMatchObject({ code: 'WORKER_TOPIC_NOT_ALLOWED' });
    expect(templates.topicTaken).toHaveBeenCalledWith(m, 'legacy.pay', 'svc-b', true);
    expect(templates.lockByName.mock.invocationCallOrder[0]).toBeLessThan(templates.topicTaken.mock.invocationCallOrder[0]);
    expect(templates.stepsOf).not.toHaveBeenCalled();
  });

  it('does not ask of a topic under the command prefix, which only its own service may take', async () => {
    const { templates, registrar: r } = registrar(true);
    await r.apply(m, doc, 'svc-b', 'orchestrator.commands.svc-b').catch(() => undefined);
    expect(templates.topicTaken).not.toHaveBeenCalled();
  });
});
