import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToStrictInt } from '../../common/validation/query-values';

export class RunStatsQueryDto {
  @ApiPropertyOptional({ type: 'integer', minimum: 5, maximum: 10080, default: 60, description: 'The window, ending now' })
  @IsOptional() @ToStrictInt() @IsInt() @Min(5) @Max(10080)
  minutes: number = 60;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 120, default: 30 })
  @IsOptional() @ToStrictInt() @IsInt() @Min(1) @Max(120)
  buckets: number = 30;
}

export class RunStatsBucketDto {
  @ApiProperty() start!: Date;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Runs created in this bucket, by their status now' })
  created!: Record<string, number>;
  @ApiProperty({ description: 'Runs that finished in this bucket' }) finished!: number;
}

export class RunStatsDto {
  @ApiProperty() from!: Date;
  @ApiProperty() to!: Date;
  @ApiProperty() bucketSeconds!: number;
  @ApiProperty({ type: [RunStatsBucketDto] }) buckets!: RunStatsBucketDto[];
  @ApiProperty({ type: 'object', additionalProperties: { type: 'integer' }, description: 'Runs created in the window, by status' })
  totals!: Record<string, number>;
}
