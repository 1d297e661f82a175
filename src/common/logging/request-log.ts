import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import { withoutKeySecrets } from '../../auth/api-keys/api-key-format';
import { CONSOLE_PATH } from '../../console/console-static';
import type { LogSink } from './log-sink';

/** A console page's path without its query: the sign-in callback's holds the authorization code and state. */
const CONSOLE_URL = new RegExp(`^${CONSOLE_PATH}(?=[/?]|$)`);
const loggedUrl = (url: string) => withoutKeySecrets(CONSOLE_URL.test(url) ? url.split('?')[0] : url);

/** Scrapes and probes: a line each every few seconds from every balancer and Prometheus would bury the requests people make. */
const PROBE = /^\/(metrics|api\/orchestration\/health(\/live)?)\/?(\?|$)/;
export const isProbe = (url: string | undefined): boolean => PROBE.test(url ?? '');

/**
 * One line per finished request (not for /metrics and health probes), with its correlation id as
 * `correlationId` (the request's id, see correlation.ts). pino-http writes all its lines at info:
 * above that, nothing is mounted, where it would write nothing yet build two child loggers per
 * request. Lines written while a request is handled name its correlation id themselves: no
 * AsyncLocalStorage carries it (see logging.module.ts).
 */
export function requestLog(sink: LogSink): ((req: IncomingMessage, res: ServerResponse, next: () => void) => void) | undefined {
  if (!sink.logger.isLevelEnabled('info')) return undefined;
  return pinoHttp({
    logger: sink.logger,
    // quietReqLogger is what binds the id (as customAttributeKeys.reqId names it) to the line.
    quietReqLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    autoLogging: { ignore: (req) => isProbe(req.url) },
    // Not the headers: they hold credentials on the way in, and the same dozen security headers on the way out.
    serializers: {
      req: (req: { method: string; url: string }) => ({ method: req.method, url: loggedUrl(req.url) }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  });
}
