import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { StepCommand } from '../engine/dispatch/step-command';
import { RunChanges } from '../engine/run-changes';
import { AwxStepDispatcher } from './awx/awx-step.dispatcher';
import { HandlersConfig, loadHandlersConfig } from './handlers-config';
import { JobExecutionEntity } from './job-execution.entity';
import { OoStepDispatcher } from './oo/oo-step.dispatcher';

const config = loadHandlersConfig({
  AWX_HOST: 'https://awx', AWX_TOKEN: 'tok', OO_HOST: 'https://oo/oo', OO_USERNAME: 'u', OO_PASSWORD: 'p',
  OO_CONNECTIONS: 'lab', OO_LAB_HOST: 'https://oo-lab/oo', OO_LAB_USERNAME: 'u', OO_LAB_PASSWORD: 'p',
});

const command = (handler: StepCommand['handler']): StepCommand => ({
  flowId: 'f-1', orchName: 'orch', stepName: 'step', action: 'DO', attempt: 1, commandId: 'c-1', objectType: 'T',
  payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: 'corr', handler, notBefore: new Date(), timeoutSeconds: 60,
});

async function dispatched(dispatcher: { dispatch(changes: RunChanges, c: StepCommand): Promise<string | null> }, c: StepCommand) {
  const changes = new RunChanges();
  const target = await dispatcher.dispatch(changes, c);
  return { target, rows: changes.inserts.get(JobExecutionEntity)?.rows ?? [] };
}

describe('AWX and OO step dispatchers', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('are a provider each, named and typed for their handler, with the handlers config injected', async () => {
    const module = await Test.createTestingModule({
      providers: [{ provide: HandlersConfig, useValue: config }, AwxStepDispatcher, OoStepDispatcher],
    }).compile();

    expect(module.get(AwxStepDispatcher)).toBeInstanceOf(AwxStepDispatcher);
    expect(module.get(OoStepDispatcher)).toBeInstanceOf(OoStepDispatcher);
    expect([module.get(AwxStepDispatcher).type, module.get(OoStepDispatcher).type]).toEqual(['awx', 'oo']);
    // The config reached them: a connection it configures is found.
    expect((await dispatched(module.get(OoStepDispatcher), command({ type: 'oo', connection: 'lab', flowUuid: 'f' }))).rows)
      .toEqual([expect.objectContaining({ connection: 'lab', status: 'PENDING_LAUNCH' })]);
    expect([AwxStepDispatcher.name, OoStepDispatcher.name]).toEqual(['AwxStepDispatcher', 'OoStepDispatcher']);
  });

  it('add a job row of their own type and name its connection as the target', async () => {
    const awx = await dispatched(new AwxStepDispatcher(config), command({ type: 'awx', jobTemplateId: 7 }));
    expect(awx.target).toBe('awx:default');
    expect(awx.rows).toEqual([expect.objectContaining({ targetType: 'AWX', resourceId: '7', status: 'PENDING_LAUNCH' })]);

    const oo = await dispatched(new OoStepDispatcher(config), command({ type: 'oo', connection: 'lab', flowUuid: 'flow-1' }));
    expect(oo.target).toBe('oo:lab');
    expect(oo.rows).toEqual([expect.objectContaining({ targetType: 'OO', resourceId: 'flow-1', connection: 'lab', status: 'PENDING_LAUNCH' })]);
  });

  it('fail a step whose handler cannot be read as a FAILED job row of their own type, not an exception', async () => {
    const broken = command({ type: 'nope' } as unknown as StepCommand['handler']);
    const awx = await dispatched(new AwxStepDispatcher(config), broken);
    const oo = await dispatched(new OoStepDispatcher(config), broken);
    expect([awx.target, oo.target]).toEqual(['awx:default', 'oo:default']);
    expect(awx.rows).toEqual([expect.objectContaining({ targetType: 'AWX', status: 'FAILED', error: expect.any(String) })]);
    expect(oo.rows).toEqual([expect.objectContaining({ targetType: 'OO', status: 'FAILED', error: expect.any(String) })]);
  });
});
