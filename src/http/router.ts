// The gateway's HTTP surface: a table of exact paths, each with its handler. Unknown paths get a
// JSON 404; a handler that throws gets a bare 500 (details go to the logs, never to the client).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { sendJson } from './graphql-handler.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export function createRouter(routes: Record<string, RouteHandler>) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const handle = routes[path];
    if (!handle) {
      sendJson(res, 404, { error: 'not_found', message: 'Try POST /graphql.' });
      return;
    }
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error: unknown) => {
        console.error('request handler failed', (error as Error | null)?.name);
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
