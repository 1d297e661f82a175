import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../../auth/access.decorator';
import { RunStatsDto, RunStatsQueryDto } from './run-stats.dto';
import { RunStatsService } from './run-stats.service';

@ApiTags('runs')
@Controller('api/orchestration/stats')
export class RunStatsController {
  constructor(private readonly stats: RunStatsService) {}

  @Get('runs')
  @Roles('viewer', 'operator')
  @ApiOperation({ summary: 'Runs created per time bucket by status, and runs finished per bucket (throughput), over a window ending now' })
  @ApiOkResponse({ type: RunStatsDto })
  runs(@Query() query: RunStatsQueryDto): Promise<RunStatsDto> {
    return this.stats.countRunsOverTime(query);
  }
}
