import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsDate, IsIn, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';
import { PageMetaDto, PageQueryDto } from '../../common/pagination';
import { ISO_DATE_MESSAGE, ISO_DATE_RULE, ToIsoDate } from '../../common/validation/query-values';
import { MAX_NAME_LENGTH, NAME_PATTERN, NAME_RULE } from '../../registry/document/registration-document.schema';
import type { ApiKeyEntity } from '../api-keys/api-key.entity';
import { KEY_NAME_MAX, KEY_NAME_PATTERN, KEY_NAME_RULE } from '../api-keys/api-key-format';
import { ROLES } from '../role';
import { TOPIC_SERVICE_NAME_PATTERN } from '../service-topic';
import type { Role } from '../role';

export class CreateApiKeyDto {
  @ApiProperty({ minLength: 1, maxLength: KEY_NAME_MAX, description: `What the key is for; it ${KEY_NAME_RULE}` })
  @IsString() @MinLength(1) @MaxLength(KEY_NAME_MAX) @Matches(KEY_NAME_PATTERN, { message: `name ${KEY_NAME_RULE}` })
  name!: string;

  @ApiProperty({ enum: ROLES }) @IsIn(ROLES) role!: Role;

  @ApiPropertyOptional({ description: 'Required for role service: the service this key proves (null is left out). Not one whose command '
    + 'topic no worker may register (a dead-letter topic: DLQ, or a name ending in .DLQ; or one of Baton\'s own): its pollers would read it',
  nullable: true, maxLength: MAX_NAME_LENGTH, pattern: TOPIC_SERVICE_NAME_PATTERN.source })
  // The topic rule is left to keyRequestRefusal, whose refusal names the topic (and applies to `npm run keys`).
  @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) @Matches(NAME_PATTERN, { message: `service ${NAME_RULE}` })
  service?: string;

  // Parsed as for query dates: `@Type(() => Date)` took 0.5 or -271821-04-20, and PostgreSQL refused the latter with a 500.
  @ApiPropertyOptional({ type: String, format: 'date-time', description: `In the future (${ISO_DATE_RULE}). null or left out: never expires`, nullable: true })
  @IsOptional() @ToIsoDate() @IsDate({ message: ISO_DATE_MESSAGE })
  expiresAt?: Date;
}

export const KEY_STATES = ['active', 'expired', 'revoked'] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** The key list's filters: a service's keys (to rotate them), a role's, or those still active. */
export class ApiKeyQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ROLES }) @IsOptional() @IsIn(ROLES) role?: Role;
  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH, pattern: NAME_PATTERN.source, description: 'The service a service key proves' })
  @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) @Matches(NAME_PATTERN, { message: `service ${NAME_RULE}` }) service?: string;
  @ApiPropertyOptional({ enum: KEY_STATES, description: 'active: neither revoked nor expired; expired: past its expiry, not revoked; revoked' })
  @IsOptional() @IsIn(KEY_STATES) state?: KeyState;
}

export class ApiKeyDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'Public part of the key: bk_<prefix>_…' }) prefix!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ nullable: true, type: String }) service!: string | null;
  @ApiProperty({ nullable: true, type: Date }) expiresAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) lastUsedAt!: Date | null;
  @ApiProperty({ nullable: true, type: Date }) revokedAt!: Date | null;
  @ApiProperty() createdBy!: string;
  @ApiProperty() createdAt!: Date;

  static of(e: ApiKeyEntity): ApiKeyDto {
    return {
      id: e.id, prefix: e.prefix, name: e.name, role: e.role, service: e.service, expiresAt: e.expiresAt,
      lastUsedAt: e.lastUsedAt, revokedAt: e.revokedAt, createdBy: e.createdBy, createdAt: e.createdAt,
    };
  }
}

export class CreatedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'The whole key. Shown only in this response: store it now' }) key!: string;
}

export class RevokedApiKeyDto extends ApiKeyDto {
  @ApiProperty({ description: 'false when the key was revoked already: nothing changed' }) changed!: boolean;
}

export class ApiKeyPageDto extends PageMetaDto {
  @ApiProperty({ type: [ApiKeyDto] }) items!: ApiKeyDto[];
}
