import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { KEY_NAME_RULE } from '../../auth/api-keys/api-key-format';
import { VISIBLE_TEXT_PATTERN } from '../../common/validation/visible-text';
import { MAX_NAME_LENGTH, NAME_PATTERN } from '../../registry/document/registration-document.schema';
import { ServiceParamDto } from './worker-http.dto';

export class PresenceParamDto extends ServiceParamDto {
  @ApiProperty({ format: 'uuid' }) @IsUUID() instanceId!: string;
}

export class PresentStepDto {
  @ApiProperty({ pattern: NAME_PATTERN.source, maxLength: MAX_NAME_LENGTH }) @MaxLength(MAX_NAME_LENGTH) @Matches(NAME_PATTERN) orchName!: string;
  @ApiProperty({ pattern: NAME_PATTERN.source, maxLength: MAX_NAME_LENGTH }) @MaxLength(MAX_NAME_LENGTH) @Matches(NAME_PATTERN) stepName!: string;
}

export class PresenceDto {
  @ApiProperty({ format: 'uuid', description: 'Stable for the life of one worker process' }) @IsUUID() instanceId!: string;
  // Both shown on the console's Workers page as sent: no character may hide or reorder them.
  @ApiProperty({ minLength: 1, maxLength: 255, pattern: VISIBLE_TEXT_PATTERN.source, description: `It ${KEY_NAME_RULE}` })
  @IsString() @Length(1, 255) @Matches(VISIBLE_TEXT_PATTERN, { message: `host ${KEY_NAME_RULE}` }) host!: string;
  @ApiProperty({ minLength: 1, maxLength: 50, pattern: VISIBLE_TEXT_PATTERN.source, description: `It ${KEY_NAME_RULE}` })
  @IsString() @Length(1, 50) @Matches(VISIBLE_TEXT_PATTERN, { message: `sdkVersion ${KEY_NAME_RULE}` }) sdkVersion!: string;
  @ApiProperty({ type: [PresentStepDto] })
  @IsArray() @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => PresentStepDto) steps!: PresentStepDto[];
}

export class InstanceDto {
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty() host!: string;
  @ApiProperty() sdkVersion!: string;
  @ApiProperty() lastSeenAt!: Date;
}

export class LiveStepDto {
  @ApiProperty() orchName!: string;
  @ApiProperty() stepName!: string;
  @ApiProperty() liveInstances!: number;
  @ApiProperty() lastSeenAt!: Date;
}

export class ServicePresenceDto {
  @ApiProperty() service!: string;
  @ApiProperty({ type: [InstanceDto], description: 'Instances seen within WORKER_PRESENCE_TTL_SECONDS' }) instances!: InstanceDto[];
  @ApiProperty({ type: [LiveStepDto] }) steps!: LiveStepDto[];
}
