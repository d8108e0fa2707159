// Gateway configuration, read once from the environment and validated as a whole: loadConfig
// throws one ConfigError listing every problem (src/config/env.ts), so an operator fixes them all
// in one go. Every variable is listed in the README. Nothing here is secret-bearing in
// pass-through mode: callers bring their own integration keys.
//
// Each section has its own read function below (readX(read: EnvReader)); a new setting goes into
// the section it belongs to, or a new section, and is read only through the EnvReader.
import { isIP } from 'node:net';
import { readAuthConfig } from './auth/auth-config.ts';
import type { AuthConfig } from './auth/auth-config.ts';
import { parseEnv } from './config/env.ts';
import type { Env, EnvReader } from './config/env.ts';
import { readQueryLimits } from './graphql/safety/query-limits.ts';
import { readUpstreamLimits } from './upstream/upstream-limits.ts';
import type { UpstreamLimits } from './upstream/upstream-limits.ts';
import { readFeedSettings } from './feed/settings.ts';
import type { FeedSettings } from './feed/settings.ts';
import type { QueryLimits } from './graphql/safety/query-limits.ts';
import { readFederationConfig } from './federation/config.ts';
import type { FederationConfig } from './federation/config.ts';

export { ConfigError } from './config/env.ts';
import { readCorsSettings } from './http/cors.ts';
import type { CorsSettings } from './http/cors.ts';
import { checkHttpServerLimits } from './http/server-limits.ts';
import type { HttpServerLimits } from './http/server-limits.ts';
import { readStoreConfig } from './stores/config.ts';
import type { StoreConfig } from './stores/config.ts';

export interface GatewayConfig {
  port: number;
  host: string;
  /** The upstream mode: real PharmaOne, or the embedded sandbox (decided here, nowhere else). */
  pharmaone: PharmaOneTarget;
  upstream: UpstreamConfig;
  /** Bounds on what PharmaOne's answers can make the gateway do (src/upstream/upstream-limits.ts). */
  upstreamLimits: UpstreamLimits;
  /** Adds `extensions.upstream` (the REST calls a response cost) to every response. */
  debugUpstream: boolean;
  idempotency: {
    /** How long a mutation's outcome is replayed for its idempotencyKey. */
    ttlMs: number;
    maxKeys: number;
  };
  /** The caller mode (pass-through or BFF): who may call, with which PharmaOne credentials (src/auth/). */
  auth: AuthConfig;
  /** What one operation may ask for (src/graphql/safety/). */
  queryLimits: QueryLimits;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** Automatic persisted queries and the optional safelist (src/graphql/plugins/persisted-queries.ts). */
  persistedQueries: {
    /** Bound on the summed size of the query texts APQ keeps. */
    apqCacheBytes: number;
    /** An Apollo persisted-query manifest; unset: no safelist. */
    safelistPath: string | undefined;
    /** Run only the safelist's operations. */
    enforce: boolean;
  };
  /** Bound on the response cache for @cacheControl-hinted data (src/graphql/plugins/response-cache.ts); 0 turns it off. */
  responseCacheBytes: number;
  /** GraphiQL at GET /graphql for browsers (src/http/graphiql/); off by default in production. */
  graphiqlEnabled: boolean;
  /** Deadline, retries, breaker and bulkhead around PharmaOne calls (src/upstream/resilience/). */
  resilience: ResilienceConfig;
  /** Shutdown and metrics. */
  operations: OperationsConfig;
  /** OpenTelemetry tracing (src/observability/tracing.ts); off by default. */
  tracing: TracingConfig;
  /** FEDERATION_SUBGRAPH: serve as a Federation 2 subgraph (src/federation/); off by default. */
  federation: FederationConfig;
  /** Timeouts and connection cap of the gateway's own HTTP server (src/http/server-limits.ts). */
  httpServer: HttpServerLimits;
  /** Browser apps on other origins (src/http/cors.ts): CORS_ORIGINS. */
  cors: CorsSettings;
  /** In-memory or Redis-shared stores: idempotency, APQ, response cache (src/stores/). */
  stores: StoreConfig;
  /** The live order feed: subscriptions (src/feed/settings.ts). */
  feed: FeedSettings;
  /** Run operations on graphql-jit's compiled plans (src/graphql/jit-executor.ts); false: graphql-js only. */
  graphqlJit: boolean;
  /** Runs of a document (by proven callers, within a minute) after which it is compiled. */
  graphqlJitHotAfter: number;
  /** Heap for every cache kept per query text together (src/graphql/document-caches.ts). */
  graphqlDocumentCacheBytes: number;
  /** Serve queries Apollo has accepted before on the fast path (src/graphql/prepared-operations.ts); false: Apollo serves every request. */
  graphqlPreparedOperations: boolean;
}

