import { Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ParseUuidPipe } from '../common/validation/parse-uuid.pipe';
import {
  ApiBadRequestResponse, ApiBody, ApiConsumes, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader,
  ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiParam, ApiTags,
} from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteConfig } from '@nestjs/platform-fastify';
import { Roles } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal';
import { ownServiceOnly } from '../auth/service-scope';
import type { Principal } from '../auth/principal';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { CorrelationId, correlationIdOf } from '../common/logging/correlation';
import { ParseNamePipe } from '../common/validation/parse-name.pipe';
import { YAML_TYPES } from '../common/http/body-parsers';
import { headerText } from '../common/http/header-text';
import { MAX_NAME_LENGTH, NAME_PATTERN } from './document/registration-document.schema';
import { REGISTRATION_BODY_SCHEMA, RegistrationResultDto } from './dto/registration.dto';
import {
  AuditPageDto, AuditQueryDto, TemplateDetailDto, TemplateDetailQueryDto, TemplatePageDto, TemplateQueryDto, WorkerDto, WorkerPageDto, WorkerQueryDto,
} from './dto/template.dto';
import { RemoveWorkerQueryDto } from './dto/remove-worker-query.dto';
import { WorkerServicePageDto, WorkerServiceQueryDto } from './dto/worker-service.dto';
import { RegistryQueryService } from './registry-query.service';
import { RegistryService } from './registry.service';
import { WorkerRemovalService } from './worker-removal.service';

@ApiTags('registry')
@Controller('api/orchestration')
export class RegistryController {
  constructor(
    private readonly registry: RegistryService,
    private readonly queries: RegistryQueryService,
    private readonly removal: WorkerRemovalService,
  ) {}

