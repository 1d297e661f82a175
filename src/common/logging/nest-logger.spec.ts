import { PinoLogger } from 'nestjs-pino';
import type { Level } from 'pino';
import { AppConfig } from '../../config/app-config';
import { LogSink } from './log-sink';
import { NestLogger } from './nest-logger';

// nestjs-pino keeps the first pino logger it is given for the whole process: one sink, its level set per test.
const sink = new LogSink(Object.assign(new AppConfig(), { LOG_LEVEL: 'info', LOG_FORMAT: 'json' }));
const params = { pinoHttp: { logger: sink.logger } };
const logger = new NestLogger(new PinoLogger(params), params);

/** Nest's method for each pino level. */
const METHODS: Array<[keyof NestLogger & string, Level]> = [
  ['verbose', 'trace'], ['debug', 'debug'], ['log', 'info'], ['warn', 'warn'], ['error', 'error'], ['fatal', 'fatal'],
];

/** A line's fields, counting how often a logger reads them: building the line reads each. */
function countedFields(): { fields: Record<string, unknown>; reads: () => number } {
  let reads = 0;
  const fields = {};
  Object.defineProperty(fields, 'flowId', { enumerable: true, get: () => { reads++; return 'f1'; } });
  return { fields, reads: () => reads };
}

const silenced = (level: Level) => jest.spyOn(sink.logger, level).mockReturnValue(undefined);

afterEach(() => jest.restoreAllMocks());

describe('NestLogger', () => {
  it('does not build a line that pino would drop (the engine logs status changes at info and runs at warn)', () => {
    sink.logger.level = 'silent';
    for (const [method, level] of METHODS) {
      const write = silenced(level);
      const { fields, reads } = countedFields();
      (logger[method] as (m: unknown, c: string) => void)(fields, 'RunTransitions');
      expect({ method, reads: reads(), written: write.mock.calls.length }).toEqual({ method, reads: 0, written: 0 });
    }
  });

  it("writes the lines the level allows, in nestjs-pino's shape", () => {
    sink.logger.level = 'trace';
    for (const [method, level] of METHODS) {
      const write = silenced(level);
      (logger[method] as (m: unknown, c: string) => void)({ flowId: 'f1' }, 'RunExecutor');
      expect(write).toHaveBeenCalledWith({ context: 'RunExecutor', flowId: 'f1' });
    }
    const trace = silenced('trace');
    logger.verbose('step sent', 'RunTransitions');
    expect(trace).toHaveBeenCalledWith({ context: 'RunTransitions' }, 'step sent');
  });

  it('draws the line at the configured level', () => {
    sink.logger.level = 'warn';
    const info = silenced('info');
    const warn = silenced('warn');
    logger.log({ flowId: 'f1' }, 'RunTransitions');
    logger.warn({ flowId: 'f1' }, 'RunTransitions');
    expect(info).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith({ context: 'RunTransitions', flowId: 'f1' });
  });
});
