import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { ProblemDto } from '../../common/errors/error-body.dto';
import { PageMetaDto, PageQueryDto } from '../../common/pagination';
import { MAX_NAME_LENGTH, ToStrictInt } from '../../common/validation/query-values';
import { MAX_INT4 } from '../../engine/messages/stored-text';
import { STORED_TEMPLATE_TYPES } from '../entities/orchestration-template.entity';
import { REGISTRATION_SOURCES, type RegistrationSource } from '../entities/registration-audit.entity';

/** How many versions a template's detail holds in full: a template re-registered daily would otherwise answer with all of them. */
export const TEMPLATE_VERSIONS_SHOWN = 10;

export class TemplateSummaryDto {
  @ApiProperty() orchName!: string;
  @ApiProperty({ enum: STORED_TEMPLATE_TYPES }) type!: string;
  @ApiProperty({ enum: ['READY', 'PENDING'] }) status!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [String] }) missingSteps!: string[];
  @ApiProperty() ownerService!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class TemplatePageDto extends PageMetaDto {
  @ApiProperty({ type: [TemplateSummaryDto] }) items!: TemplateSummaryDto[];
}

export class StepDto {
  @ApiProperty() seq!: number;
  @ApiProperty() name!: string;
  @ApiProperty() objectType!: string;
  @ApiProperty({ nullable: true, type: Number }) timeoutSeconds!: number | null;
  @ApiProperty({ nullable: true, type: Number, description: 'Worker steps: an attempt with no heartbeat for this long times out' })
  heartbeatSeconds!: number | null;
  @ApiProperty({ nullable: true, type: 'object', additionalProperties: true }) retry!: unknown;
  @ApiProperty({ type: 'object', additionalProperties: true }) handler!: unknown;
  @ApiProperty({ description: 'false, or the undo handler', oneOf: [{ type: 'boolean' }, { type: 'object' }] }) undo!: unknown;
  @ApiProperty({ enum: ['compensate', 'pause'], description: 'What the step failing (after its retries) does to the run' }) onFailure!: string;
  @ApiProperty({ nullable: true, type: [String], description: "The services the template names to work the step (its or the step's `workers:`); null: none named" })
  workers!: string[] | null;
  @ApiProperty({ nullable: true, type: [String], description: 'The services that may register for the step now: those named, else with WORKER_ACCESS=pinned the '
    + "template's owner alone; null: any service" })
  mayWork!: string[] | null;
  @ApiProperty({ type: [String], nullable: true, description: 'dag templates: the steps this one waits for' }) dependsOn!: string[] | null;
}

export class GraphNodeDto {
  @ApiProperty() name!: string;
  @ApiProperty() seq!: number;
  @ApiProperty({ description: 'worker, awx or oo' }) handler!: string;
}

export class GraphEdgeDto {
  @ApiProperty({ description: 'Done before `to` starts' }) from!: string;
  @ApiProperty() to!: string;
}

export class TemplateGraphDto {
  @ApiProperty({ type: [GraphNodeDto] }) nodes!: GraphNodeDto[];
  @ApiProperty({ type: [GraphEdgeDto] }) edges!: GraphEdgeDto[];
}

export class TemplateVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({ enum: STORED_TEMPLATE_TYPES }) type!: string;
  @ApiProperty() registeredBy!: string;
  @ApiProperty() contentHash!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty({ type: [StepDto] }) steps!: StepDto[];
  @ApiProperty({ type: TemplateGraphDto, description: 'The steps as a graph, for drawing' }) graph!: TemplateGraphDto;
}

export class WorkerDto {
  @ApiProperty({ description: 'Id of the registration, for DELETE /api/orchestration/workers/{id}' }) id!: string;
  @ApiProperty() orchName!: string;
  @ApiProperty() stepName!: string;
  @ApiProperty() serviceName!: string;
  @ApiProperty() objectType!: string;
  @ApiProperty() topic!: string;
  @ApiProperty() createdAt!: Date;
  @ApiProperty() updatedAt!: Date;
}

