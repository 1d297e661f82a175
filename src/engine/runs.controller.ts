import { Controller, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ParseUuidPipe } from '../common/validation/parse-uuid.pipe';
import {
  ApiAcceptedResponse, ApiBody, ApiConflictResponse, ApiConsumes, ApiHeader, ApiNotFoundResponse, ApiOkResponse,
  ApiOperation, ApiParam, ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerText } from '../common/http/header-text';
import { MAX_NAME_LENGTH } from '../common/validation/query-values';
import { Roles } from '../auth/access.decorator';
import { AppError } from '../common/errors/app-error';
import { CurrentPrincipal } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { ownServiceOnly, ownTemplatesOnly } from '../auth/service-scope';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ErrorCode } from '../common/errors/error-code';
import { ParseNamePipe } from '../common/validation/parse-name.pipe';
import { IDEMPOTENCY_KEY } from '../common/validation/request-guard';
import { correlationIdOf } from '../common/logging/correlation';
import { MAX_DEADLINE_SECONDS } from '../registry/document/registration-document.schema';
import { RUN_PAYLOAD_MAX_DEPTH } from './core/run-payload';
import { ExecuteResponseDto, RunDetailDto, RunPageDto, RunQueryDto, UndoResponseDto } from './dto/run.dto';
import { RunExecutor } from './run-executor.service';
import { RunQueryService } from './run-query.service';

/** The X-Deadline-Seconds header: a whole number of seconds within bounds, or absent. */
function deadlineSecondsOf(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const seconds = /^\d{1,8}$/.test(header) ? Number(header) : NaN;
  if (!(seconds >= 1 && seconds <= MAX_DEADLINE_SECONDS)) {
    throw new AppError(ErrorCode.INVALID_REQUEST, `X-Deadline-Seconds must be a whole number from 1 to ${MAX_DEADLINE_SECONDS}`,
      [{ path: 'headers.x-deadline-seconds', message: `must be a whole number from 1 to ${MAX_DEADLINE_SECONDS}` }]);
  }
  return seconds;
}

@ApiTags('runs')
@Controller('api/orchestration')
export class RunsController {
  constructor(
    private readonly executor: RunExecutor,
    private readonly queries: RunQueryService,
  ) {}

  @Post('execute/:orchName')
  @ApiParam({ name: 'orchName', schema: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH } })
  @HttpCode(202)
  @Roles('service', 'operator')
  @ApiOperation({ summary: 'Start a run of a template; the body (any content type) is the run payload, stored as given' })
  @ApiConsumes('application/json', 'text/plain', 'application/octet-stream')
  @ApiBody({ required: false, schema: { description: `The run payload: any JSON text (a scalar too, nested at most ${RUN_PAYLOAD_MAX_DEPTH} deep, `
    + `numbers within ±${Number.MAX_SAFE_INTEGER}, as larger ones would not reach a worker exactly), text or bytes` } })
  @ApiHeader({ name: 'Idempotency-Key', required: false, schema: { type: 'string', minLength: 1, maxLength: 255, pattern: IDEMPOTENCY_KEY.source },
    description: 'The same key returns the same run (409 with a different payload); printable ASCII, not blank' })
  @ApiHeader({ name: 'X-Correlation-ID', required: false, description: 'Echoed back; up to 128 of [A-Za-z0-9_.:-], else a new one is made' })
  @ApiHeader({ name: 'X-Deadline-Seconds', required: false, schema: { type: 'integer', minimum: 1, maximum: MAX_DEADLINE_SECONDS },
    description: `This run's deadline (1-${MAX_DEADLINE_SECONDS}), instead of its template's` })
  @ApiAcceptedResponse({ type: ExecuteResponseDto, description: 'Accepted: RUNNING, or WAITING_FOR_WORKERS with the missing steps' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'TEMPLATE_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'IDEMPOTENCY_KEY_REUSED' })
  async execute(
    @Param('orchName', ParseNamePipe) orchName: string,
    @Req() req: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: FastifyReply,
    @CurrentPrincipal() principal: Principal | undefined,
  ): Promise<ExecuteResponseDto> {
    // Read from the request, not with @Headers: that would add a second, required header to the API document.
    const idempotencyKey = headerText(req.headers, 'idempotency-key');
    const deadline = headerText(req.headers, 'x-deadline-seconds');
    const payload = req.rawBody ?? (Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0));
    const run = await this.executor.start({
      orchName, payload, contentType: req.headers['content-type'] ?? 'application/octet-stream',
      correlationId: correlationIdOf(req), idempotencyKey, deadlineSeconds: deadlineSecondsOf(deadline),
      ownerService: ownTemplatesOnly(principal),
    });
    res.header('Location', `/api/orchestration/runs/${run.flowId}`);
    return run;
  }

  @Post('undo/:flowId')
  @HttpCode(202)
  @Roles('operator')
  @ApiOperation({
    summary: 'Undo a COMPLETED or FAILED run: its succeeded steps are undone in reverse order (it ends UNDO_FAILED, with the reason, '
      + 'if its undos are too large to send). On a COMPENSATION_FAILED or UNDO_FAILED run, gives each failed undo one more attempt, '
      + 'or, with none failed (its undos could not be sent), resumes the unwind: 413 PAYLOAD_TOO_LARGE, the run left as it is, if they still cannot be. '
      + 'On a run already UNDOING or UNDONE, nothing is done (`changed: false`): a click sent twice undoes once',
  })
  @ApiParam({ name: 'flowId', schema: { type: 'string', format: 'uuid' } })
  @ApiAcceptedResponse({ type: UndoResponseDto, description: 'Done, or nothing to do (changed: false)' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'RUN_NOT_FOUND' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'RUN_NOT_UNDOABLE: still running, expired, or terminated' })
  async undo(@Param('flowId', ParseUuidPipe) flowId: string, @Res({ passthrough: true }) res: FastifyReply,
    @CurrentPrincipal() principal: Principal): Promise<UndoResponseDto> {
    // An operator route: the guard always sets the principal (anonymous with AUTH_MODE=off).
    const { status, changed } = await this.executor.requestUndo(flowId, principal.id);
    res.header('Location', `/api/orchestration/runs/${flowId}`);
    return { flowId, status, changed };
  }

  @Get('runs')
  @Roles('viewer', 'operator', 'service')
  @ApiOperation({ summary: 'List runs (filter by template, status, creation time; stuck=true lists unfinished runs and what they wait for; a service key: runs of its own templates)' })
  @ApiOkResponse({ type: RunPageDto })
  list(@Query() query: RunQueryDto, @CurrentPrincipal() principal: Principal): Promise<RunPageDto> {
    return this.queries.list(query, ownServiceOnly(principal));
  }

  @Get('runs/:flowId')
  @Roles('viewer', 'operator', 'service')
  @ApiOperation({ summary: 'A run with its step timeline: every DO and UNDO attempt, times, outputs and errors (a service key: runs of its own templates)' })
  @ApiParam({ name: 'flowId', schema: { type: 'string', format: 'uuid' } })
  @ApiOkResponse({ type: RunDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  get(@Param('flowId', ParseUuidPipe) flowId: string, @CurrentPrincipal() principal: Principal): Promise<RunDetailDto> {
    return this.queries.get(flowId, ownServiceOnly(principal));
  }
}
