import { Module } from '@nestjs/common';
import { AwxStepDispatcher } from '../handlers/awx/awx-step.dispatcher';
import { HandlersModule } from '../handlers/handlers.module';
import { OoStepDispatcher } from '../handlers/oo/oo-step.dispatcher';
import { RegistryModule } from '../registry/registry.module';
import { CurrentTemplates } from './current-templates';
import { DemoWorker } from './demo/demo-worker.service';
import { StepDispatcher } from './dispatch/step-command';
import { StepDispatchers } from './dispatch/step-dispatchers';
import { StepResultSink } from './dispatch/step-result';
import { WorkerStepDispatcher } from './dispatch/worker-step.dispatcher';
import { ExecutionStartConsumer } from './messages/execution-start.consumer';
import { StepReplyConsumer } from './messages/step-reply.consumer';
import { RunExecutor } from './run-executor.service';
import { RunQueryService } from './run-query.service';
import { RunRepository } from './run.repository';
import { RunStateCache } from './run-state-cache';
import { RunTransitions } from './run-transitions';
import { RunsController } from './runs.controller';
import { StepHeartbeats } from './step-heartbeats.service';
import { TemplatePlans } from './template-plans';
import { WorkerDirectory } from './worker-directory';


@Module({
  imports: [RegistryModule, HandlersModule],
  controllers: [RunsController],
  providers: [
    RunExecutor, RunTransitions, RunRepository, RunStateCache, CurrentTemplates, RunQueryService, TemplatePlans, WorkerDirectory,
    WorkerStepDispatcher, StepReplyConsumer, ExecutionStartConsumer, DemoWorker, StepHeartbeats,
    { provide: StepResultSink, useExisting: RunExecutor },
    {
      provide: StepDispatchers,
      inject: [WorkerStepDispatcher, AwxStepDispatcher, OoStepDispatcher],
      useFactory: (...dispatchers: StepDispatcher[]) => new StepDispatchers(dispatchers),
    },
  ],
  exports: [RunExecutor, StepResultSink, RunRepository, RunTransitions, StepHeartbeats],
})
export class EngineModule {}
