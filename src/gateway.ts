// Composition root: wires the shared pieces once per process — the upstream stack (undici pool,
// resilience, metrics, traces), the token broker, Apollo, the idempotency store — and serves them
// over node:http. Everything per request lives in graphql/context.ts.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { createBffTokenVerifier } from './auth/bff-token-verifier.ts';
import { bffAuthenticator, passThroughAuthenticator } from './auth/caller.ts';
import type { GatewayConfig } from './config.ts';
import { createApolloServer } from './graphql/apollo-server.ts';
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
import { createStores } from './stores/index.ts';

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
  // Idempotency, APQ and response cache: in memory, or shared by the fleet through Redis (REDIS_URL).
  const stores = createStores(
    {
      stores: config.stores,
      idempotencyTtlMs: config.idempotency.ttlMs,
      idempotencyMaxKeys: config.idempotency.maxKeys,
      apqCacheBytes: config.persistedQueries.apqCacheBytes,
      responseCacheBytes: config.responseCacheBytes,
    },
    {
      registry: metrics.registry,
      onReachableChange: (store, reachable) =>
        reachable
          ? logger.info({ store }, 'shared store (Redis) reachable')
          : logger.warn({ store }, 'shared store (Redis) unreachable: caches bypassed, keyed mutations refused until it is back'),
    },
  );
  const apollo = createApolloServer(config, { logger, metrics, tracing, stores });
  await apollo.start();
  const authenticate =
    config.auth.mode === 'bff'
      ? bffAuthenticator(await createBffTokenVerifier(config.auth.bff), config.auth.orgKeys)
      : passThroughAuthenticator();

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
      idempotency: stores.idempotency,
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
        '/healthz': getOnly((_, res) => sendJson(res, 200, { status: 'ok' })),
        '/readyz': readinessProbe({ draining: shutdown.draining, breakers: http.breakerStates, stores: stores.health }),
        '/metrics': metricsEndpoint(metrics),
      }),
    ),
  );
  await new Promise<void>((resolve) => server.listen(config.port, config.host, resolve));
  const { port } = server.address() as AddressInfo;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;

  const drain = () => shutdown.drain(server, { delayMs: config.operations.shutdownDelayMs, graceMs: config.operations.shutdownGraceMs });

  return {
    url: `http://${shownHost}:${port}/graphql`,
    port,
    drain,
    async close() {
      await drain();
      await apollo.stop();
      await http.close();
      await stores.close();
      await tracing.shutdown();
    },
  };
}
