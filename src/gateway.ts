// Composition root: wires the shared pieces once per process — the upstream stack (undici pool,
// resilience, metrics, traces), the token broker, Apollo, the idempotency store — and serves them
// over node:http. Everything per request lives in graphql/context.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { createBffTokenVerifier } from './auth/bff-token-verifier.ts';
import { bffAuthenticator, passThroughAuthenticator } from './auth/caller.ts';
import type { GatewayConfig } from './config.ts';
import { createFeedBackend } from './feed/backend.ts';
import { watchFeed } from './feed/feed-metrics.ts';
import { createOrderFeed } from './feed/order-feed.ts';
import type { FeedStats } from './feed/order-feed.ts';
import { createFeedTransports } from './feed/transports.ts';
import { createApolloServer } from './graphql/apollo-server.ts';
import { buildGatewaySchema } from './graphql/schema.ts';
import { createContextFactory } from './graphql/context.ts';
import { createDrainControl } from './http/drain.ts';
import { createPlayground } from './http/graphiql/playground.ts';
import { createGraphqlHandler, sendJson } from './http/graphql-handler.ts';
import { metricsEndpoint, readinessProbe } from './http/probes.ts';
import { createRouter, getOnly } from './http/router.ts';
import type { RouteHandler } from './http/router.ts';
import { createLogger } from './logging/logger.ts';
import type { Logger } from './logging/logger.ts';
import { registerSecret } from './logging/scrub.ts';
import { createGatewayMetrics } from './observability/metrics.ts';
import { countExchanges, countLookups } from './observability/token-metrics.ts';
import { createTracing } from './observability/tracing.ts';
import { createTokenExchange } from './upstream/pharmaone-client.ts';
import { createTokenBroker } from './upstream/token-broker.ts';
import { createUpstreamStack } from './upstream/upstream-stack.ts';
import { createMemoryIdempotencyStore } from './writes/idempotency-store.ts';
import type { WriteOutcome } from './writes/run-write.ts';

export interface GatewayUpstream {
  /** Manager base URL, e.g. https://manager.pharmaone.dev.secpaid.com */
  baseUrl: string;
  /** Shop proxy URL with `{shopId}`, e.g. https://{shopId}.pharmaone.dev.secpaid.com; unset disables §8 writes. */
  shopUrlTemplate: string | undefined;
}

export interface RunningGateway {
  url: string;
  port: number;
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
  });
  metrics.watchUpstream(http);
  const broker = countLookups(
    createTokenBroker({
      exchange: countExchanges(createTokenExchange(http), metrics),
      refreshMarginMs: config.upstream.tokenRefreshMarginMs,
      maxEntries: config.upstream.tokenCacheSize,
    }),
    metrics,
  );
  const apollo = createApolloServer(config, { logger, metrics, tracing });
  await apollo.start();
  const authenticate =
    config.auth.mode === 'bff'
      ? bffAuthenticator(await createBffTokenVerifier(config.auth.bff), config.auth.orgKeys)
      : passThroughAuthenticator();

  const idempotency = createMemoryIdempotencyStore<WriteOutcome>({
    maxEntries: config.idempotency.maxKeys,
    ttlMs: config.idempotency.ttlMs,
  });
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
    schema: buildGatewaySchema(),
    authenticate,
    feed,
    settings: config.feed,
    client: { http, broker, ...upstream },
    idempotency,
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
      detailConcurrency: config.upstream.detailConcurrency,
      operationDeadlineMs: config.resilience.operationDeadlineMs,
      onLoaderBatch: metrics.loaderBatch,
      upstreamCallBudget: config.queryLimits.upstreamCallBudget,
      idempotency,
      feed,
    }),
  );
  // GraphiQL for browsers at GET /graphql (HTML-preferring requests only) plus its bundle's files.
  const playground = config.graphiqlEnabled
    ? await createPlayground({ sandbox: !config.pharmaoneBaseUrl, warn: (message) => logger.warn(message) })
    : null;
  const tracedGraphql: RouteHandler = (req, res) => tracing.inOperation(req, () => graphql(req, res));
  const shutdown = createDrainControl();
  const server = createServer(
    shutdown.track(
      createRouter(logger, {
        '/graphql': playground ? playground.wrap(tracedGraphql) : tracedGraphql,
        ...playground?.routes,
        [config.feed.ssePath]: (req, res) => feedTransports.handleSse(req, res),
        '/healthz': getOnly((_, res) => sendJson(res, 200, { status: 'ok' })),
        '/readyz': readinessProbe({ draining: shutdown.draining, breakers: http.breakerStates }),
        '/metrics': metricsEndpoint(metrics),
      }),
    ),
  );
  server.on('upgrade', (req, socket, head) => feedTransports.handleUpgrade(req, socket, head));
  shutdown.beforeClose(() => feedTransports.close());
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  const drain = () => shutdown.drain(server, { delayMs: config.operations.shutdownDelayMs, graceMs: config.operations.shutdownGraceMs });

  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    drain,
    feedStats: () => feed.stats(),
    async close() {
      await drain();
      await feedBackend.close();
      await apollo.stop();
      await http.close();
      await tracing.shutdown();
    },
  };
}
