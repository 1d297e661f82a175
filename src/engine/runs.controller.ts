import { Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiAcceptedResponse, ApiBody, ApiConflictResponse, ApiConsumes, ApiHeader, ApiNotFoundResponse, ApiOkResponse,
  ApiOperation, ApiParam, ApiTags,
} from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ParseNamePipe } from '../common/validation/parse-name.pipe';
import { correlationIdOf } from '../common/logging/correlation';
import { RUN_PAYLOAD_MAX_DEPTH } from './core/run-payload';
import { ExecuteResponseDto, RunDetailDto, RunPageDto, RunQueryDto, UndoResponseDto } from './dto/run.dto';
import { RunExecutor } from './run-executor.service';
import { RunQueryService } from './run-query.service';

@ApiTags('runs')
@Controller('api/orchestration')
export class RunsController {
  constructor(private readonly executor: RunExecutor, private readonly queries: RunQueryService) {}

  @Post('execute/:orchName')
  @HttpCode(202)
  @ApiOperation({ summary: 'Start a run of a template; the body (any content type) is the run payload, stored as given' })
  @ApiConsumes('application/json', 'text/plain', 'application/octet-stream')
  @ApiBody({ required: false, schema: { description: `The run payload: any JSON text (a scalar too, nested at most ${RUN_PAYLOAD_MAX_DEPTH} deep), text or bytes` } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', maxLength: 255 },
    description: 'The same key returns the same run (409 with a different payload)' })
  @ApiHeader({ name: 'X-Correlation-ID', required: false, description: 'Echoed back; up to 128 of [A-Za-z0-9_.:-], else a new one is made' })
  @ApiAcceptedResponse({ type: ExecuteResponseDto, description: 'Accepted: RUNNING, or WAITING_FOR_WORKERS with the missing steps' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TEMPLATE_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'IDEMPOTENCY_KEY_REUSED' })
  async execute(
    @Param('orchName', ParseNamePipe) orchName: string,
    @Req() req: Request & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: Response,
  ): Promise<ExecuteResponseDto> {
    // Read from the request, not with @Headers: that would add a second, required header to the API document.
    const idempotencyKey = req.header('idempotency-key');
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
  @ApiOperation({
    summary: 'Undo a COMPLETED or FAILED run: its succeeded steps are undone in reverse order. '
      + 'On a COMPENSATION_FAILED or UNDO_FAILED run, gives each failed undo one more attempt',
  })
  @ApiParam({ name: 'flowId', schema: { type: 'string', format: 'uuid' } })
  @ApiAcceptedResponse({ type: UndoResponseDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RUN_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'RUN_NOT_UNDOABLE: still running, already undone, or expired' })
  async undo(@Param('flowId', new ParseUUIDPipe()) flowId: string, @Res({ passthrough: true }) res: Response): Promise<UndoResponseDto> {
    const status = await this.executor.requestUndo(flowId);
    res.location(`/api/orchestration/runs/${flowId}`);
    return { flowId, status };
  }

  @Get('runs')
  @ApiOperation({ summary: 'List runs (filter by template, status, creation time; stuck=true lists unfinished runs and what they wait for)' })
  @ApiOkResponse({ type: RunPageDto })
  list(@Query() query: RunQueryDto): Promise<RunPageDto> {
    return this.queries.list(query);
  }

  @Get('runs/:flowId')
  @ApiOperation({ summary: "A run with its step timeline: every DO and UNDO attempt, times, outputs and errors" })
  @ApiParam({ name: 'flowId', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: RunDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  get(@Param('flowId', new ParseUUIDPipe()) flowId: string): Promise<RunDetailDto> {
    return this.queries.get(flowId);
  }
}