export class LiveInstanceDto {
  @ApiProperty({ format: 'uuid' }) instanceId!: string;
  @ApiProperty() host!: string;
  @ApiProperty() sdkVersion!: string;
  @ApiProperty() lastSeenAt!: Date;
}

export class TemplateWorkerDto extends WorkerDto {
  @ApiProperty({ description: 'Instances of the service that reported, within WORKER_PRESENCE_TTL_SECONDS, handling this step' })
  liveInstances!: number;
  @ApiProperty({ nullable: true, type: Date, description: 'When one of them was last seen; null: none is live' }) lastSeenAt!: Date | null;
  @ApiProperty({ type: [LiveInstanceDto], description: 'Newest first' }) instances!: LiveInstanceDto[];
}

export class WorkerPageDto extends PageMetaDto {
  @ApiProperty({ type: [WorkerDto] }) items!: WorkerDto[];
}

export class TemplateDetailDto extends TemplateSummaryDto {
  @ApiProperty({ type: [TemplateVersionDto], description: `Newest first: the ${TEMPLATE_VERSIONS_SHOWN} newest, and the one \`?version=\` names` })
  versions!: TemplateVersionDto[];
  @ApiProperty({ type: 'integer', description: 'How many versions the template has' }) versionCount!: number;
  @ApiProperty({ type: [TemplateWorkerDto], description: 'Registrations, each with its live instances (workers on the SDK report presence)' })
  workers!: TemplateWorkerDto[];
}

export class TemplateDetailQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: MAX_INT4, description: `A version to include besides the ${TEMPLATE_VERSIONS_SHOWN} newest` })
  @IsOptional() @ToStrictInt() @IsInt() @Min(1) @Max(MAX_INT4)
  version?: number;
}

export class TemplateQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: ['READY', 'PENDING'] }) @IsOptional() @IsIn(['READY', 'PENDING']) status?: 'READY' | 'PENDING';
}

export class WorkerQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH }) @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) orchName?: string;
  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH }) @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) serviceName?: string;
}

export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH }) @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) serviceName?: string;
  @ApiPropertyOptional({ maxLength: MAX_NAME_LENGTH }) @IsOptional() @IsString() @MaxLength(MAX_NAME_LENGTH) orchName?: string;
  @ApiPropertyOptional({ enum: ['ACCEPTED', 'UNCHANGED', 'REJECTED'] })
  @IsOptional() @IsIn(['ACCEPTED', 'UNCHANGED', 'REJECTED']) outcome?: 'ACCEPTED' | 'UNCHANGED' | 'REJECTED';
}

export class AuditEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String }) serviceName!: string | null;
  @ApiProperty({ nullable: true, type: String }) orchName!: string | null;
  @ApiProperty({ nullable: true, type: String }) role!: string | null;
  @ApiProperty({ enum: REGISTRATION_SOURCES }) source!: RegistrationSource;
  @ApiProperty({ enum: ['ACCEPTED', 'UNCHANGED', 'REJECTED'] }) outcome!: string;
  @ApiProperty({ nullable: true, type: String }) reason!: string | null;
  @ApiProperty({ nullable: true, type: [ProblemDto] }) problems!: ProblemDto[] | null;
  @ApiProperty({ nullable: true, type: Number }) templateVersion!: number | null;
  @ApiProperty({ nullable: true, type: String }) document!: string | null;
  @ApiProperty() documentTruncated!: boolean;
  @ApiProperty({ nullable: true, type: String, description: 'SHA-256 of the whole document as received; null for a refused one that a credential was cut from' })
  documentSha256!: string | null;
  @ApiProperty() createdAt!: Date;
}

export class AuditPageDto extends PageMetaDto {
  @ApiProperty({ type: [AuditEntryDto] }) items!: AuditEntryDto[];
}
