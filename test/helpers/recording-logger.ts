import type { LoggerService } from '@nestjs/common';

/** A Nest logger that keeps each line as [level, message]: for specs of what a class logs. */
export function recordingLogger(): { logger: LoggerService; lines: Array<[string, unknown]> } {
  const lines: Array<[string, unknown]> = [];
  const logger = {
    log: (m: unknown) => lines.push(['log', m]),
    warn: (m: unknown) => lines.push(['warn', m]),
    error: (m: unknown) => lines.push(['error', m]),
  } as unknown as LoggerService;
  return { logger, lines };
}
