import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsOptional } from 'class-validator';
import { ToBoolean } from '../../common/validation/query-values';

export class RemoveWorkerQueryDto {
  @ApiPropertyOptional({
    description: "true or 1: remove it even while runs of the template are under way and no other worker takes the step (their later commands for it, undos included, reach no worker); default false (or 0): 409 WORKER_IN_USE",
  })
  @IsOptional() @ToBoolean() @IsBoolean() force?: boolean;
}
