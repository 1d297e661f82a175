import { Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { StepResultSink } from '../engine/dispatch/step-result';
import { AwxStepDispatcher } from './awx/awx-step.dispatcher';
import { HandlerMetrics } from './handler-metrics';
import { HttpCallStepDispatcher } from './http-call/http-call-step.dispatcher';
import { OutboundTraceHeaders } from './http-call/trace-headers';
import { JobExecutionRepository } from './job-execution.repository';
import { JobExecutionsController } from './job-executions.controller';
import { JobLaunchEvents } from './job-launch-events';
import { JOB_RESULT_SINK, JobRunner, ResultSinkSource } from './job-runner.service';
import { JobTargets } from './job-targets';
import { OoStepDispatcher } from './oo/oo-step.dispatcher';
import { PropagatedTraceHeaders } from '../tracing/propagated-trace-headers';

/**
 * Built-in AWX, OO and http step handlers. Needs, from elsewhere: HandlersConfig (the config module:
 * `loadHandlersConfig(process.env)`), the DataSource, Metrics, and the engine's StepResultSink
 * (looked up when the first result is reported, so the engine may import this module for the
 * dispatchers without a cycle). Exports the dispatchers for the engine's registry.
 */
@Module({
  controllers: [JobExecutionsController],
  providers: [
    JobExecutionRepository, JobTargets, HandlerMetrics, JobRunner, JobLaunchEvents, AwxStepDispatcher, OoStepDispatcher, HttpCallStepDispatcher,
    { provide: OutboundTraceHeaders, useClass: PropagatedTraceHeaders },
    {
      provide: JOB_RESULT_SINK,
      inject: [ModuleRef],
      useFactory: (moduleRef: ModuleRef): ResultSinkSource => {
        let sink: StepResultSink | undefined;
        return () => {
          sink ??= moduleRef.get<StepResultSink, StepResultSink>(StepResultSink, { strict: false });
          return sink;
        };
      },
    },
  ],
  exports: [AwxStepDispatcher, OoStepDispatcher, JobExecutionRepository, JobRunner, JobLaunchEvents, JobTargets, HttpCallStepDispatcher],
})
export class HandlersModule {}
