import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from './access.decorator';
import { CurrentPrincipal } from './current-principal';
import { PrincipalDto } from './dto/principal.dto';
import type { Principal } from './principal';
import { ROLES } from './role';

@ApiTags('auth')
@Controller('api/auth')
export class AuthController {
  @Get('me')
  @Roles(...ROLES)
  @ApiOperation({ summary: 'Who the credential proves: id, kind, roles and service (with AUTH_MODE=off: anonymous, every role)' })
  @ApiOkResponse({ type: PrincipalDto })
  me(@CurrentPrincipal() principal: Principal): PrincipalDto {
    return { id: principal.id, kind: principal.kind, roles: principal.roles, service: principal.service ?? null };
  }
}
