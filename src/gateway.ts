// Composition root: wires the shared pieces once per process — the upstream stack (undici pool,
// resilience, metrics, traces), the token broker, Apollo, the idempotency store — and serves them
// over node:http. Everything per request lives in graphql/context.ts.
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { createBffTokenVerifier } from './auth/bff-token-verifier.ts';
import { bffAuthenticator, passThroughAuthenticator } from './auth/caller.ts';
import { createProvenCredentials } from './upstream/proven-credentials.ts';
import type { GatewayConfig } from './config.ts';
import { createFeedBackend } from './feed/bus/backend.ts';
import { watchFeed } from './feed/feed-metrics.ts';
import { createOrderFeed } from './feed/order-feed.ts';
import type { FeedStats } from './feed/order-feed.ts';
import { createFeedTransports } from './http/subscriptions/feed-transports.ts';
import { createApolloServer } from './server/apollo-server.ts';
import { callerOf, createContextFactory } from './graphql/context.ts';
import { createDrainControl } from './http/drain.ts';
import { createPlayground } from './http/graphiql/playground.ts';
import { createGraphqlHandler, sendJson } from './http/graphql-handler.ts';
import { metricsEndpoint, readinessProbe } from './http/probes.ts';
import { createRouter, getOnly } from './http/router.ts';
import { applyConnectionCap, serverOptions } from './http/server-limits.ts';
import type { RouteHandler } from './http/router.ts';
import { createLogger } from './logging/logger.ts';
import type { Logger } from './logging/logger.ts';
import { currentRequestId } from './logging/request-scope.ts';
import { registerSecret } from './logging/scrub.ts';
import { createGatewayMetrics, watchDocumentCaches, watchPreparedOperations } from './observability/metrics.ts';
import { createOperationReporter } from './observability/operation-report.ts';
import { countExchanges, countLookups } from './observability/token-metrics.ts';
import { createTracing } from './observability/tracing.ts';
import { createTokenExchange } from './upstream/pharmaone-client.ts';
import { createTokenBroker } from './upstream/token-broker.ts';
import { createUpstreamStack } from './upstream/upstream-stack.ts';
import { createStores } from './server/stores.ts';

export interface GatewayUpstream {
  /** Manager base URL, e.g. https://manager.pharmaone.dev.secpaid.com */
  baseUrl: string;
  /** Shop proxy URL with `{shopId}`, e.g. https://{shopId}.pharmaone.dev.secpaid.com; unset disables §8 writes. */
  shopUrlTemplate: string | undefined;
}

export interface RunningGateway {
  /** Where a local client reaches GraphQL (127.0.0.1 when listening on every interface). */
  url: string;
  /** The address the listener is really bound to, e.g. http://0.0.0.0:4000 (for the start-up line). */
  listenUrl: string;
  port: number;
  /** With METRICS_PORT: the internal listener serving /metrics and the probes, e.g. http://0.0.0.0:9464; else undefined. */
  metricsUrl: string | undefined;
  /** Readiness 503, stop accepting connections, let requests in flight finish (SHUTDOWN_* config). */
  drain(): Promise<void>;
  /** drain(), then release the upstream pool and flush traces. */
  close(): Promise<void>;
  /** The live order feed's counters (tests, bench). */
  feedStats(): FeedStats;
}

export interface GatewayOptions {
  /** Where structured logs go; tests pass one that captures lines. */
  logger?: Logger;
  /** Span exporter replacing the configured one (tests use an in-memory exporter); tracing must be enabled. */
  spanExporter?: SpanExporter;
  /** The token broker's clock, Date.now by default (tests move it past TOKEN_NEGATIVE_CACHE_MS). */
  tokenClock?: () => number;
  /** The resilience layer's clock (breaker, retry budget, rate-limit gate), Date.now by default: tests move it past UPSTREAM_BREAKER_OPEN_MS. */
  resilienceClock?: () => number;
}

