// Settings of the stores that outlive a request (idempotency outcomes, APQ texts, the response
// cache): in memory (one replica, the default) or shared through Redis (a fleet). Read once by
// src/config.ts; every variable is in docs/configuration.md.
import type { EnvReader } from '../config/env.ts';

export interface StoreConfig {
  /** Unset: in-memory stores. Set: APQ, response cache and (unless the next is set) idempotency in Redis. */
  redisUrl: string | undefined;
  /** Idempotency records on their own (noeviction) instance; defaults to redisUrl. */
  redisIdempotencyUrl: string | undefined;
  /** Most time one Redis command may take before the store counts as unreachable. */
  redisCommandTimeoutMs: number;
  /** Lifetime of an APQ text in Redis without use (in memory the byte bound evicts instead). */
  apqTtlSeconds: number;
  idempotency: {
    /** Bound on the bytes of idempotency records kept in memory (in-memory mode). */
    cacheBytes: number;
    /** An IN_FLIGHT claim lives this long unless its owner renews it (it does, every third of it, while the write runs). */
    leaseMs: number;
    /** How long a request waits for another replica's write under the same key before IDEMPOTENCY_KEY_IN_USE. */
    waitMs: number;
  };
}

export function readStoreConfig(read: EnvReader): StoreConfig {
  const redisUrl = read.url('REDIS_URL', REDIS_PROTOCOLS);
  return {
    redisUrl,
    redisIdempotencyUrl: read.url('REDIS_IDEMPOTENCY_URL', REDIS_PROTOCOLS) ?? redisUrl,
    redisCommandTimeoutMs: read.durationMs('REDIS_COMMAND_TIMEOUT_MS', { fallback: 1_000, min: 10, max: 60_000 }),
    apqTtlSeconds: read.int('APQ_TTL_SECONDS', { fallback: 86_400, min: 1, max: 30 * 86_400 }),
    idempotency: {
      cacheBytes: read.bytes('IDEMPOTENCY_CACHE_MB', { fallback: 32, min: 1, max: 65_536 }),
      leaseMs: read.durationMs('IDEMPOTENCY_LEASE_MS', { fallback: 10_000, min: 100, max: 600_000 }),
      waitMs: read.durationMs('IDEMPOTENCY_WAIT_MS', { fallback: 2_000, min: 0, max: 60_000 }),
    },
  };
}

/** The values may hold a password: the reader never echoes a URL back. */
const REDIS_PROTOCOLS = ['redis:', 'rediss:'];
