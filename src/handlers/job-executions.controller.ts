import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/access.decorator';
import { echoedText } from '../auth/api-keys/api-key-format';
import { AppError } from '../common/errors/app-error';
import { ErrorBodyDto } from '../common/errors/error-body.dto';
import { ErrorCode } from '../common/errors/error-code';
import { pageOf, skipOf } from '../common/pagination';
import { JobExecutionDto, JobExecutionPageDto, JobExecutionQueryDto } from './dto/job-execution.dto';
import { HandlersConfig } from './handlers-config';
import { JobExecutionEntity } from './job-execution.entity';
import { JobExecutionRepository } from './job-execution.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@ApiTags('job-executions')
@Controller('api/job-executions')
@Roles('viewer', 'operator')
export class JobExecutionsController {
  constructor(private readonly jobs: JobExecutionRepository, private readonly config: HandlersConfig) {}

  private dto = (row: JobExecutionEntity): JobExecutionDto => JobExecutionDto.of(row, this.config.settings.HANDLER_JOB_MAX_POLLS);

  @Get()
  @Roles('viewer', 'operator')
  @ApiOperation({ summary: 'AWX/OO launches, newest first; pages count from 1' })
  @ApiOkResponse({ type: JobExecutionPageDto })
  async list(@Query() query: JobExecutionQueryDto): Promise<JobExecutionPageDto> {
    const where = { ...(query.status ? { status: query.status } : {}), ...(query.targetType ? { targetType: query.targetType } : {}) };
    const [rows, total] = await this.jobs.page(where, skipOf(query), query.pageSize);
    return pageOf(rows.map(this.dto), total, query);
  }

  @Get('request/:flowId')
  @Roles('viewer', 'operator')
  @ApiOperation({ summary: 'Every AWX/OO launch of one run (flow), oldest first' })
  @ApiOkResponse({ type: [JobExecutionDto] })
  async forFlow(@Param('flowId') flowId: string): Promise<JobExecutionDto[]> {
    if (!UUID.test(flowId)) return [];
    return (await this.jobs.listForFlow(flowId)).map(this.dto);
  }

  @Get(':id')
  @Roles('viewer', 'operator')
  @ApiOperation({ summary: 'One AWX/OO launch' })
  @ApiOkResponse({ type: JobExecutionDto })
  @ApiNotFoundResponse({ type: ErrorBodyDto, description: 'JOB_EXECUTION_NOT_FOUND; the body also has Orca\'s `error`: "JobExecution <id> not found"' })
  async get(@Param('id') id: string): Promise<JobExecutionDto> {
    const row = UUID.test(id) ? await this.jobs.findById(id) : null;
    if (row) return this.dto(row);
    // Echoed as the API-key revoke route does: a path up to 16 KiB would come back twice, and a key pasted in it whole.
    const shown = echoedText(id, 64);
    // `error` is the body the Orca execution service answered; its clients read it.
    throw new AppError(ErrorCode.JOB_EXECUTION_NOT_FOUND, `No job execution ${shown}`, [], undefined, { error: `JobExecution ${shown} not found` });
  }
}
