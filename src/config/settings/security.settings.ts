import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateBy, ValidateIf } from 'class-validator';
import { API_KEY_PATTERN } from '../../auth/api-keys/api-key-format';
import { isJwtPublicKey } from '../../auth/jwt/jwt-public-key';
import { SIGNING_SECRETS_PATTERN } from '../../auth/message-signing/signing-secrets';
import { isLoopbackHost } from '../loopback';
import { EngineSettings } from './engine.settings';
import { BOOLEAN_SETTING, HTTP_URL, isOriginList, listEntries, toBool } from './setting-formats';

export const AUTH_MODES = ['on', 'off'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const WORKER_ACCESS_MODES = ['open', 'pinned'] as const;
export type WorkerAccessMode = (typeof WORKER_ACCESS_MODES)[number];
export const REPLY_COMMAND_ID_MODES = ['optional', 'required'] as const;
export const MESSAGE_SIGNING_MODES = ['off', 'required'] as const;
export type MessageSigningMode = (typeof MESSAGE_SIGNING_MODES)[number];

/** Who may call Baton: keys, JWTs, the console's sign-in, browsers, signed messages, worker topics. */
export class SecuritySettings extends EngineSettings {
  /** Unset: `off` on a loopback HOST, `on` anywhere else. */
  @IsOptional() @IsIn(AUTH_MODES)
  AUTH_MODE?: AuthMode;

  /** Bootstrap admin key (`bk_<prefix>_<secret>`), hashed at boot and never logged. */
  @IsOptional() @Matches(API_KEY_PATTERN, { message: 'ADMIN_API_KEY must look like bk_<4-16 letters or digits>_<32+ characters of [A-Za-z0-9_-]>' })
  ADMIN_API_KEY?: string;

  @IsOptional() @IsUrl(HTTP_URL)
  AUTH_JWKS_URL?: string;

  /** After a token names an unknown key id, the JWKS is fetched again at most this often. */
  @IsInt() @Min(0)
  AUTH_JWKS_COOLDOWN_MS: number = 30_000;

  /**
   * A PEM (SPKI) public key or a JWK in JSON, when the identity provider publishes no JWKS. Parsed
   * here, so a key that cannot be read stops start-up rather than failing every token after it.
   */
  @IsOptional()
  @ValidateBy({ name: 'isJwtPublicKey', validator: {
    validate: isJwtPublicKey, defaultMessage: () => 'AUTH_JWT_PUBLIC_KEY must be a PEM public key (SPKI or certificate) or a public JWK in JSON',
  } })
  AUTH_JWT_PUBLIC_KEY?: string;

  @ValidateIf((c: SecuritySettings) => c.jwtConfigured)
  @IsString({ message: 'AUTH_JWT_ISSUER is required with AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY' })
  AUTH_JWT_ISSUER?: string;

  @ValidateIf((c: SecuritySettings) => c.jwtConfigured)
  @IsString({ message: 'AUTH_JWT_AUDIENCE is required with AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY' })
  AUTH_JWT_AUDIENCE?: string;

  /** Claims (dotted paths, first present wins) that carry the service name and the roles. */
  @IsString() AUTH_JWT_SERVICE_CLAIMS: string = 'service,azp';
  @IsString() AUTH_JWT_ROLES_CLAIMS: string = 'roles,realm_access.roles';
  @IsString() AUTH_JWT_ALGORITHMS: string = 'RS256,PS256,ES256,EdDSA';

  /**
   * The console's OIDC sign-in: a public client (authorization code with PKCE) at AUTH_JWT_ISSUER
   * whose access tokens Baton accepts. Unset: the console signs in with API keys only.
   */
  @IsOptional() @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'CONSOLE_OIDC_CLIENT_ID must be 1-200 printable ASCII characters' })
  CONSOLE_OIDC_CLIENT_ID?: string;

  @Matches(/^(?=.{1,500}$)[\x21-\x7e]+( [\x21-\x7e]+)*$/, { message: 'CONSOLE_OIDC_SCOPES must be space-separated scopes (500 characters at most)' })
  CONSOLE_OIDC_SCOPES: string = 'openid';

  /**
   * Other origins of the identity provider that the console's page calls (comma-separated), where
   * its endpoints are not all on AUTH_JWT_ISSUER's origin (Google's token endpoint is on
   * oauth2.googleapis.com): the page's CSP lets it reach only these and the issuer.
   */
  @IsOptional() @Matches(/^https?:\/\/[\w.-]+(:\d{1,5})?(,\s*https?:\/\/[\w.-]+(:\d{1,5})?)*$/, {
    message: 'CONSOLE_OIDC_ORIGINS must be comma-separated origins (scheme://host[:port], no path)',
  })
  CONSOLE_OIDC_ORIGINS?: string;

  /** Sent as the RFC 8707 `resource` of the sign-in, for providers that pick the audience from it. */
  @IsOptional() @IsUrl(HTTP_URL)
  CONSOLE_OIDC_RESOURCE?: string;

  /** Browser origins allowed to call the API (comma-separated); none by default. */
  @IsOptional() @ValidateBy({ name: 'isOriginList', validator: { validate: isOriginList, defaultMessage: () =>
    'CORS_ORIGINS must list origins as a browser sends them, such as https://console.example.com:8443 (lower case; no default port, path or trailing slash), comma-separated' } })
  CORS_ORIGINS?: string;

  @Transform(toBool) @IsBoolean(BOOLEAN_SETTING)
  METRICS_PUBLIC: boolean = false;

  /** Failed authentications from one address within the window before it gets 429. */
  @IsInt() @Min(1)
  AUTH_FAILURE_LIMIT: number = 20;

  @IsInt() @Min(1)
  AUTH_FAILURE_WINDOW_SECONDS: number = 60;

  /** `required`: messages on the registration and execution-start topics must be signed (HMAC or JWT header). */
  @IsIn(MESSAGE_SIGNING_MODES)
  MESSAGE_SIGNING: MessageSigningMode = 'off';

  /** Per-service HMAC secrets, `svc:secret,...`: kept only here, since verifying an HMAC needs the secret itself. */
  @IsOptional() @Matches(SIGNING_SECRETS_PATTERN, { message: 'SIGNING_SECRETS must be a list of <service>:<secret of 32+ characters, no spaces, commas or colons>' })
  SIGNING_SECRETS?: string;

  /** Signed messages (HMAC timestamp, JWT `iat`) older than this are dead-lettered: it bounds how long a copy can be replayed. */
  @IsInt() @Min(1) @Max(86_400)
  MESSAGE_SIGNATURE_MAX_AGE_SECONDS: number = 300;

  /**
   * Who may work a step whose template names no `workers:`. `pinned`: only the template's owner
   * (other services must be named); `open`: any service. Unset: `pinned` with authentication on.
   */
  @IsOptional() @IsIn(WORKER_ACCESS_MODES)
  WORKER_ACCESS?: WorkerAccessMode;

  /**
   * Whether a reply on the reply topic must name the command it answers (`commandId`). Every
   * worker's broker user may write that topic, while a command's id reaches only the service whose
   * topic carried it: `required` stops one service answering another's steps. `optional` accepts
   * the original reply format, which has none.
   */
  @IsIn(REPLY_COMMAND_ID_MODES)
  REPLY_COMMAND_ID: (typeof REPLY_COMMAND_ID_MODES)[number] = 'optional';

  /** A regular expression for worker topics outside COMMAND_TOPIC_PREFIX. */
  @IsOptional() @IsString()
  ALLOWED_WORKER_TOPIC_PATTERN?: string;

  get authEnabled(): boolean {
    return (this.AUTH_MODE ?? (isLoopbackHost(this.HOST) ? 'off' : 'on')) === 'on';
  }

  get workersPinned(): boolean {
    return (this.WORKER_ACCESS ?? (this.authEnabled ? 'pinned' : 'open')) === 'pinned';
  }

  get jwtConfigured(): boolean {
    return !!(this.AUTH_JWKS_URL || this.AUTH_JWT_PUBLIC_KEY);
  }

  /** The identity provider's origins the console's page may call: the issuer's and CONSOLE_OIDC_ORIGINS; none without OIDC sign-in. */
  get consoleOidcOrigins(): string[] {
    if (!this.consoleOidcEnabled || !this.AUTH_JWT_ISSUER) return [];
    const extra = (this.CONSOLE_OIDC_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean).map((o) => new URL(o).origin);
    return [...new Set([new URL(this.AUTH_JWT_ISSUER).origin, ...extra])];
  }

  get consoleOidcEnabled(): boolean {
    return !!this.CONSOLE_OIDC_CLIENT_ID;
  }

  get corsOrigins(): string[] {
    return listEntries(this.CORS_ORIGINS ?? '');
  }
}
