// Gateway configuration, read once from the environment. Every variable is listed in the README.
// Nothing here is secret-bearing in pass-through mode: callers bring their own integration keys.
import { loadAuthConfig } from './auth/auth-config.ts';
import type { AuthConfig } from './auth/auth-config.ts';
import { loadQueryLimits } from './graphql/safety/query-limits.ts';
import type { QueryLimits } from './graphql/safety/query-limits.ts';

export interface GatewayConfig {
  port: number;
  host: string;
  /** Manager base URL; unset means "start the embedded sandbox and use it". */
  pharmaoneBaseUrl: string | undefined;
  /** Shop proxy URL with `{shopId}` substituted; defaults to the sandbox's shop proxies in sandbox mode. */
  shopUrlTemplate: string | undefined;
  upstream: UpstreamConfig;
  /** Adds `extensions.upstream` (the REST calls a response cost) to every response. */
  debugUpstream: boolean;
  idempotency: {
    /** How long a mutation's outcome is replayed for its idempotencyKey. */
    ttlMs: number;
    maxKeys: number;
  };
  /** Who may call, and with which PharmaOne credentials (see src/auth/). */
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
  /** Run operations on graphql-jit's compiled plans (src/graphql/jit-executor.ts); false: graphql-js only. */
  graphqlJit: boolean;
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

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): GatewayConfig {
  return {
    port: intVar(env, 'PORT', 4000, 0, 65_535),
    host: env.HOST ?? '0.0.0.0',
    pharmaoneBaseUrl: urlVar(env, 'PHARMAONE_BASE_URL'),
    shopUrlTemplate: env.PHARMAONE_SHOP_URL_TEMPLATE || undefined,
    debugUpstream: boolVar(env, 'GATEWAY_DEBUG_UPSTREAM', false),
    auth: loadAuthConfig(env),
    queryLimits: loadQueryLimits(env),
    logLevel: logLevelVar(env),
    persistedQueries: persistedQueryVars(env),
    responseCacheBytes: intVar(env, 'RESPONSE_CACHE_MB', 64, 0, 65_536) * 1024 * 1024,
    graphiqlEnabled: boolVar(env, 'GRAPHIQL_ENABLED', env.NODE_ENV !== 'production'),
    resilience: resilienceVars(env),
    operations: operationsVars(env),
    tracing: tracingVars(env),
    graphqlJit: boolVar(env, 'GRAPHQL_JIT', true),
    idempotency: {
      ttlMs: intVar(env, 'IDEMPOTENCY_TTL_SECONDS', 86_400, 1, 30 * 86_400) * 1000,
      maxKeys: intVar(env, 'IDEMPOTENCY_MAX_KEYS', 100_000, 1, 10_000_000),
    },
    upstream: {
      connectionsPerOrigin: intVar(env, 'UPSTREAM_CONNECTIONS_PER_ORIGIN', 64, 1, 1024),
      connectTimeoutMs: intVar(env, 'UPSTREAM_CONNECT_TIMEOUT_MS', 2_000, 1, 60_000),
      headersTimeoutMs: intVar(env, 'UPSTREAM_HEADERS_TIMEOUT_MS', 10_000, 1, 300_000),
      bodyTimeoutMs: intVar(env, 'UPSTREAM_BODY_TIMEOUT_MS', 10_000, 1, 300_000),
      tokenRefreshMarginMs: intVar(env, 'TOKEN_REFRESH_MARGIN_SECONDS', 60, 0, 3_600) * 1000,
      tokenCacheSize: intVar(env, 'TOKEN_CACHE_SIZE', 1_000, 1, 1_000_000),
      // A mobile page of 20 orders fetches its 20 details in one wave.
      detailConcurrency: intVar(env, 'UPSTREAM_DETAIL_CONCURRENCY', 32, 1, 256),
    },
  };
}

function persistedQueryVars(env: Env): GatewayConfig['persistedQueries'] {
  const safelistPath = env.PERSISTED_QUERIES_SAFELIST || undefined;
  const enforce = boolVar(env, 'PERSISTED_QUERIES_ENFORCE', false);
  // Enforcing an absent list would refuse every operation: a configuration mistake, not a policy.
  if (enforce && !safelistPath) throw new Error('PERSISTED_QUERIES_ENFORCE=true needs PERSISTED_QUERIES_SAFELIST (a manifest path)');
  return { apqCacheBytes: intVar(env, 'APQ_CACHE_MB', 16, 1, 65_536) * 1024 * 1024, safelistPath, enforce };
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
}

