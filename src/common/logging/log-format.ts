export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/**
 * A person at a terminal reads lines; anything else (a file, a pipe, a log shipper) parses JSON.
 * LOG_FORMAT, when set, wins either way.
 */
export function chooseLogFormat(configured: LogFormat | undefined, stdoutIsTty: boolean | undefined): LogFormat {
  return configured ?? (stdoutIsTty ? 'pretty' : 'json');
}
