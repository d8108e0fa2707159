// Composition root: wires the shared pieces once per process — the upstream stack (undici pool,
// resilience, metrics, traces), the token broker, Apollo, the idempotency store, the live order
// feed — and serves them over node:http (./gateway-server.ts). Everything per request lives in
// graphql/context.ts.
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { createBffTokenVerifier } from './auth/bff-token-verifier.ts';
import { bffAuthenticator, passThroughAuthenticator } from './auth/caller.ts';
import type { GatewayConfig } from './config.ts';
import { createFeedBackend } from './feed/bus/backend.ts';
import { watchFeed } from './feed/feed-metrics.ts';
import { createOrderFeed } from './feed/order-feed.ts';
import type { FeedStats } from './feed/order-feed.ts';
import { serveGateway } from './gateway-server.ts';
import { createFeedTransports } from './http/subscriptions/feed-transports.ts';
import type { FeedTransportDeps } from './http/subscriptions/feed-transports.ts';
import { createApolloServer } from './server/apollo-server.ts';
import { callerOf, createContextFactory, finishOperation } from './graphql/context.ts';
import type { ContextDeps } from './graphql/context.ts';
import { callsMadeIn } from './graphql/quota/client-quota.ts';
import { createCors } from './http/cors.ts';
import { createGraphqlHandler } from './http/graphql-handler.ts';
import { createLogger } from './logging/logger.ts';
import type { Logger } from './logging/logger.ts';
import { currentRequestId } from './logging/request-scope.ts';
import { registerSecret } from './logging/scrub.ts';
import { createGatewayMetrics, watchDocumentCaches, watchLogLines, watchPreparedOperations } from './observability/metrics.ts';
import type { GatewayMetrics } from './observability/metrics.ts';
import { createOperationReporter } from './observability/operation-report.ts';
import { createTracing } from './observability/tracing.ts';
import type { PharmaOneClientDeps } from './upstream/pharmaone-client.ts';
import { createUpstreamStack } from './upstream/upstream-stack.ts';
import { createCredentials } from './server/credentials.ts';
import { createStores } from './server/stores.ts';
import type { Stores } from './server/stores.ts';

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
  /** The feed's poll-freshness clock (pharmaone_feed_poll_age_seconds), Date.now by default: tests age a scope's last good poll. */
  feedClock?: () => number;
}

export async function startGateway(
  config: GatewayConfig,
  upstream: GatewayUpstream,
  options: GatewayOptions = {},
): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  if (config.auth.mode === 'bff') for (const key of config.auth.orgKeys.values()) registerSecret(key);
  const metrics = createGatewayMetrics({
    maxOperationNames: config.operations.metricsMaxOperationNames,
    clients: { maxLabels: config.quotas.maxClientLabels, named: config.quotas.clientOverrides.keys() },
  });
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
  const { broker, provenCredentials } = createCredentials(config, { http, stores, metrics, tokenClock: options.tokenClock });
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
  watchLogLines(metrics.registry);
  await apollo.start();
  const authenticate =
    config.auth.mode === 'bff'
      ? bffAuthenticator(await createBffTokenVerifier(config.auth.bff), config.auth.orgKeys)
      : passThroughAuthenticator();
  const client = { http, broker, ...upstream };
  // One log line and metric per operation, on every transport (src/observability/operation-report.ts).
  const reportOperation = createOperationReporter({ logger, metrics });
  // Browser apps on other origins (CORS_ORIGINS): the GraphQL routes, the SSE route and WebSocket upgrades.
  const cors = createCors(config.cors);
  const { feedBackend, feed, feedTransports } = await startOrderFeed(config, {
    logger,
    metrics,
    client,
    admission,
    authenticate,
    stores,
    errors: graphqlServer.errors,
    report: reportOperation,
    originAllowed: cors.originAllowed,
    feedClock: options.feedClock,
  });
  const graphql = graphqlOverHttp(config, { graphqlServer, client, authenticate, stores, feed, metrics, logger, report: reportOperation });
  await stores.firstAttempts();
  const { closeMetricsListener, ...listeners } = await serveGateway(config, {
    logger,
    metrics,
    tracing,
    graphql,
    feedTransports,
    cors,
    breakers: http.breakerStates,
    stores: stores.health,
  });

  return {
    ...listeners,
    feedStats: () => feed.stats(),
    // Callers first (drain), then what served them; the metrics listener last, so Prometheus sees the drain.
    async close() {
      await listeners.drain();
      // The writes answered during the drain have events still on their way to the other replicas.
      await feed.settle();
      await feedBackend.close();
      await apollo.stop();
      await http.close();
      await stores.close();
      await tracing.shutdown();
      await closeMetricsListener();
    },
  };
}