  @Post('register')
  @RouteConfig({ readsItsBody: true })
  @HttpCode(200)
  @Roles('service')
  @ApiOperation({ summary: 'Register an initiator template or a worker, in JSON or YAML' })
  @ApiConsumes('application/json', ...YAML_TYPES)
  @ApiHeader({ name: 'X-Service-Name', required: false, schema: { type: 'string', maxLength: MAX_NAME_LENGTH, pattern: NAME_PATTERN.source },
    description: 'The registering service (or a `service` field in the document)' })
  @ApiBody(REGISTRATION_BODY_SCHEMA)
  @ApiCreatedResponse({ type: RegistrationResultDto, description: 'A new template, template version or worker registration' })
  @ApiOkResponse({ type: RegistrationResultDto, description: 'Unchanged: the same document was registered before' })
  @ApiBadRequestResponse({ type: ErrorBodyDto, description: 'INVALID_DOCUMENT (every problem listed, with line/column for YAML), '
    + 'INVALID_REQUEST (an X-Service-Name that is no service name), WORKER_TOPIC_NOT_ALLOWED (not the service\'s own command topic, or a RabbitMQ queue name over 255 bytes) or MISSING_SERVICE_NAME' })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'TEMPLATE_OWNED_BY_OTHER_SERVICE (also any `orca.` name but for baton-orca), TEMPLATE_LIMIT_REACHED (a new template beyond MAX_TEMPLATES_PER_SERVICE, or a worker past 200 steps of one template), CONNECTION_NOT_ALLOWED (a built-in step naming a connection whose SERVICES does not list the service), '
    + 'SERVICE_NAME_MISMATCH (a service key naming another service) or WORKER_NOT_ALLOWED (not in the template\'s `workers:`)' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'OBJECT_TYPE_MISMATCH' })
  async register(
    @CurrentPrincipal() principal: Principal,
    @Req() req: FastifyRequest & { rawBody?: Buffer },
    @Res({ passthrough: true }) res: FastifyReply,
  ): Promise<RegistrationResultDto> {
    // Read from the request, not with @Headers: that would add duplicate, required headers to the API document.
    const result = await this.registry.register({
      // The bytes as sent (every body parser keeps them; no body is none), as a document on the topic
      // is read: a JSON body that is a string holding JSON is then a string, not a second document,
      // and the audit keeps the text as it came. @ApiBody documents the body; nothing parses it here.
      body: req.rawBody ?? '', contentType: headerText(req.headers, 'content-type'), serviceName: headerText(req.headers, 'x-service-name'),
      source: 'http', principal, ip: req.ip, target: 'POST /api/orchestration/register',
      correlationId: correlationIdOf(req),
    });
    if (result.outcome !== 'UNCHANGED') res.status(201);
    return result;
  }

  @Get('templates')
  @Roles('viewer', 'operator', 'service')
  @ApiOperation({ summary: 'List templates with status, version, missing steps and owner (a service key: its own templates)' })
  @ApiOkResponse({ type: TemplatePageDto })
  templates(@Query() query: TemplateQueryDto, @CurrentPrincipal() principal: Principal): Promise<TemplatePageDto> {
    return this.queries.templates(query, ownServiceOnly(principal));
  }

  @Get('templates/:orchName')
  @ApiParam({ name: 'orchName', schema: { type: 'string', minLength: 1, maxLength: MAX_NAME_LENGTH } })
  @Roles('viewer', 'operator', 'service')
  @ApiOperation({ summary: 'One template with its newest versions (and ?version=) and its registered workers (a service key: its own only)' })
  @ApiOkResponse({ type: TemplateDetailDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto })
  template(@Param('orchName', ParseNamePipe) orchName: string, @Query() query: TemplateDetailQueryDto,
    @CurrentPrincipal() principal: Principal): Promise<TemplateDetailDto> {
    return this.queries.template(orchName, ownServiceOnly(principal), query.version);
  }

  @Get('workers')
  @Roles('viewer', 'operator', 'service')
  @ApiOperation({ summary: 'List worker registrations, with the ids that remove them (a service key: its own only)' })
  @ApiOkResponse({ type: WorkerPageDto })
  workers(@Query() query: WorkerQueryDto, @CurrentPrincipal() principal: Principal): Promise<WorkerPageDto> {
    return this.queries.workers(query, ownServiceOnly(principal));
  }

  @Get('worker-services')
  @Roles('viewer', 'operator', 'service')
  @ApiOperation({ summary: 'List the services registered as workers, a page of services, each with the steps it handles (a service key: its own only)' })
  @ApiOkResponse({ type: WorkerServicePageDto })
  workerServices(@Query() query: WorkerServiceQueryDto, @CurrentPrincipal() principal: Principal): Promise<WorkerServicePageDto> {
    return this.queries.workerServices(query, ownServiceOnly(principal));
  }

  @Delete('workers/:id')
  @ApiParam({ name: 'id', schema: { type: 'string', format: 'uuid' } })
  @Roles('service')
  @ApiOperation({ summary: "Remove a worker registration: by the worker's own service, the template's owner, or an admin" })
  @ApiOkResponse({ type: WorkerDto, description: 'The removed registration; the template may be PENDING again' })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: "WORKER_REGISTRATION_NOT_FOUND, also for another service's registration asked by a service key" })
  @ApiForbiddenResponse({ type: ErrorBodyDto, description: 'FORBIDDEN: another service, asked by a caller that may read every worker' })
  @ApiConflictResponse({ type: ErrorBodyDto, description: 'WORKER_IN_USE: runs of the template are under way, and no other worker takes the step (see force)' })
  removeWorker(
    @Param('id', ParseUuidPipe) id: string, @Query() { force }: RemoveWorkerQueryDto, @CurrentPrincipal() principal: Principal,
    @CorrelationId() correlationId: string,
  ): Promise<WorkerDto> {
    return this.removal.remove(id, principal, correlationId, force);
  }

  @Get('registrations/audit')
  @Roles('viewer', 'operator')
  @ApiOperation({ summary: 'Every registration attempt, accepted or rejected, newest first' })
  @ApiOkResponse({ type: AuditPageDto })
  audit(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.queries.auditTrail(query);
  }
}
