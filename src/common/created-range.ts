import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsDate, IsOptional } from 'class-validator';
import { And, type FindOperator, LessThan, MoreThanOrEqual } from 'typeorm';
import { PageQueryDto } from './pagination';
import { ISO_DATE_MESSAGE, ISO_DATE_RULE, ToIsoDate } from './validation/query-values';

/** A page of a list that can be narrowed to what was created in a time range: `?from=…&to=…`. */
export class CreatedRangeQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ type: String, format: 'date-time', description: `Created at or after (${ISO_DATE_RULE})` })
  @IsOptional() @ToIsoDate() @IsDate({ message: ISO_DATE_MESSAGE }) from?: Date;
  @ApiPropertyOptional({ type: String, format: 'date-time', description: `Created before (${ISO_DATE_RULE})` })
  @IsOptional() @ToIsoDate() @IsDate({ message: ISO_DATE_MESSAGE }) to?: Date;
}

/** The condition on a creation time: `to` is exclusive, alone and with `from` alike, so adjacent ranges never share a row. */
export function createdWithin({ from, to }: Pick<CreatedRangeQueryDto, 'from' | 'to'>): FindOperator<Date> | undefined {
  if (from && to) return And(MoreThanOrEqual(from), LessThan(to));
  if (from) return MoreThanOrEqual(from);
  if (to) return LessThan(to);
  return undefined;
}
