import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { CreatedRangeQueryDto } from '../../common/created-range';
import { PageMetaDto } from '../../common/pagination';
import { SECURITY_EVENTS } from '../audit/security-audit.entity';
import type { SecurityAuditEntity, SecurityEvent } from '../audit/security-audit.entity';

export class SecurityAuditQueryDto extends CreatedRangeQueryDto {
  @ApiPropertyOptional({ enum: SECURITY_EVENTS }) @IsOptional() @IsIn(SECURITY_EVENTS) event?: SecurityEvent;
  @ApiPropertyOptional({ description: 'Key prefix or jwt:<subject>' }) @IsOptional() @IsString() @MaxLength(200) principalId?: string;
}

export class SecurityAuditDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: SECURITY_EVENTS }) event!: string;
  @ApiProperty({ nullable: true, type: String }) principalId!: string | null;
  @ApiProperty({ nullable: true, type: String }) principalKind!: string | null;
  @ApiProperty({ nullable: true, type: String }) service!: string | null;
  @ApiProperty({ nullable: true, type: String }) ip!: string | null;
  @ApiProperty({ description: 'Method and path, or the topic of a message' }) target!: string;
  @ApiProperty() code!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() createdAt!: Date;

  /** Field by field: a column added to the table is not answered until it is added here. */
  static of(e: SecurityAuditEntity): SecurityAuditDto {
    return {
      id: e.id, event: e.event, principalId: e.principalId, principalKind: e.principalKind, service: e.service, ip: e.ip,
      target: e.target, code: e.code, reason: e.reason, createdAt: e.createdAt,
    };
  }
}

export class SecurityAuditPageDto extends PageMetaDto {
  @ApiProperty({ type: [SecurityAuditDto] }) items!: SecurityAuditDto[];
}