export async function startGateway(
  config: GatewayConfig,
  upstream: GatewayUpstream,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (config.auth.mode === 'bff') for (const key of config.auth.orgKeys.values()) registerSecret(key);
  const metrics = createGatewayMetrics({ maxOperationNames: config.operations.metricsMaxOperationNames });
  const tracing = await createTracing(config.tracing, options.spanExporter ? { exporter: options.spanExporter } : {});
  const http = createUpstreamStack(config, {
    metrics,
    tracing,
    onBreakerStateChange: (origin, state) => logger.warn({ origin, state }, 'upstream circuit breaker changed state'),
    ...(options.resilienceClock ? { now: options.resilienceClock } : {}),
  });
  metrics.watchUpstream(http);
  // Idempotency, APQ, response cache and refused token exchanges: in memory, or shared by the fleet through Redis (REDIS_URL).
  const stores = createStores(storeSettingsOf(config), {
    registry: metrics.registry,
    onReachableChange: (store, reachable) =>
      reachable
        ? logger.info({ store }, 'shared store (Redis) reachable')
        : logger.warn({ store }, 'shared store (Redis) unreachable: caches bypassed, keyed mutations refused until it is back'),
  });
  // Keys PharmaOne accepted: only their requests fill the caches kept per query text (issue 21).
  const provenCredentials = createProvenCredentials({ ...(options.tokenClock ? { now: options.tokenClock } : {}) });
  const broker = countLookups(
    createTokenBroker({
      exchange: provenCredentials.recording(countExchanges(createTokenExchange(http, options.tokenClock), metrics)),
      refreshMarginMs: config.upstream.tokenRefreshMarginMs,
      maxEntries: config.upstream.tokenCacheSize,
      maxBytes: config.upstreamLimits.tokenCacheMaxBytes,
      negativeTtlMs: config.upstreamLimits.tokenNegativeCacheMs,
      negativeMaxBytes: config.upstreamLimits.tokenNegativeCacheMaxBytes,
      sharedRefusals: stores.tokenRefusals,
      ...(options.tokenClock ? { now: options.tokenClock } : {}),
    }),
    metrics,
  );
  const graphqlServer = createApolloServer(config, {
    logger,
    tracing,
    stores,
    proven: (context) => {
      const caller = callerOf(context);
      return caller !== undefined && provenCredentials.isProven(caller);
    },
  });
  const { apollo, prepared, admission } = graphqlServer;
  if (prepared) watchPreparedOperations(metrics.registry, prepared.stats);
  watchDocumentCaches(metrics.registry, graphqlServer.documentCacheBytes);
  await apollo.start();
  const authenticate =
    config.auth.mode === 'bff'
      ? bffAuthenticator(await createBffTokenVerifier(config.auth.bff), config.auth.orgKeys)
      : passThroughAuthenticator();

  // The live order feed (src/feed/): one poller per scope, events to WebSocket and SSE subscribers.
  const feedBackend = await createFeedBackend(config.feed, logger);
  const feed = createOrderFeed({
    settings: config.feed,
    ...feedBackend,
    client: { http, broker, ...upstream },
    logger,
    detailConcurrency: config.upstream.detailConcurrency,
    operationDeadlineMs: config.resilience.operationDeadlineMs,
    upstreamCallBudget: config.queryLimits.upstreamCallBudget,
  });
  watchFeed(metrics.registry, () => feed.stats());
  const feedTransports = createFeedTransports({
    // Apollo's schema and admission: one set of rules, one cost table, on every transport.
    schema: admission.schema,
    admission,
    authenticate,
    feed,
    settings: config.feed,
    client: { http, broker, ...upstream },
    idempotency: stores.idempotency,
    detailConcurrency: config.upstream.detailConcurrency,
    limits: config.queryLimits,
    logger,
    wsPath: '/graphql',
  });

  const graphql = createGraphqlHandler(
    apollo,
    createContextFactory({
      authenticate,
      http,
      broker,
      ...upstream,
      limits: config.upstreamLimits,
      detailConcurrency: config.upstream.detailConcurrency,
      operationDeadlineMs: config.resilience.operationDeadlineMs,
      onLoaderBatch: metrics.loaderBatch,
      upstreamCallBudget: config.queryLimits.upstreamCallBudget,
      idempotency: stores.idempotency,
      feed,
    }),
    {
      // One log line and one metric observation per request, whatever path it took.
      report: createOperationReporter({ logger, metrics }),
      describeContext: (context) => ({ callerMode: context.caller.mode, upstreamTrace: context.upstreamTrace }),
      onUnexpectedError: (error) => logger.error({ requestId: currentRequestId(), err: error }, 'unexpected error'),
      ...(prepared ? { fastPath: prepared.serve } : {}),
    },
  );
  // GraphiQL for browsers at GET /graphql (HTML-preferring requests only) plus its bundle's files.
  const playground = config.graphiqlEnabled
    ? await createPlayground({ sandbox: config.pharmaone.mode === 'sandbox', warn: (message) => logger.warn(message) })
    : null;
  const tracedGraphql: RouteHandler = (req, res) => tracing.inOperation(req, () => graphql(req, res));
  const shutdown = createDrainControl();
  const probes = {
    '/healthz': getOnly((_, res) => sendJson(res, 200, { status: 'ok' })),
    '/readyz': readinessProbe({ draining: shutdown.draining, breakers: http.breakerStates, stores: stores.health }),
  };
  const metricsRoute = { '/metrics': metricsEndpoint(metrics) };
  const { metricsListener } = config.operations;
  const server = createServer(
    serverOptions(config.httpServer),
    shutdown.track(
      createRouter(logger, {
        '/graphql': playground ? playground.wrap(tracedGraphql) : tracedGraphql,
        ...playground?.routes,
        [config.feed.ssePath]: (req, res) => feedTransports.handleSse(req, res),
        ...probes,
        // With METRICS_PORT the public port has no /metrics: the Ingress cannot expose it by mistake.
        ...(metricsListener ? {} : metricsRoute),
      }),
    ),
  );
  server.on('upgrade', (req, socket, head) => feedTransports.handleUpgrade(req, socket, head));
  shutdown.beforeClose(() => feedTransports.close());
  applyConnectionCap(server, config.httpServer);
  await listen(server, config.port, config.host);
  const { port } = server.address() as AddressInfo;
  // Probes there too, so a platform may point kubelet at the internal port; it is not drained
  // (it serves no callers) and closes last, so Prometheus sees the drain.
  const metricsServer = metricsListener ? createServer(createRouter(logger, { ...metricsRoute, ...probes })) : undefined;
  if (metricsServer && metricsListener) await listen(metricsServer, metricsListener.port, metricsListener.host);

  const drain = () => shutdown.drain(server, { delayMs: config.operations.shutdownDelayMs, graceMs: config.operations.shutdownGraceMs });

  return {
    url: `http://${reachableHost(config.host)}:${port}/graphql`,
    listenUrl: origin(server),
    port,
    metricsUrl: metricsServer ? origin(metricsServer) : undefined,
    drain,
    feedStats: () => feed.stats(),
    async close() {
      await drain();
      await feedBackend.close();
      await apollo.stop();
      await http.close();
      await stores.close();
      await tracing.shutdown();
      if (metricsServer) {
        const closed = new Promise<void>((resolve) => metricsServer.close(() => resolve()));
        // A scraper's idle keep-alive connection would hold close() open.
        metricsServer.closeAllConnections();
        await closed;
      }
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

/** The stores' settings from the gateway's configuration (the stores layer does not know it). */
export function storeSettingsOf(config: GatewayConfig): Parameters<typeof createStores>[0] {
  return {
    stores: config.stores,
    idempotencyTtlMs: config.idempotency.ttlMs,
    idempotencyMaxKeys: config.idempotency.maxKeys,
    apqCacheBytes: config.persistedQueries.apqCacheBytes,
    responseCacheBytes: config.responseCacheBytes,
  };
}
