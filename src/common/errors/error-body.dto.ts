import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ProblemDto {
  @ApiProperty({
    example: 'steps[1].name',
    description: 'Where the problem is. In a request, from the part it is in: body.<field>, query.<name>, params.<name>, '
      + 'headers.<name>, or path, query or body whole. In a registration document, from the document\'s root, with line and column.',
  })
  path!: string;
  @ApiProperty({ example: 'Required' }) message!: string;
  @ApiPropertyOptional({ example: 4 }) line?: number;
  @ApiPropertyOptional({ example: 7 }) column?: number;
}

export class ErrorBodyDto {
  @ApiProperty({ example: 'INVALID_DOCUMENT' }) code!: string;
  @ApiProperty({ example: 'The registration document is invalid' }) message!: string;
  @ApiPropertyOptional({ type: [ProblemDto] }) problems?: ProblemDto[];
  @ApiPropertyOptional({ type: 'object', additionalProperties: true }) details?: Record<string, unknown>;
  @ApiPropertyOptional({ description: 'Only where a compatible API\'s clients expect it (Orca: "JobExecution <id> not found")' }) error?: string;
  @ApiProperty({ example: '5f0c1d1e-0c1b-4d4e-9a55-3b2f1c0e9d11' }) correlationId!: string;
}
