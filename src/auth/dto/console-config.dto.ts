import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ConsoleOidcDto {
  @ApiProperty({ description: 'The identity provider (AUTH_JWT_ISSUER); its discovery document lists the endpoints' }) issuer!: string;
  @ApiProperty({ description: 'The public client the console signs in as (CONSOLE_OIDC_CLIENT_ID)' }) clientId!: string;
  @ApiProperty({ description: 'Space-separated scopes to request' }) scopes!: string;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'RFC 8707 resource indicator to request' }) resource!: string | null;
}

/** What the console needs before anyone signs in: public by design, so nothing secret. */
export class ConsoleConfigDto {
  @ApiProperty({ description: 'Whether the API asks for credentials at all' }) authRequired!: boolean;
  @ApiPropertyOptional({ nullable: true, type: ConsoleOidcDto, description: 'Null: sign in with an API key only' })
  oidc!: ConsoleOidcDto | null;
}
