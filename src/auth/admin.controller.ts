import { Body, Controller, Delete, Get, Ip, Param, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { rootedAt } from '../common/errors/app-error';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { CorrelationId } from '../common/logging/correlation';
import { pageOf } from '../common/pagination';
import { Roles } from './access.decorator';
import { ApiKeyService } from './api-keys/api-key.service';
import { SecurityAuditRepository } from './audit/security-audit.repository';
import { CurrentPrincipal } from './current-principal';
import { ApiKeyDto, ApiKeyPageDto, ApiKeyQueryDto, CreateApiKeyDto, CreatedApiKeyDto, RevokedApiKeyDto } from './dto/api-key.dto';
import { SecurityAuditDto, SecurityAuditPageDto, SecurityAuditQueryDto } from './dto/security-audit.dto';
import type { Principal } from './principal';

@ApiTags('admin')
@Controller('api/admin')
@Roles('admin')
export class AdminController {
  constructor(private readonly keys: ApiKeyService, private readonly audit: SecurityAuditRepository) {}

  @Post('api-keys')
  @ApiOperation({ summary: 'Issue an API key; the whole key is in this response only' })
  @ApiCreatedResponse({ type: CreatedApiKeyDto })
  async create(
    @Body() body: CreateApiKeyDto, @CurrentPrincipal() principal: Principal, @Ip() ip: string, @CorrelationId() correlationId: string,
  ): Promise<CreatedApiKeyDto> {
    // The checks issue applies are shared with `npm run keys`, so they name bare fields: here they are the body's.
    const { key, entity } = await this.keys.issue(body, { by: principal, ip, correlationId }).catch((e: unknown) => Promise.reject(rootedAt('body', e)));
    return { ...ApiKeyDto.of(entity), key };
  }

  @Get('api-keys')
  @ApiOperation({ summary: 'List API keys (never their secrets), newest first, by role, service and state' })
  @ApiOkResponse({ type: ApiKeyPageDto })
  async list(@Query() query: ApiKeyQueryDto): Promise<ApiKeyPageDto> {
    const [rows, total] = await this.keys.list(query);
    return pageOf(rows.map(ApiKeyDto.of), total, query);
  }

  @Delete('api-keys/:idOrPrefix')
  @ApiOperation({ summary: 'Revoke an API key by id or prefix', description: 'Revoking a revoked key changes nothing and answers it as it is, with the first revocation\'s time and `changed: false`: a retry is safe. '
    + 'A whole key (one pasted by mistake, or found leaked) revokes that key; only its prefix is ever logged or answered.' })
  @ApiOkResponse({ type: RevokedApiKeyDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'API_KEY_NOT_FOUND' })
  async revoke(
    @Param('idOrPrefix') idOrPrefix: string, @CurrentPrincipal() principal: Principal, @Ip() ip: string, @CorrelationId() correlationId: string,
  ): Promise<RevokedApiKeyDto> {
    const { key, changed } = await this.keys.revoke(idOrPrefix, { by: principal, ip, correlationId });
    return { ...ApiKeyDto.of(key), changed };
  }

  @Get('security-audit')
  @ApiOperation({ summary: 'Denied requests, rejected messages and key changes, newest first' })
  @ApiOkResponse({ type: SecurityAuditPageDto })
  async securityAudit(@Query() query: SecurityAuditQueryDto): Promise<SecurityAuditPageDto> {
    const [rows, total] = await this.audit.list({ event: query.event, principalId: query.principalId, from: query.from, to: query.to }, query);
    return pageOf(rows.map(SecurityAuditDto.of), total, query);
  }
}