export interface UpstreamConfig {
  /** Keep-alive connections per upstream origin (undici pool size). */
  connectionsPerOrigin: number;
  connectTimeoutMs: number;
  headersTimeoutMs: number;
  bodyTimeoutMs: number;
  /** A cached JWT is replaced this long before its `exp`, so no request races the expiry. */
  tokenRefreshMarginMs: number;
  /** Most (base URL, org, credential) tokens kept in memory. */
  tokenCacheSize: number;
  /** Order-detail fetches one operation may run at once (there is no batch endpoint). */
  detailConcurrency: number;
}

/**
 * Where PharmaOne is. `sandbox`: `npm start` starts the embedded sandbox on `sandboxPort` and
 * uses it; never by default in production (fail closed: a missing PHARMAONE_BASE_URL must not go
 * live on demo data), only with PHARMAONE_SANDBOX=true.
 */
export type PharmaOneTarget =
  | {
      mode: 'pharmaone';
      /** Manager base URL, no trailing slash. */
      baseUrl: string;
      /** Shop proxy URL with `{shopId}`; unset disables §8 writes (no guessed default: a wrong host would send real orders elsewhere). */
      shopUrlTemplate: string | undefined;
    }
  | { mode: 'sandbox'; sandboxPort: number };

/** Throws ConfigError listing every problem found in `env`. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  return parseEnv(env, readGatewayConfig);
}

export function readGatewayConfig(read: EnvReader): GatewayConfig {
  const port = read.int('PORT', { fallback: 4000, min: 0, max: 65_535 });
  const stores = readStoreConfig(read);
  const config = {
    port,
    host: hostVar(read, 'HOST', '0.0.0.0'),
    pharmaone: readPharmaOneTarget(read),
    debugUpstream: read.bool('GATEWAY_DEBUG_UPSTREAM', false),
    auth: readAuthConfig(read),
    queryLimits: readQueryLimits(read),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    persistedQueries: readPersistedQueries(read),
    responseCacheBytes: read.bytes('RESPONSE_CACHE_MB', { fallback: 64, min: 0, max: 65_536 }),
    graphiqlEnabled: read.bool('GRAPHIQL_ENABLED', !read.production),
    resilience: readResilience(read),
    upstreamLimits: readUpstreamLimits(read),
    operations: readOperations(read, port),
    tracing: readTracing(read),
    federation: readFederationConfig(read),
    httpServer: readHttpServer(read),
    stores,
    feed: readFeedSettings(read, stores.redisUrl),
    graphqlJit: read.bool('GRAPHQL_JIT', true),
    graphqlJitHotAfter: read.int('GRAPHQL_JIT_HOT_AFTER', { fallback: 3, min: 1, max: 1_000 }),
    graphqlDocumentCacheBytes: read.bytes('GRAPHQL_DOCUMENT_CACHE_MB', { fallback: 64, min: 1, max: 4_096 }),
    graphqlPreparedOperations: read.bool('GRAPHQL_PREPARED_OPERATIONS', true),
    idempotency: {
      ttlMs: read.durationMs('IDEMPOTENCY_TTL_SECONDS', { fallback: 86_400, min: 1, max: 30 * 86_400 }),
      maxKeys: read.int('IDEMPOTENCY_MAX_KEYS', { fallback: 100_000, min: 1, max: 10_000_000 }),
    },
    upstream: {
      connectionsPerOrigin: read.int('UPSTREAM_CONNECTIONS_PER_ORIGIN', { fallback: 64, min: 1, max: 1024 }),
      connectTimeoutMs: read.durationMs('UPSTREAM_CONNECT_TIMEOUT_MS', { fallback: 2_000, min: 1, max: 60_000 }),
      headersTimeoutMs: read.durationMs('UPSTREAM_HEADERS_TIMEOUT_MS', { fallback: 10_000, min: 1, max: 300_000 }),
      bodyTimeoutMs: read.durationMs('UPSTREAM_BODY_TIMEOUT_MS', { fallback: 10_000, min: 1, max: 300_000 }),
      tokenRefreshMarginMs: read.durationMs('TOKEN_REFRESH_MARGIN_SECONDS', { fallback: 60, min: 0, max: 3_600 }),
      tokenCacheSize: read.int('TOKEN_CACHE_SIZE', { fallback: 1_000, min: 1, max: 1_000_000 }),
      // A mobile page of 20 orders fetches its 20 details in one wave.
      detailConcurrency: read.int('UPSTREAM_DETAIL_CONCURRENCY', { fallback: 32, min: 1, max: 256 }),
    },
  };
  return { ...config, cors: readCorsSettings(read, { sandbox: config.pharmaone.mode === 'sandbox' }) };
}

function readPharmaOneTarget(read: EnvReader): PharmaOneTarget {
  const baseUrl = read.url('PHARMAONE_BASE_URL');
  const baseUrlSet = read.text('PHARMAONE_BASE_URL') !== undefined;
  const shopUrlTemplate = shopUrlTemplateVar(read);
  // Outside production the sandbox is the zero-config default; in production it must be asked for.
  const sandbox = read.bool('PHARMAONE_SANDBOX', !baseUrlSet && !read.production);
  if (sandbox) {
    if (baseUrlSet) read.problem('PHARMAONE_SANDBOX=true and PHARMAONE_BASE_URL are both set: choose the sandbox or PharmaOne');
    if (shopUrlTemplate)
      read.problem('PHARMAONE_SHOP_URL_TEMPLATE is set without PHARMAONE_BASE_URL (the sandbox uses its own shop proxies)');
    return { mode: 'sandbox', sandboxPort: read.int('SANDBOX_PORT', { fallback: 4010, min: 0, max: 65_535 }) };
  }
  if (!baseUrlSet) {
    read.problem(
      read.production
        ? 'NODE_ENV=production needs PHARMAONE_BASE_URL (the Manager base URL); the embedded sandbox serves demo data and starts in production only with PHARMAONE_SANDBOX=true'
        : 'PHARMAONE_SANDBOX=false needs PHARMAONE_BASE_URL (the Manager base URL)',
    );
  }
  return { mode: 'pharmaone', baseUrl: (baseUrl ?? '').replace(/\/+$/, ''), shopUrlTemplate };
}

function shopUrlTemplateVar(read: EnvReader): string | undefined {
  const template = read.text('PHARMAONE_SHOP_URL_TEMPLATE');
  if (template === undefined) return undefined;
  let valid = template.includes('{shopId}');
  try {
    const url = new URL(template.replaceAll('{shopId}', 'shop1'));
    valid &&= url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    valid = false;
  }
  if (!valid)
    read.problem('PHARMAONE_SHOP_URL_TEMPLATE must be an http(s) URL containing {shopId}, e.g. https://{shopId}.pharmaone.example');
  return valid ? template.replace(/\/+$/, '') : undefined;
}

function hostVar(read: EnvReader, name: string, fallback: string): string {
  const host = read.text(name) ?? fallback;
  // An IP literal or a DNS name; anything else fails later in listen() with a less clear error.
  if (isIP(host) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(host)) {
    read.problem(`${name} must be an IP address or a host name, got "${host}"`);
    return fallback;
  }
  return host;
}

function readPersistedQueries(read: EnvReader): GatewayConfig['persistedQueries'] {
  const safelistPath = read.file('PERSISTED_QUERIES_SAFELIST');
  const enforce = read.bool('PERSISTED_QUERIES_ENFORCE', false);
  // Enforcing an absent list would refuse every operation: a configuration mistake, not a policy.
  if (enforce && !safelistPath) read.problem('PERSISTED_QUERIES_ENFORCE=true needs PERSISTED_QUERIES_SAFELIST (a manifest path)');
  return { apqCacheBytes: read.bytes('APQ_CACHE_MB', { fallback: 16, min: 1, max: 65_536 }), safelistPath, enforce };
}

export interface ResilienceConfig {
  /** Overall deadline of one GraphQL operation, every upstream call and retry wait included. */
  operationDeadlineMs: number;
  /** GET only; attempts in all (1 = no retries), backoff with full jitter between them. */
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Per origin: retries ≤ ratio × calls + minRetriesPerWindow over the window. */
  retryBudget: { ratio: number; minRetriesPerWindow: number; windowMs: number };
  /** Per origin: opens at errorRate of ≥ minCalls calls in the window, for openMs, then probes. */
  breaker: { minCalls: number; errorRate: number; windowMs: number; openMs: number; halfOpenProbes: number };
  /** Per org: concurrent upstream calls, and the longest predicted wait for a slot that is admitted. */
  bulkhead: { maxConcurrent: number; maxWaitMs: number };
}

