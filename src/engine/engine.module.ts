import { Module } from '@nestjs/common';
import { AwxStepDispatcher } from '../handlers/awx/awx-step.dispatcher';
import { HandlersModule } from '../handlers/handlers.module';
import { HttpCallStepDispatcher } from '../handlers/http-call/http-call-step.dispatcher';
import { OoStepDispatcher } from '../handlers/oo/oo-step.dispatcher';
import { RegistryModule } from '../registry/registry.module';
import { RunsInFlight } from '../registry/runs-in-flight';
import { CurrentTemplates } from './current-templates';
import { StepDispatcher } from './dispatch/step-command';
import { StepDispatchers } from './dispatch/step-dispatchers';
import { StepResultSink } from './dispatch/step-result';
import { WorkerStepDispatcher } from './dispatch/worker-step.dispatcher';
import { ExecutionStartConsumer } from './messages/execution-start.consumer';
import { StepReplyConsumer } from './messages/step-reply.consumer';
import { RunExecutor } from './run-executor.service';
import { RunQueryService } from './run-query.service';
import { RunRepository } from './run.repository';
import { RunStatusListeners } from './run-status-listeners';
import { RunStateCache } from './run-state-cache';
import { RunTransitions } from './run-transitions';
import { RunActionsController } from './run-actions.controller';
import { RunsController } from './runs.controller';
import { RunsInFlightQuery } from './runs-in-flight.query';
import { RunStatsController } from './stats/run-stats.controller';
import { RunStatsService } from './stats/run-stats.service';
import { StepHeartbeats } from './step-heartbeats.service';
import { TemplatePlans } from './template-plans';
import { WorkerDirectory } from './worker-directory';


@Module({
  imports: [RegistryModule, HandlersModule],
  controllers: [RunsController, RunActionsController, RunStatsController],
  providers: [
    RunExecutor, RunTransitions, RunRepository, RunStateCache, RunStatusListeners, CurrentTemplates, RunQueryService, RunStatsService,
    TemplatePlans, WorkerDirectory,
    WorkerStepDispatcher, StepReplyConsumer, ExecutionStartConsumer, StepHeartbeats,
    { provide: StepResultSink, useExisting: RunExecutor },
    { provide: RunsInFlight, useClass: RunsInFlightQuery },
    {
      provide: StepDispatchers,
      inject: [WorkerStepDispatcher, AwxStepDispatcher, OoStepDispatcher, HttpCallStepDispatcher],
      useFactory: (...dispatchers: StepDispatcher[]) => new StepDispatchers(dispatchers),
    },
  ],
  exports: [RunExecutor, StepResultSink, RunRepository, RunTransitions, RunStatusListeners, StepHeartbeats, RunStateCache],
})
export class EngineModule {}
