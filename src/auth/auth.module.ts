import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AccessGuard } from './access.guard';
import { AdminController } from './admin.controller';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeyService } from './api-keys/api-key.service';
import { SecurityAuditRepository } from './audit/security-audit.repository';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { AuthController } from './auth.controller';
import { JwtVerifier } from './jwt/jwt-verifier';
import { PrincipalResolver } from './principal-resolver';

/** Identity and access: credentials → principals, the global role guard, keys and the security audit. */
@Global()
@Module({
  controllers: [AuthController, AdminController],
  providers: [
    ApiKeyRepository, ApiKeyService, JwtVerifier, PrincipalResolver, AuthFailureLimiter, SecurityAuditRepository,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [PrincipalResolver, SecurityAuditRepository, ApiKeyService],
})
export class AuthModule {}