export interface OperationsConfig {
  /** After SIGTERM: readiness is 503 for this long before the listener closes (load balancer catch-up). */
  shutdownDelayMs: number;
  /** After the listener closes: how long requests in flight may take to finish. */
  shutdownGraceMs: number;
  /** Distinct operation names that get their own metric series; later ones share "other". */
  metricsMaxOperationNames: number;
  /**
   * METRICS_PORT set: /metrics (and the probes) on their own listener, which the Ingress never
   * exposes, and no /metrics on the public port. Unset: everything on PORT (local runs).
   */
  metricsListener: { port: number; host: string } | undefined;
}

export interface TracingConfig {
  enabled: boolean;
  serviceName: string;
  exporter: 'otlp' | 'console' | 'none';
}

function readResilience(read: EnvReader): ResilienceConfig {
  const retry = {
    maxAttempts: read.int('UPSTREAM_RETRY_MAX_ATTEMPTS', { fallback: 3, min: 1, max: 10 }),
    baseDelayMs: read.durationMs('UPSTREAM_RETRY_BASE_DELAY_MS', { fallback: 100, min: 1, max: 60_000 }),
    maxDelayMs: read.durationMs('UPSTREAM_RETRY_MAX_DELAY_MS', { fallback: 2_000, min: 1, max: 60_000 }),
  };
  if (retry.baseDelayMs > retry.maxDelayMs) read.problem('UPSTREAM_RETRY_BASE_DELAY_MS must not exceed UPSTREAM_RETRY_MAX_DELAY_MS');
  const operationDeadlineMs = read.durationMs('OPERATION_DEADLINE_MS', { fallback: 15_000, min: 100, max: 300_000 });
  return {
    operationDeadlineMs,
    retry,
    retryBudget: {
      ratio: read.fraction('UPSTREAM_RETRY_BUDGET_PERCENT', { fallback: 20, min: 0, max: 100 }),
      minRetriesPerWindow: read.int('UPSTREAM_RETRY_BUDGET_MIN_RETRIES', { fallback: 10, min: 0, max: 100_000 }),
      windowMs: read.durationMs('UPSTREAM_RETRY_BUDGET_WINDOW_MS', { fallback: 10_000, min: 100, max: 600_000 }),
    },
    breaker: {
      minCalls: read.int('UPSTREAM_BREAKER_MIN_CALLS', { fallback: 20, min: 1, max: 100_000 }),
      errorRate: read.fraction('UPSTREAM_BREAKER_ERROR_PERCENT', { fallback: 50, min: 1, max: 100 }),
      windowMs: read.durationMs('UPSTREAM_BREAKER_WINDOW_MS', { fallback: 10_000, min: 100, max: 600_000 }),
      openMs: read.durationMs('UPSTREAM_BREAKER_OPEN_MS', { fallback: 5_000, min: 10, max: 600_000 }),
      halfOpenProbes: read.int('UPSTREAM_BREAKER_HALF_OPEN_PROBES', { fallback: 1, min: 1, max: 100 }),
    },
    bulkhead: {
      maxConcurrent: read.int('UPSTREAM_ORG_CONCURRENCY', { fallback: 32, min: 1, max: 1024 }),
      // Admission by predicted wait, not queue length (issue 14): a long queue of fast calls is
      // healthy. By default only the operation's deadline limits the wait.
      maxWaitMs: read.durationMs('UPSTREAM_ORG_MAX_WAIT_MS', { fallback: operationDeadlineMs, min: 0, max: 300_000 }),
    },
  };
}

