import { IsIn, IsNumber, IsOptional, IsUrl, Matches, Max, Min } from 'class-validator';
import { LOG_FORMATS, type LogFormat } from '../../common/logging/log-format';
import { ServerSettings } from './server.settings';
import { HTTP_URL } from './setting-formats';

/** The sampler names of the OpenTelemetry SDK environment specification. */
export const OTEL_SAMPLERS = [
  'always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio',
] as const;
export type OtelSampler = (typeof OTEL_SAMPLERS)[number];

/** Logs and traces. */
export class ObservabilitySettings extends ServerSettings {
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Unset: pretty lines when stdout is a terminal, JSON otherwise. */
  @IsOptional() @IsIn(LOG_FORMATS)
  LOG_FORMAT?: LogFormat;

  /**
   * Where spans go (OTLP over HTTP, JSON; `/v1/traces` is appended). Unset: tracing is off and the
   * OpenTelemetry SDK is not even loaded.
   */
  @IsOptional() @IsUrl(HTTP_URL)
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @Matches(/^[\w.:@/-]{1,200}$/)
  OTEL_SERVICE_NAME: string = 'baton';

  @IsIn(OTEL_SAMPLERS)
  OTEL_TRACES_SAMPLER: OtelSampler = 'parentbased_always_on';

  /** The ratio of the `traceidratio` samplers, 0 to 1 (default 1). */
  @IsOptional() @IsNumber() @Min(0) @Max(1)
  OTEL_TRACES_SAMPLER_ARG?: number;

  get tracingEnabled(): boolean {
    return !!this.OTEL_EXPORTER_OTLP_ENDPOINT;
  }
}