/** GraphQL over HTTP (src/http/graphql-handler.ts): Apollo behind the fast path, batches admitted whole, one report per request. */
function graphqlOverHttp(
  config: GatewayConfig,
  deps: {
    graphqlServer: ReturnType<typeof createApolloServer>;
    client: Omit<PharmaOneClientDeps, 'limits'>;
    authenticate: ContextDeps['authenticate'];
    stores: Stores;
    feed: ContextDeps['feed'];
    metrics: GatewayMetrics;
    logger: Logger;
    report: ReturnType<typeof createOperationReporter>;
  },
) {
  const { graphqlServer, logger } = deps;
  const { prepared } = graphqlServer;
  const { quota } = graphqlServer.admission;
  return createGraphqlHandler(
    graphqlServer.apollo,
    createContextFactory({
      authenticate: deps.authenticate,
      ...deps.client,
      limits: config.upstreamLimits,
      detailConcurrency: config.upstream.detailConcurrency,
      operationDeadlineMs: config.resilience.operationDeadlineMs,
      onLoaderBatch: deps.metrics.loaderBatch,
      upstreamCallBudget: config.queryLimits.upstreamCallBudget,
      idempotency: deps.stores.idempotency,
      feed: deps.feed,
      quota,
    }),
    {
      // One log line and one metric observation per request, whatever path it took.
      report: deps.report,
      describeContext: (context) => ({
        callerMode: context.caller.mode,
        upstreamTrace: context.upstreamTrace,
        clientName: context.quota?.client.name,
      }),
      // The client quota: its fields on every counted answer, and the calls the request made settled once it is sent.
      answerHeaders: (context) => (context.quota && quota ? quota.headers(context.quota) : []),
      onAnswered: (context) => {
        if (context.quota && quota) quota.settle(context.quota, callsMadeIn(context.upstreamTrace));
        // The operation deadline leaves the shared clock; upstream work nobody awaits any more stops.
        finishOperation(context);
      },
      onUnexpectedError: (error) => logger.error({ requestId: currentRequestId(), err: error }, 'unexpected error'),
      ...(prepared ? { fastPath: prepared.serve } : {}),
      refuseBatch: graphqlServer.refuseBatch,
      documentIds: graphqlServer.admission.documentIds,
      incremental: { errors: graphqlServer.errors, maxParts: config.queryLimits.maxIncrementalParts },
    },
  );
}

/** The live order feed (src/feed/): one poller per scope, events to WebSocket and SSE subscribers. */
async function startOrderFeed(
  config: GatewayConfig,
  deps: Pick<FeedTransportDeps, 'logger' | 'client' | 'admission' | 'authenticate' | 'errors' | 'report' | 'originAllowed'> & {
    metrics: GatewayMetrics;
    stores: Stores;
    feedClock: (() => number) | undefined;
  },
) {
  const { logger, client } = deps;
  const feedBackend = await createFeedBackend(config.feed, logger);
  const feed = createOrderFeed({
    settings: config.feed,
    ...feedBackend,
    client,
    logger,
    detailConcurrency: config.upstream.detailConcurrency,
    operationDeadlineMs: config.resilience.operationDeadlineMs,
    upstreamCallBudget: config.queryLimits.upstreamCallBudget,
    // The polls of a shared feed are charged to the org, not to each watcher (src/graphql/quota/).
    onPollCalls: (scope, calls) => deps.admission.quota?.chargeFeed(scope, config.auth.mode, calls),
    ...(deps.feedClock ? { now: deps.feedClock } : {}),
  });
  watchFeed(deps.metrics.registry, () => feed.stats());
  const feedTransports = createFeedTransports({
    // Apollo's schema and admission: one set of rules, one cost table, on every transport.
    schema: deps.admission.schema,
    admission: deps.admission,
    authenticate: deps.authenticate,
    feed,
    settings: config.feed,
    client,
    idempotency: deps.stores.idempotency,
    detailConcurrency: config.upstream.detailConcurrency,
    errors: deps.errors,
    maxIncrementalParts: config.queryLimits.maxIncrementalParts,
    report: deps.report,
    logger,
    wsPath: '/graphql',
    originAllowed: deps.originAllowed,
  });
  return { feedBackend, feed, feedTransports };
}

/** The stores' settings from the gateway's configuration (the stores layer does not know it). */
export function storeSettingsOf(config: GatewayConfig): Parameters<typeof createStores>[0] {
  return {
    stores: config.stores,
    idempotencyTtlMs: config.idempotency.ttlMs,
    idempotencyMaxKeys: config.idempotency.maxKeys,
    apqCacheBytes: config.persistedQueries.apqCacheBytes,
    responseCacheBytes: config.responseCacheBytes,
    quota: { expectedReplicas: config.quotas.expectedReplicas, maxBuckets: config.quotas.maxReplicaBuckets },
  };
}
