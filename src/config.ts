// Gateway configuration, read once from the environment. Every variable is listed in the README.
// Nothing here is secret-bearing in pass-through mode: callers bring their own integration keys.

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
