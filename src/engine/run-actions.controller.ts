import { applyDecorators, Body, Controller, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ParseUuidPipe } from '../common/validation/parse-uuid.pipe';
import {
  ApiAcceptedResponse, ApiBadRequestResponse, ApiBody, ApiConflictResponse, ApiNotFoundResponse, ApiOperation, ApiParam, ApiTags,
} from '@nestjs/swagger';
import type { FastifyRequest as Request } from 'fastify';
import { Roles } from '../auth/access.decorator';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { correlationIdOf } from '../common/logging/correlation';
import type { OperatorAction } from './core/operator-action';
import { RunActionBodyDto, RunActionResponseDto, SkipActionBodyDto, StepActionBodyDto, TerminateQueryDto } from './dto/run-action.dto';
import { RunExecutor } from './run-executor.service';

/** The OpenAPI description of one action: what it does and the 409 codes it may answer. */
function ActionDocs(summary: string, conflicts: string, body: typeof RunActionBodyDto = RunActionBodyDto) {
  return applyDecorators(
    Roles('operator'),
    HttpCode(202),
    ApiOperation({ summary }),
    ApiBody({ type: body, required: false }),
    ApiAcceptedResponse({ type: RunActionResponseDto, description: 'Done, or nothing to do (changed: false)' }),
    ApiBadRequestResponse({ type: ErrorBodyDto, description: 'INVALID_REQUEST' }),
    ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RUN_NOT_FOUND, STEP_NOT_FOUND' }),
    ApiConflictResponse({ type: ErrorBodyDto, description: conflicts }),
  );
}

/** The 409 codes of a retry or a skip. */
const STEP_ACTION_CONFLICTS = 'STEP_NOT_FAILED, RUN_HAS_FAILED_STEP (another failed step would unwind the run: retry or skip it first, or '
  + 'compensate), STEP_NAME_REQUIRED (several steps failed, or another step was retried or skipped from the attempt given: name the step), '
  + 'RUN_NOT_PAUSED, RUN_FINISHED';

/** Who asked: the principal the auth guard put on the request, when there is one. */
const actorOf = (req: Request): string => (req as Request & { principal?: Principal }).principal?.id ?? 'anonymous';

/** Operator actions on live runs; each is idempotent and recorded on the run's timeline with who asked and why. */
@ApiTags('runs')
@ApiParam({ name: 'flowId', schema: { type: 'string', format: 'uuid' } })
@Controller('api/orchestration/runs/:flowId')
export class RunActionsController {
  constructor(private readonly executor: RunExecutor) {}

  @Post('terminate')
  @ActionDocs('Stop a run: compensate=true (default) undoes what succeeded and ends FAILED (COMPENSATION_FAILED, with the reason, if its undos '
    + 'are too large to send); false ends TERMINATED with effects left in place, and drops its commands not published yet',
    'RUN_FINISHED')
  terminate(@Param('flowId', ParseUuidPipe) flowId: string, @Query() query: TerminateQueryDto,
    @Body() body: RunActionBodyDto, @Req() req: Request): Promise<RunActionResponseDto> {
    return this.act(flowId, 'terminate', body, req, query.compensate);
  }

  @Post('pause')
  @ActionDocs('Pause a RUNNING run: nothing new is dispatched; results of steps in flight are still recorded', 'RUN_NOT_RUNNING, RUN_FINISHED')
  pause(@Param('flowId', ParseUuidPipe) flowId: string, @Body() body: RunActionBodyDto, @Req() req: Request): Promise<RunActionResponseDto> {
    return this.act(flowId, 'pause', body, req);
  }

  @Post('resume')
  @ActionDocs('Resume a PAUSED run from where it stands (one that never sent anything, started PAUSED by its deadline, ends FAILED with the reason '
    + 'if its first commands are too large to send)', 'RUN_NOT_PAUSED, RUN_HAS_FAILED_STEP (retry, skip or compensate it), RUN_FINISHED')
  resume(@Param('flowId', ParseUuidPipe) flowId: string, @Body() body: RunActionBodyDto, @Req() req: Request): Promise<RunActionResponseDto> {
    return this.act(flowId, 'resume', body, req);
  }

  @Post('retry')
  @ActionDocs('Retry a failed step with a fresh attempt budget (PAUSED run, or RUNNING with other branches in flight)',
    STEP_ACTION_CONFLICTS,
    StepActionBodyDto)
  retry(@Param('flowId', ParseUuidPipe) flowId: string, @Body() body: StepActionBodyDto, @Req() req: Request): Promise<RunActionResponseDto> {
    return this.act(flowId, 'retry', body, req);
  }

  @Post('skip')
  @ActionDocs('Skip a failed step: recorded as SKIPPED, with an optional output later steps see; it has no undo',
    STEP_ACTION_CONFLICTS,
    SkipActionBodyDto)
  skip(@Param('flowId', ParseUuidPipe) flowId: string, @Body() body: SkipActionBodyDto, @Req() req: Request): Promise<RunActionResponseDto> {
    return this.act(flowId, 'skip', body, req);
  }

  @Post('compensate')
  @ActionDocs('Unwind a PAUSED run: undo what succeeded, in reverse order, and end FAILED (COMPENSATION_FAILED, with the reason, '
    + 'if its undos are too large to send)', 'RUN_NOT_PAUSED, RUN_FINISHED')
  compensate(@Param('flowId', ParseUuidPipe) flowId: string, @Body() body: RunActionBodyDto, @Req() req: Request): Promise<RunActionResponseDto> {
    return this.act(flowId, 'compensate', body, req);
  }

  private async act(flowId: string, action: OperatorAction, body: SkipActionBodyDto, req: Request, compensate?: boolean): Promise<RunActionResponseDto> {
    const { status, changed } = await this.executor.act(flowId, {
      action, stepName: body.stepName, attempt: body.attempt, output: body.output, reason: body.reason, compensate, actor: actorOf(req),
      correlationId: correlationIdOf(req),
    });
    return { flowId, action, status, changed };
  }
}
