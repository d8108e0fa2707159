// The gateway's node:http listeners. The public one serves /graphql (and the playground to
// browsers), the feed's SSE path and WebSocket upgrades, the probes, and /metrics unless
// METRICS_PORT gives metrics and probes an internal listener of their own. Draining stops the
// public one; the internal one closes last, so Prometheus sees the drain.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayConfig } from './config.ts';
import type { createFeedTransports } from './http/subscriptions/feed-transports.ts';
import { withCors } from './http/cors.ts';
import type { Cors } from './http/cors.ts';
import { createDrainControl } from './http/drain.ts';
import { createPlayground } from './http/graphiql/playground.ts';
import { sendJson } from './http/graphql-handler.ts';
import { metricsEndpoint, readinessProbe } from './http/probes.ts';
import { createRouter, getOnly } from './http/router.ts';
import { applyConnectionCap, serverOptions } from './http/server-limits.ts';
import type { RouteHandler } from './http/router.ts';
import type { Logger } from './logging/logger.ts';
import type { Tracing } from './observability/tracing.ts';

type ServedConfig = Pick<GatewayConfig, 'port' | 'host' | 'httpServer' | 'operations' | 'graphiqlEnabled' | 'pharmaone' | 'feed'>;

export interface GatewayServerDeps {
  logger: Logger;
  metrics: { contentType: string; render(): Promise<string> };
  tracing: Pick<Tracing, 'inOperation'>;
  /** GraphQL over HTTP (src/http/graphql-handler.ts). */
  graphql: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  feedTransports: Pick<ReturnType<typeof createFeedTransports>, 'handleSse' | 'handleUpgrade' | 'close'>;
  /** Browser apps on other origins (src/http/cors.ts): the GraphQL and SSE routes. */
  cors: Cors;
  /** What readiness reports beside draining: the upstream breakers and the shared stores. */
  breakers: () => Array<{ origin: string; state: string }>;
  stores: () => unknown;
}

export interface GatewayListeners {
  /** Where a local client reaches GraphQL (127.0.0.1 when listening on every interface). */
  url: string;
  /** The address the listener is really bound to, e.g. http://0.0.0.0:4000. */
  listenUrl: string;
  port: number;
  /** The internal listener's address with METRICS_PORT, e.g. http://0.0.0.0:9464; else undefined. */
  metricsUrl: string | undefined;
  /** Readiness 503, subscriptions completed, no new connections, requests in flight finished (SHUTDOWN_*). */
  drain(): Promise<void>;
  /** Closes the internal listener, if any, keep-alive connections included. */
  closeMetricsListener(): Promise<void>;
}

export async function serveGateway(config: ServedConfig, deps: GatewayServerDeps): Promise<GatewayListeners> {
  const { logger } = deps;
  // GraphiQL for browsers at GET /graphql (HTML-preferring requests only) plus its bundle's files.
  const playground = config.graphiqlEnabled
    ? await createPlayground({ sandbox: config.pharmaone.mode === 'sandbox', warn: (message) => logger.warn(message) })
    : null;
  const tracedGraphql: RouteHandler = (req, res) => deps.tracing.inOperation(req, () => deps.graphql(req, res));
  const shutdown = createDrainControl();
  const probes = {
    '/healthz': getOnly((_, res) => sendJson(res, 200, { status: 'ok' })),
    '/readyz': readinessProbe({ draining: shutdown.draining, breakers: deps.breakers, stores: deps.stores }),
  };
  const metricsRoute = { '/metrics': metricsEndpoint(deps.metrics) };
  const { metricsListener } = config.operations;
  const server = createServer(
    { ...serverOptions(config.httpServer), ServerResponse: shutdown.responseClass },
    shutdown.track(
      createRouter(logger, {
        '/graphql': withCors(deps.cors, playground ? playground.wrap(tracedGraphql) : tracedGraphql),
        ...playground?.routes,
        // No preflight guards an SSE GET: its Origin is checked like a WebSocket upgrade's.
        [config.feed.ssePath]: withCors(deps.cors, (req, res) => deps.feedTransports.handleSse(req, res), { checkOrigin: true }),
        ...probes,
        // With METRICS_PORT the public port has no /metrics: the Ingress cannot expose it by mistake.
        ...(metricsListener ? {} : metricsRoute),
      }),
    ),
  );
  server.on('upgrade', (req, socket, head) => deps.feedTransports.handleUpgrade(req, socket, head));
  shutdown.beforeClose(() => deps.feedTransports.close());
  applyConnectionCap(server, config.httpServer);
  await listen(server, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  // Probes there too, so a platform may point kubelet at the internal port; it is not drained
  // (it serves no callers) and closes last, so Prometheus sees the drain.
  const metricsServer = metricsListener ? createServer(createRouter(logger, { ...metricsRoute, ...probes })) : undefined;
  if (metricsServer && metricsListener) await listen(metricsServer, metricsListener.port, metricsListener.host);

  return {
    url: `http://${reachableHost(config.host)}:${port}/graphql`,
    listenUrl: origin(server),
    port,
    metricsUrl: metricsServer ? origin(metricsServer) : undefined,
    drain: () => shutdown.drain(server, { delayMs: config.operations.shutdownDelayMs, graceMs: config.operations.shutdownGraceMs }),
    async closeMetricsListener() {
      if (!metricsServer) return;
      const closed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
      // A scraper's idle keep-alive connection would hold close() open.
      metricsServer.closeAllConnections();
      await closed;
    },
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/** The bound address as a URL origin: http://0.0.0.0:4000, http://[::]:4000, http://127.0.0.1:4000. */
function origin(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

function reachableHost(host: string): string {
  return host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
}