// --- HTTP server limits (slow clients, connection cap) -------------------------------------
function readHttpServer(read: EnvReader): HttpServerLimits {
  const limits = {
    headersTimeoutMs: read.durationMs('HTTP_HEADERS_TIMEOUT_MS', { fallback: 10_000, min: 100, max: 600_000 }),
    requestTimeoutMs: read.durationMs('HTTP_REQUEST_TIMEOUT_MS', { fallback: 30_000, min: 100, max: 3_600_000 }),
    keepAliveTimeoutMs: read.durationMs('HTTP_KEEP_ALIVE_TIMEOUT_MS', { fallback: 5_000, min: 100, max: 600_000 }),
    maxConnections: read.int('HTTP_MAX_CONNECTIONS', { fallback: 1_024, min: 1, max: 1_000_000 }),
  };
  return read.attempt(() => checkHttpServerLimits(limits), limits);
}

function readOperations(read: EnvReader, publicPort: number): OperationsConfig {
  const metricsPort = read.text('METRICS_PORT') === undefined ? undefined : read.int('METRICS_PORT', { fallback: 0, min: 0, max: 65_535 });
  if (metricsPort !== undefined && metricsPort !== 0 && metricsPort === publicPort) {
    read.problem(`METRICS_PORT must differ from PORT (${publicPort}): metrics get their own listener, or leave METRICS_PORT unset`);
  }
  if (metricsPort === undefined && read.text('METRICS_HOST') !== undefined) read.problem('METRICS_HOST is set without METRICS_PORT');
  return {
    shutdownDelayMs: read.durationMs('SHUTDOWN_DELAY_MS', { fallback: 0, min: 0, max: 120_000 }),
    shutdownGraceMs: read.durationMs('SHUTDOWN_GRACE_MS', { fallback: 10_000, min: 0, max: 600_000 }),
    metricsMaxOperationNames: read.int('METRICS_MAX_OPERATION_NAMES', { fallback: 100, min: 0, max: 10_000 }),
    metricsListener:
      metricsPort === undefined ? undefined : { port: metricsPort, host: hostVar(read, 'METRICS_HOST', read.text('HOST') ?? '0.0.0.0') },
  };
}

/** Off unless OTEL_ENABLED is true or OTEL_TRACES_EXPORTER names an exporter; OTEL_SDK_DISABLED=true wins. */
function readTracing(read: EnvReader): TracingConfig {
  const exporter = read.oneOf('OTEL_TRACES_EXPORTER', ['otlp', 'console', 'none'], 'otlp');
  const asked = read.bool('OTEL_ENABLED', read.text('OTEL_TRACES_EXPORTER') !== undefined && exporter !== 'none');
  return {
    enabled: asked && !read.bool('OTEL_SDK_DISABLED', false),
    serviceName: read.text('OTEL_SERVICE_NAME') || 'pharmaone-graph',
    exporter,
  };
}
