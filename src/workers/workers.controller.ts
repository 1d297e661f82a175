import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse, ApiBody, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse,
} from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Roles } from '../auth/access.decorator';
import { ApiKeyService } from '../auth/api-keys/api-key.service';
import { CurrentPrincipal } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { AppError } from '../common/errors/app-error';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { stepReplySchema } from '../engine/messages/step-reply.schema';
import { brokerRouteOf } from '../messaging/broker-route';
import { BrokerRouteDto } from './dto/broker-route.dto';
import { LeaseDto, LeaseParamDto, LeaseReplyResultDto, PollParamDto, PollQueryDto, ServiceParamDto, STEP_REPLY_BODY } from './dto/worker-http.dto';
import { PresenceDto, PresenceParamDto, ServicePresenceDto } from './dto/presence.dto';
import { WorkerPresence } from './worker-presence.service';
import { WorkerReplies } from './worker-replies.service';

/**
 * The HTTP transport for workers: long-poll for commands under a lease, reply, heartbeat, drop or
 * release by lease. Works on every deployment, the embedded default included (the SDK's `transport: 'http'`).
 */
@ApiTags('workers')
@Controller('api/workers/:service')
export class WorkersController {
  constructor(
    private readonly replies: WorkerReplies, private readonly presence: WorkerPresence, private readonly keys: ApiKeyService,
    private readonly config: AppConfig,
  ) {}

  @Get('broker')
  @Roles('service')
  @ApiOperation({ summary: "Baton's broker, reply topic and exchange, which a worker on a broker must share (the SDK checks them before it declares anything)" })
  @ApiOkResponse({ type: BrokerRouteDto })
  broker(@Param() _param: ServiceParamDto): BrokerRouteDto {
    return brokerRouteOf(this.config);
  }

  @Post('presence')
  @HttpCode(204)
  @Roles('service')
  @ApiOperation({ summary: 'A worker instance is alive and handles these steps (the SDK sends it every few seconds)' })
  @ApiNoContentResponse()
  @ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'TOO_MANY_WORKER_INSTANCES: a new instance of a service that has '
    + 'WORKER_INSTANCES_PER_SERVICE live ones already (Retry-After: the presence TTL)' })
  beat(@Param() { service }: ServiceParamDto, @Body() body: PresenceDto): Promise<void> {
    return this.presence.beat(service, body);
  }

  @Delete('presence/:instanceId')
  @HttpCode(204)
  @Roles('service')
  @ApiOperation({ summary: 'A worker instance stopped' })
  @ApiNoContentResponse()
  leave(@Param() { service, instanceId }: PresenceParamDto): Promise<void> {
    return this.presence.leave(service, instanceId);
  }

  @Get('instances')
  @Roles('viewer', 'operator', 'service')
  @ApiOperation({ summary: "The service's live instances (count, last seen, SDK version, host), overall and per step" })
  @ApiOkResponse({ type: ServicePresenceDto })
  instances(@Param() { service }: ServiceParamDto): Promise<ServicePresenceDto> {
    return this.presence.of(service);
  }

  @Get('commands')
  @Roles('service')
  @ApiOperation({ summary: 'Long-poll for commands: answers as soon as one is there, or with [] after `wait` ms' })
  @ApiOkResponse({ type: [LeaseDto] })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'INVALID_REQUEST (a parameter is invalid, or the service is named in Baton\'s own '
    + 'consumer groups) or WORKER_TOPIC_NOT_ALLOWED (the service\'s command topic is one no worker may register: a dead-letter topic or Baton\'s own)' })
  @ApiTooManyRequestsResponse({ type: ErrorBodyDto, description: 'TOO_MANY_POLLS: the service holds WORKER_POLLS_PER_SERVICE polls on this '
    + 'instance already; or TOO_MANY_AUTH_FAILURES / TOO_MANY_AUTH_CHECKS from this address. Try again after Retry-After seconds' })
  async poll(
    @Param() { service }: PollParamDto, @Query() query: PollQueryDto, @Res({ passthrough: true }) res: FastifyReply,
    @CurrentPrincipal() principal: Principal,
  ): Promise<LeaseDto[]> {
    // HEAD (answered like GET, without the body) must not lease commands no one will read.
    if (res.request.method === 'HEAD') return [];
    const gone = new AbortController();
    res.raw.on('close', () => gone.abort());
    // A poller gone while its key was checked: 'close' fired before anyone listened.
    if (res.raw.destroyed) gone.abort();
    // A key revoked or expired while its poll waits gets no command: the poll ends as the next request would.
    let retired: 'revoked' | 'expired' | undefined;
    const stopWatching = this.keys.onRetired(principal, (why) => {
      retired = why;
      gone.abort();
    });
    try {
      const leases = await this.replies.poll(service, query.max, query.wait, gone.signal);
      if (retired) throw new AppError(ErrorCode.UNAUTHENTICATED, `Authentication required: API key ${principal.id} is ${retired}`);
      return leases as LeaseDto[];
    } finally {
      stopWatching();
    }
  }

  @Post('leases/:leaseId/reply')
  @HttpCode(200)
  @Roles('service')
  @ApiOperation({ summary: 'Reply to a leased command (SUCCESS, FAILED) or renew its lease (HEARTBEAT)' })
  @ApiBody(STEP_REPLY_BODY)
  @ApiOkResponse({ type: LeaseReplyResultDto })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'Not a reply, no `commandId`, or not one for the leased command' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such command of the service: the lease is unknown here and no attempt has this commandId '
    + '(another service\'s command is not found either); or a HEARTBEAT under a lease its worker released: the command went back to the pollers' })
  async reply(@Param() { service, leaseId }: LeaseParamDto, @Body() body: unknown): Promise<LeaseReplyResultDto> {
    const parsed = stepReplySchema.safeParse(body);
    if (!parsed.success) {
      throw new AppError(ErrorCode.INVALID_REQUEST, 'Not a step reply', parsed.error.issues.map((i) => ({
        path: ['body', ...i.path].join('.'), message: i.message,
      })));
    }
    return { outcome: await this.replies.reply(service, leaseId, parsed.data) };
  }

  @Delete('leases/:leaseId')
  @HttpCode(204)
  @Roles('service')
  @ApiOperation({ summary: 'Drop a leased command without replying (the worker found it past its deadline)' })
  @ApiNoContentResponse({ description: 'Dropped once the database finds the command past its deadline; until then, and on an instance without the lease, left to its lease, which acknowledges it once past its deadline' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such lease here, and no attempt has the command its id names' })
  drop(@Param() { service, leaseId }: LeaseParamDto): Promise<void> {
    return this.replies.drop(service, leaseId);
  }

  @Post('leases/:leaseId/release')
  @HttpCode(204)
  @Roles('service')
  @ApiOperation({ summary: 'Hand a leased command back unanswered, for the next poller at once (the worker will not run it: its start failed after its first poll leased it)' })
  @ApiNoContentResponse({ description: 'Given back by the instance holding the lease. On an instance without it (another instance holds it, '
    + 'or it was released or expired already), the command its id names is left to its lease, which offers it again once it expires' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'No such lease here, and no attempt of the service has the command its id names (another service\'s command is not found either)' })
  release(@Param() { service, leaseId }: LeaseParamDto): Promise<void> {
    return this.replies.release(service, leaseId);
  }
}
