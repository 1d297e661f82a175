import { ApiProperty } from '@nestjs/swagger';
import { PageMetaDto } from '../../common/pagination';
import { WorkerDto } from './template.dto';

/** A service's registrations given with it at most: far beyond an ordinary service, bounded for one that works hundreds of templates. */
export const SERVICE_REGISTRATIONS_SHOWN = 500;

export class WorkerServiceDto {
  @ApiProperty() serviceName!: string;
  @ApiProperty({ type: [String], description: 'Its command topics (one, unless COMMAND_TOPIC_PREFIX or a `topic` changed between registrations)' })
  topics!: string[];
  @ApiProperty({ description: 'Its latest registration' }) lastRegisteredAt!: Date;
  @ApiProperty({ type: 'integer', description: 'How many step registrations it has (within the filters)' }) registrationCount!: number;
  @ApiProperty({ type: [WorkerDto], description: `By template and step: the first ${SERVICE_REGISTRATIONS_SHOWN}; filter by template for the rest` })
  registrations!: WorkerDto[];
}

export class WorkerServicePageDto extends PageMetaDto {
  @ApiProperty({ type: [WorkerServiceDto] }) items!: WorkerServiceDto[];
}
