import { Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBody, ApiConflictResponse, ApiConsumes, ApiHeader, ApiNotFoundResponse, ApiOkResponse,
  ApiOperation, ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Roles } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { assertMayRead, ownServiceOnly } from '../auth/service-scope';
import { TemplateRepository } from '../registry/template.repository';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { correlationIdOf } from '../common/logging/correlation';
import { ExecuteResponseDto, RunDetailDto, RunPageDto, RunQueryDto, UndoResponseDto } from './dto/run.dto';
import { RunExecutor } from './run-executor.service';
import { RunQueryService } from './run-query.service';

@ApiTags('runs')
@Controller('api/orchestration')
export class RunsController {
  constructor(
    private readonly executor: RunExecutor,
    private readonly queries: RunQueryService,
    private readonly templates: TemplateRepository,
  ) {}

  @Post('execute/:orchName')
  @HttpCode(202)
  @Roles('service', 'operator')
  @ApiOperation({ summary: 'Start a run of a template; the body (any content type) is the run payload, stored as given' })
  @ApiConsumes('application/json', 'text/plain', 'application/octet-stream')
  @ApiBody({ required: false, schema: { description: 'The run payload' } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'The same key returns the same run (409 with a different payload)' })
  @ApiHeader({ name: 'X-Correlation-ID', required: false })
  @ApiAcceptedResponse({ type: ExecuteResponseDto, description: 'Accepted: RUNNING, or WAITING_FOR_WORKERS with the missing steps' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TEMPLATE_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'IDEMPOTENCY_KEY_REUSED' })
  async execute(
    @Param('orchName') orchName: string,
    @Req() req: Request & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: Response,
    @Headers('idempotency-key') idempotencyKey?: string,
  ): Promise<ExecuteResponseDto> {
    const payload = req.rawBody ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    const run = await this.executor.start({
      orchName, payload, contentType: req.headers['content-type'] ?? 'application/octet-stream',
      correlationId: correlationIdOf(req), idempotencyKey: idempotencyKey || undefined,
    });
    res.location(`/api/orchestration/runs/${run.flowId}`);
    return run;
  }

  @Post('undo/:flowId')
  @HttpCode(202)
  @Roles('operator')
  @ApiOperation({
    summary: 'Undo a COMPLETED or FAILED run: its succeeded steps are undone in reverse order. '
      + 'On a COMPENSATION_FAILED or UNDO_FAILED run, gives each failed undo one more attempt',
  })
  @ApiAcceptedResponse({ type: UndoResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RUN_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'RUN_NOT_UNDOABLE: still running, already undone, or expired' })
  async undo(@Param('flowId', new ParseUUIDPipe()) flowId: string, @Res({ passthrough: true }) res: Response): Promise<UndoResponseDto> {
    const status = await this.executor.requestUndo(flowId);
    res.location(`/api/orchestration/runs/${flowId}`);
    return { flowId, status };
  }

  @Get('runs')
  @Roles('viewer', 'operator')
  @ApiOperation({ summary: 'List runs (filter by template, status, creation time; stuck=true lists unfinished runs and what they wait for)' })
  @ApiOkResponse({ type: RunPageDto })
  list(@Query() query: RunQueryDto): Promise<RunPageDto> {
    return this.queries.list(query);
  }

  @Get('runs/:flowId')
  @Roles('viewer', 'operator', 'service')
  @ApiOperation({ summary: 'A run with its step timeline: every DO and UNDO attempt, times, outputs and errors (a service key: runs of its own templates)' })
  @ApiOkResponse({ type: RunDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  async get(@Param('flowId', new ParseUUIDPipe()) flowId: string, @CurrentPrincipal() principal: Principal): Promise<RunDetailDto> {
    const run = await this.queries.get(flowId);
    if (ownServiceOnly(principal) !== undefined) {
      assertMayRead(principal, (await this.templates.findByName(run.orchName))?.ownerService, `run ${flowId}`);
    }
    return run;
  }
}
