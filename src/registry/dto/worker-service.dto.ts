import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { PageMetaDto } from '../../common/pagination';
import { ToStrictInt } from '../../common/validation/query-values';
import { MAX_STEPS } from '../document/registration-document.schema';
import { WorkerDto, WorkerQueryDto } from './template.dto';

/**
 * A service's registrations given with it at most: a template's steps, so a template filter always
 * shows them all; bounded for a service that works hundreds of templates.
 */
export const SERVICE_REGISTRATIONS_SHOWN = MAX_STEPS;
/** Services per page at most: with their registrations, a page stays a few megabytes at worst. */
export const SERVICES_PER_PAGE_MAX = 100;

export class WorkerServiceQueryDto extends WorkerQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: SERVICES_PER_PAGE_MAX, default: 20 })
  @IsOptional() @ToStrictInt() @IsInt() @Min(1) @Max(SERVICES_PER_PAGE_MAX)
  override pageSize: number = 20;
}

export class WorkerServiceDto {
  @ApiProperty() serviceName!: string;
  @ApiProperty({ type: [String], description: 'Its command topics (one, unless COMMAND_TOPIC_PREFIX or a `topic` changed between registrations)' })
  topics!: string[];
  @ApiProperty({ description: 'When one of its registrations last changed (registering the same steps again changes nothing)' }) lastChangedAt!: Date;
  @ApiProperty({ type: 'integer', description: 'How many step registrations it has (within the filters)' }) registrationCount!: number;
  @ApiProperty({ type: [WorkerDto], description: `By template and step: the first ${SERVICE_REGISTRATIONS_SHOWN}; filter by template for the rest` })
  registrations!: WorkerDto[];
}

export class WorkerServicePageDto extends PageMetaDto {
  @ApiProperty({ type: [WorkerServiceDto] }) items!: WorkerServiceDto[];
}
