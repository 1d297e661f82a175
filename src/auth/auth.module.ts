import { Global, Logger, Module, OnApplicationBootstrap } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AppConfig } from '../config/app-config';
import { AccessGuard } from './access.guard';
import { AdminController } from './admin.controller';
import { ApiKeyRepository } from './api-keys/api-key.repository';
import { ApiKeyService } from './api-keys/api-key.service';
import { RevocationWatch } from './api-keys/revocation-watch';
import { SecurityAuditRepository } from './audit/security-audit.repository';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { AuthController } from './auth.controller';
import { JwtVerifier } from './jwt/jwt-verifier';
import { MessageAuthenticator } from './message-signing/message-authenticator';
import { PrincipalResolver } from './principal-resolver';

/** Identity and access: credentials → principals, the global role guard, keys and the security audit. */
@Global()
@Module({
  controllers: [AuthController, AdminController],
  providers: [
    ApiKeyRepository, ApiKeyService, RevocationWatch, JwtVerifier, PrincipalResolver, AuthFailureLimiter, SecurityAuditRepository, MessageAuthenticator,
    AccessGuard, { provide: APP_GUARD, useExisting: AccessGuard },
  ],
  exports: [AccessGuard, PrincipalResolver, SecurityAuditRepository, ApiKeyService, MessageAuthenticator],
})
export class AuthModule implements OnApplicationBootstrap {
  constructor(private readonly config: AppConfig) {}

  /** One line at start-up that says who can call Baton. */
  onApplicationBootstrap(): void {
    const c = this.config;
    const verifiers = [c.ADMIN_API_KEY ? 'API keys (bootstrap admin key set)' : 'API keys', ...(c.jwtConfigured ? ['JWT'] : [])];
    new Logger('Auth').log(c.authEnabled
      ? `AUTH_MODE=on: every route but health and the API docs needs a credential (${verifiers.join(', ')})`
      : `AUTH_MODE=off on loopback ${c.HOST}: anyone on this machine may call every route; foreign web origins are refused`);
  }
}
