import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AppConfig } from '../config/app-config';
import { Public, Roles } from './access.decorator';
import { CurrentPrincipal } from './current-principal';
import { ConsoleConfigDto } from './dto/console-config.dto';
import { PrincipalDto } from './dto/principal.dto';
import type { Principal } from './principal';
import { ROLES } from './role';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  constructor(private readonly config: AppConfig) {}

  @Get('me')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Who the credential proves: id, kind, roles and service (with AUTH_MODE=off: anonymous, every role)' })
  @ApiOkResponse({ type: PrincipalDto })
  me(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return { id: principal.id, kind: principal.kind, roles: principal.roles, service: principal.service ?? null };
  }

  @Get('console-config')
  @Public()
  @ApiOperation({ summary: 'How the console signs in: the OIDC public client, if one is configured (nothing secret)' })
  @ApiOkResponse({ type: ConsoleConfigDto })
  consoleConfig(): ConsoleConfigDto {
    const c = this.config;
    return {
      authRequired: c.authEnabled,
      oidc: c.consoleOidcEnabled
        ? { issuer: c.AUTH_JWT_ISSUER!, clientId: c.CONSOLE_OIDC_CLIENT_ID!, scopes: c.CONSOLE_OIDC_SCOPES, resource: c.CONSOLE_OIDC_RESOURCE ?? null }
        : null,
    };
  }
}
