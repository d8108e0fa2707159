// Gateway configuration, read once from the environment and validated as a whole: loadConfig
// throws one ConfigError listing every problem (src/config/env.ts), so an operator fixes them all
// in one go. Every variable is listed in docs/configuration.md, generated from these reads. Nothing here is secret-bearing in
// pass-through mode: callers bring their own integration keys.
//
// This file only assembles: each layer owns its settings, their type and their read function
// (readX(read: EnvReader)) beside the code that uses them, and only the top (src/gateway.ts,
// src/main.ts) imports this file. What is checked here is what spans sections (METRICS_PORT against
// PORT) and the process's own listeners. A new setting goes into its layer's section, or a new one,
// and is read only through the EnvReader.
import { isIP } from 'node:net';
import { readAuthConfig } from './auth/auth-config.ts';
import type { AuthConfig } from './auth/auth-config.ts';
import { createEnvReader, parseEnv } from './config/env.ts';
import type { Env, EnvReader } from './config/env.ts';
import { findUnreadSettings } from './config/unread-settings.ts';
import type { KnownSettings, UnreadSetting } from './config/unread-settings.ts';
import { readFederationConfig } from './federation/config.ts';
import type { FederationConfig } from './federation/config.ts';
import { readFeedSettings } from './feed/settings.ts';
import type { FeedSettings } from './feed/settings.ts';
import { readPersistedQueries } from './graphql/plugins/persisted-queries.ts';
import type { PersistedQuerySettings } from './graphql/plugins/persisted-queries.ts';
import { readQuotaSettings } from './graphql/quota/quota-settings.ts';
import type { QuotaSettings } from './graphql/quota/quota-settings.ts';
import { readQueryLimits } from './graphql/safety/query-limits.ts';
import type { QueryLimits } from './graphql/safety/query-limits.ts';
import { readCorsSettings } from './http/cors.ts';
import type { CorsSettings } from './http/cors.ts';
import { readHttpServerLimits } from './http/server-limits.ts';
import type { HttpServerLimits } from './http/server-limits.ts';
import { readTracing } from './observability/tracing.ts';
import type { TracingConfig } from './observability/tracing.ts';
import { readStoreConfig } from './stores/config.ts';
import type { StoreConfig } from './stores/config.ts';
import { RETIRED_RESILIENCE_SETTINGS, readResilience } from './upstream/resilience/resilience-config.ts';
import type { ResilienceConfig } from './upstream/resilience/resilience-config.ts';
import { readPharmaOneTarget, readUpstreamConfig } from './upstream/upstream-config.ts';
import type { PharmaOneTarget, UpstreamConfig } from './upstream/upstream-config.ts';
import { readUpstreamLimits } from './upstream/upstream-limits.ts';
import type { UpstreamLimits } from './upstream/upstream-limits.ts';
import { readIdempotencySettings } from './writes/idempotency-store.ts';
import type { IdempotencySettings } from './writes/idempotency-store.ts';

export { ConfigError } from './config/env.ts';

export interface GatewayConfig {
  port: number;
  host: string;
  /** The upstream mode: real PharmaOne, or the embedded sandbox (src/upstream/upstream-config.ts). */
  pharmaone: PharmaOneTarget;
  /** Connections to PharmaOne and its tokens (src/upstream/upstream-config.ts). */
  upstream: UpstreamConfig;
  /** Bounds on what PharmaOne's answers can make the gateway do (src/upstream/upstream-limits.ts). */
  upstreamLimits: UpstreamLimits;
  /** Adds `extensions.upstream` (the REST calls a response cost) to every response. */
  debugUpstream: boolean;
  /** Replays of a mutation's outcome by its idempotencyKey (src/writes/idempotency-store.ts). */
  idempotency: IdempotencySettings;
  /** The caller mode (pass-through or BFF): who may call, with which PharmaOne credentials (src/auth/). */
  auth: AuthConfig;
  /** What one operation may ask for (src/graphql/safety/). */
  queryLimits: QueryLimits;
  /** Fair use per client, counted in PharmaOne calls (src/graphql/quota/); off unless a quota is set. */
  quotas: QuotaSettings;
  /** pino level: fatal, error, warn, info, debug, trace or silent. */
  logLevel: string;
  /** Automatic persisted queries and the optional safelist (src/graphql/plugins/persisted-queries.ts). */
  persistedQueries: PersistedQuerySettings;
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
  /** In production, a set variable the gateway does not read stops the start instead of a warning. */
  configStrict: boolean;
}

/** Throws ConfigError listing every problem found in `env`. */
export function loadConfig(env: Env = process.env): GatewayConfig {
  return loadCheckedConfig(env).config;
}

