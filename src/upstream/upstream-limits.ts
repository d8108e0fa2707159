// Bounds on what PharmaOne's answers can make the gateway do, read once from the environment
// (documented in docs/configuration.md). Upstream numbers (a `pagination.total` of
// 10⁹, a 100 MB body, an exchange that keeps failing) must never drive unbounded work or memory.
import type { EnvReader } from '../config/env.ts';

export interface UpstreamLimits {
  /** UPSTREAM_MAX_BODY_BYTES: reading an answer stops past this size (`too_large`). */
  maxBodyBytes: number;
  /** UPSTREAM_MAX_PAGES_PER_READ: pages one "read all pages" lookup (a shop's catalog or stock) may fetch. */
  maxPagesPerRead: number;
  /** UPSTREAM_MAX_TOKEN_EXCHANGES_PER_OPERATION: token exchanges one operation may start. */
  maxTokenExchangesPerOperation: number;
  /** TOKEN_NEGATIVE_CACHE_MS: how long a refused exchange (401/403) for (credential, org) is answered from memory, fleet-wide with Redis. */
  tokenNegativeCacheMs: number;
  /** TOKEN_CACHE_MAX_BYTES: bound on the token cache. */
  tokenCacheMaxBytes: number;
  /** TOKEN_NEGATIVE_CACHE_MAX_BYTES: bound on the refused-exchange memory. */
  tokenNegativeCacheMaxBytes: number;
  /** UPSTREAM_RATE_LIMIT_MAX_SECONDS: the longest Retry-After honoured (a larger one is cut to it). */
  rateLimitMaxSeconds: number;
  /** UPSTREAM_UNPROVEN_EXCHANGES_PER_KEY: refused exchanges per minute one key PharmaOne never accepted may cost, fleet-wide (./unproven-keys.ts). */
  unprovenExchangesPerKey: number;
  /** UPSTREAM_UNPROVEN_EXCHANGES_TOTAL: refused exchanges per minute all such keys together may cost, fleet-wide. */
  unprovenExchangesTotal: number;
}

export const DEFAULT_UPSTREAM_LIMITS: UpstreamLimits = {
  maxBodyBytes: 8 * 1024 * 1024,
  maxPagesPerRead: 20,
  maxTokenExchangesPerOperation: 5,
  tokenNegativeCacheMs: 30_000,
  tokenCacheMaxBytes: 4 * 1024 * 1024,
  tokenNegativeCacheMaxBytes: 1024 * 1024,
  rateLimitMaxSeconds: 300,
  unprovenExchangesPerKey: 10,
  unprovenExchangesTotal: 300,
};

export function readUpstreamLimits(read: EnvReader): UpstreamLimits {
  const d = DEFAULT_UPSTREAM_LIMITS;
  return {
    maxBodyBytes: read.bytes('UPSTREAM_MAX_BODY_BYTES', { fallback: d.maxBodyBytes, min: 1024, max: 1024 * 1024 * 1024 }),
    maxPagesPerRead: read.int('UPSTREAM_MAX_PAGES_PER_READ', { fallback: d.maxPagesPerRead, min: 1, max: 10_000 }),
    maxTokenExchangesPerOperation: read.int('UPSTREAM_MAX_TOKEN_EXCHANGES_PER_OPERATION', {
      fallback: d.maxTokenExchangesPerOperation,
      min: 1,
      max: 1_000,
    }),
    tokenNegativeCacheMs: read.durationMs('TOKEN_NEGATIVE_CACHE_MS', { fallback: d.tokenNegativeCacheMs, min: 0, max: 600_000 }),
    tokenCacheMaxBytes: read.bytes('TOKEN_CACHE_MAX_BYTES', { fallback: d.tokenCacheMaxBytes, min: 4096, max: 1024 * 1024 * 1024 }),
    tokenNegativeCacheMaxBytes: read.bytes('TOKEN_NEGATIVE_CACHE_MAX_BYTES', {
      fallback: d.tokenNegativeCacheMaxBytes,
      min: 1024,
      max: 1024 * 1024 * 1024,
    }),
    rateLimitMaxSeconds: read.int('UPSTREAM_RATE_LIMIT_MAX_SECONDS', { fallback: d.rateLimitMaxSeconds, min: 1, max: 86_400 }),
    unprovenExchangesPerKey: read.int('UPSTREAM_UNPROVEN_EXCHANGES_PER_KEY', { fallback: d.unprovenExchangesPerKey, min: 1, max: 100_000 }),
    unprovenExchangesTotal: read.int('UPSTREAM_UNPROVEN_EXCHANGES_TOTAL', { fallback: d.unprovenExchangesTotal, min: 1, max: 1_000_000 }),
  };
}
