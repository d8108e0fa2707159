// The gateway's HTTP surface: a table of exact paths, each with its handler. Unknown paths get a
// JSON 404; a handler that throws gets a bare 500 (details go to the logs, never to the client).
// A connection that closes after an answer while the request body is still arriving lingers
// (src/http/request-body.ts), whichever route answered.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './graphql-handler.ts';
import { lingerWhileBodyArrives } from './request-body.ts';
import { requestIdFor, runInRequestScope } from '../logging/request-scope.ts';
import type { Logger } from '../logging/logger.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export function createRouter(logger: Logger, routes: Record<string, RouteHandler>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    lingerWhileBodyArrives(res);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handle = routes[path];
    if (!handle) {
      sendJson(res, 404, { error: 'not_found', message: 'Try POST /graphql.' });
      return;
    }
    // Every response names its request id, which the logs carry too.
    const requestId = requestIdFor(req);
    res.setHeader('x-request-id', requestId);
    runInRequestScope(requestId, () => Promise.resolve().then(() => handle(req, res))).catch((error: unknown) => {
      logger.error({ requestId, err: error }, 'request handler failed');
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: 'Internal server error.' }] });
      else res.destroy();
    });
  };
}

/** GET/HEAD only: probes and metrics. */
export function getOnly(handle: RouteHandler): RouteHandler {
  return (req, res) => {
    if (req.method === 'GET' || req.method === 'HEAD') return handle(req, res);
    res.setHeader('allow', 'GET, HEAD');
    sendJson(res, 405, { error: 'method_not_allowed', message: 'Use GET.' });
  };
}