/**
 * The configuration and the variables set under the gateway's prefixes that it does not read
 * (src/config/unread-settings.ts), for start-up to warn about. In production with CONFIG_STRICT=true
 * they are problems instead: ConfigError lists them with the rest.
 */
export function loadCheckedConfig(env: Env = process.env): { config: GatewayConfig; unread: UnreadSetting[] } {
  return parseEnv(env, (read) => {
    const config = readGatewayConfig(read);
    const unread = findUnreadSettings(read.namesSet, read.namesRead, knownSettings());
    if (config.configStrict && read.production) for (const setting of unread) read.problem(`${setting.message} (CONFIG_STRICT=true)`);
    return { config, unread };
  });
}

// The configurations that between them take every branch that reads a variable (the upstream
// mode, the caller mode, the settings read only when another is set), each named by what selects
// it, so a name read only in one can say so. Production is one too: its defaults differ, and the
// configuration reference (docs/configuration.md) shows a default per mode where they do.
export const CONFIG_BRANCHES: ReadonlyArray<{ when: string; env: Env }> = [
  { when: 'PHARMAONE_SANDBOX=true', env: { PHARMAONE_SANDBOX: 'true' } },
  { when: 'PHARMAONE_BASE_URL', env: { PHARMAONE_BASE_URL: 'https://pharmaone.invalid' } },
  { when: 'NODE_ENV=production', env: { NODE_ENV: 'production', PHARMAONE_BASE_URL: 'https://pharmaone.invalid' } },
  { when: 'AUTH_MODE=bff', env: { PHARMAONE_BASE_URL: 'https://pharmaone.invalid', AUTH_MODE: 'bff' } },
  { when: 'METRICS_PORT', env: { PHARMAONE_BASE_URL: 'https://pharmaone.invalid', METRICS_PORT: '9464' } },
  { when: 'OTEL_ENABLED=true', env: { PHARMAONE_BASE_URL: 'https://pharmaone.invalid', OTEL_ENABLED: 'true' } },
];
let known: KnownSettings | undefined;

/** Every name the configuration reads in some configuration (found by reading each branch), and the retired ones. */
export function knownSettings(): KnownSettings {
  if (known) return known;
  const readIn = CONFIG_BRANCHES.map(({ when, env }) => {
    const read = createEnvReader(env);
    readGatewayConfig(read);
    return { when, names: read.namesRead };
  });
  const names = new Map<string, string | undefined>();
  for (const name of new Set(readIn.flatMap((branch) => [...branch.names]))) {
    const readBy = readIn.filter((branch) => branch.names.has(name));
    names.set(name, readBy.length === readIn.length ? undefined : readBy.map((branch) => branch.when).join(' or '));
  }
  known = { names, retired: RETIRED_RESILIENCE_SETTINGS };
  return known;
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
    quotas: readQuotaSettings(read),
    logLevel: read.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    persistedQueries: readPersistedQueries(read),
    responseCacheBytes: read.bytes('RESPONSE_CACHE_MB', { fallback: 64, min: 0, max: 65_536 }),
    graphiqlEnabled: read.bool('GRAPHIQL_ENABLED', !read.production),
    resilience: readResilience(read),
    upstreamLimits: readUpstreamLimits(read),
    operations: readOperations(read, port),
    tracing: readTracing(read),
    federation: readFederationConfig(read),
    httpServer: readHttpServerLimits(read),
    stores,
    feed: readFeedSettings(read, stores.redisUrl),
    graphqlJit: read.bool('GRAPHQL_JIT', true),
    graphqlJitHotAfter: read.int('GRAPHQL_JIT_HOT_AFTER', { fallback: 3, min: 1, max: 1_000 }),
    graphqlDocumentCacheBytes: read.bytes('GRAPHQL_DOCUMENT_CACHE_MB', { fallback: 64, min: 1, max: 4_096 }),
    graphqlPreparedOperations: read.bool('GRAPHQL_PREPARED_OPERATIONS', true),
    configStrict: read.bool('CONFIG_STRICT', false),
    idempotency: readIdempotencySettings(read),
    upstream: readUpstreamConfig(read),
  };
  return { ...config, cors: readCorsSettings(read, { sandbox: config.pharmaone.mode === 'sandbox' }) };
}

function hostVar(read: EnvReader, name: string, fallback: string): string {
  const host = read.text(name, fallback);
  // An IP literal or a DNS name; anything else fails later in listen() with a less clear error.
  if (isIP(host) === 0 && !/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(host)) {
    read.problem(`${name} must be an IP address or a host name, got "${host}"`);
    return fallback;
  }
  return host;
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

function readOperations(read: EnvReader, publicPort: number): OperationsConfig {
  const metricsPort = read.optionalInt('METRICS_PORT', { min: 0, max: 65_535 });
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