export interface TracingConfig {
  enabled: boolean;
  serviceName: string;
  exporter: 'otlp' | 'console' | 'none';
}

function resilienceVars(env: Env): ResilienceConfig {
  const operationDeadlineMs = intVar(env, 'OPERATION_DEADLINE_MS', 15_000, 100, 300_000);
  return {
    operationDeadlineMs,
    retry: {
      maxAttempts: intVar(env, 'UPSTREAM_RETRY_MAX_ATTEMPTS', 3, 1, 10),
      baseDelayMs: intVar(env, 'UPSTREAM_RETRY_BASE_DELAY_MS', 100, 1, 60_000),
      maxDelayMs: intVar(env, 'UPSTREAM_RETRY_MAX_DELAY_MS', 2_000, 1, 60_000),
    },
    retryBudget: {
      ratio: intVar(env, 'UPSTREAM_RETRY_BUDGET_PERCENT', 20, 0, 100) / 100,
      minRetriesPerWindow: intVar(env, 'UPSTREAM_RETRY_BUDGET_MIN_RETRIES', 10, 0, 100_000),
      windowMs: intVar(env, 'UPSTREAM_RETRY_BUDGET_WINDOW_MS', 10_000, 100, 600_000),
    },
    breaker: {
      minCalls: intVar(env, 'UPSTREAM_BREAKER_MIN_CALLS', 20, 1, 100_000),
      errorRate: intVar(env, 'UPSTREAM_BREAKER_ERROR_PERCENT', 50, 1, 100) / 100,
      windowMs: intVar(env, 'UPSTREAM_BREAKER_WINDOW_MS', 10_000, 100, 600_000),
      openMs: intVar(env, 'UPSTREAM_BREAKER_OPEN_MS', 5_000, 10, 600_000),
      halfOpenProbes: intVar(env, 'UPSTREAM_BREAKER_HALF_OPEN_PROBES', 1, 1, 100),
    },
    bulkhead: {
      maxConcurrent: intVar(env, 'UPSTREAM_ORG_CONCURRENCY', 32, 1, 1024),
      // Admission by predicted wait, not queue length (issue 14): a long queue of fast calls is
      // healthy. By default only the operation's deadline limits the wait.
      maxWaitMs: intVar(env, 'UPSTREAM_ORG_MAX_WAIT_MS', operationDeadlineMs, 0, 300_000),
    },
  };
}

function operationsVars(env: Env): OperationsConfig {
  return {
    shutdownDelayMs: intVar(env, 'SHUTDOWN_DELAY_MS', 0, 0, 120_000),
    shutdownGraceMs: intVar(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    metricsMaxOperationNames: intVar(env, 'METRICS_MAX_OPERATION_NAMES', 100, 0, 10_000),
  };
}

/** Off unless OTEL_ENABLED is true or OTEL_TRACES_EXPORTER names an exporter; OTEL_SDK_DISABLED=true wins. */
function tracingVars(env: Env): TracingConfig {
  const exporter = (env.OTEL_TRACES_EXPORTER || 'otlp').toLowerCase();
  if (exporter !== 'otlp' && exporter !== 'console' && exporter !== 'none') {
    throw new Error(`OTEL_TRACES_EXPORTER must be otlp, console or none, got "${env.OTEL_TRACES_EXPORTER}"`);
  }
  const asked = boolVar(env, 'OTEL_ENABLED', Boolean(env.OTEL_TRACES_EXPORTER) && exporter !== 'none');
  return { enabled: asked && !boolVar(env, 'OTEL_SDK_DISABLED', false), serviceName: env.OTEL_SERVICE_NAME || 'pharmaone-graph', exporter };
}

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function boolVar(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name]?.toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be true or false, got "${env[name]}"`);
}

function logLevelVar(env: Env): string {
  const level = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(level)) {
    throw new Error(`LOG_LEVEL must be fatal, error, warn, info, debug, trace or silent, got "${env.LOG_LEVEL}"`);
  }
  return level;
}

function urlVar(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`${name} must be an absolute http(s) URL, got "${raw}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${name} must be an http(s) URL, got "${raw}"`);
  }
  return raw.replace(/\/+$/, '');
}
