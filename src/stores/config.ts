// Settings of the stores that outlive a request (idempotency outcomes, APQ texts, the response
// cache): in memory (one replica, the default) or shared through Redis (a fleet). Read once by
// src/config.ts; every variable is in the README's configuration table.
type Env = Record<string, string | undefined>;

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

export function readStoreConfig(env: Env): StoreConfig {
  const redisUrl = redisUrlVar(env, 'REDIS_URL');
  return {
    redisUrl,
    redisIdempotencyUrl: redisUrlVar(env, 'REDIS_IDEMPOTENCY_URL') ?? redisUrl,
    redisCommandTimeoutMs: intVar(env, 'REDIS_COMMAND_TIMEOUT_MS', 1_000, 10, 60_000),
    apqTtlSeconds: intVar(env, 'APQ_TTL_SECONDS', 86_400, 1, 30 * 86_400),
    idempotency: {
      cacheBytes: intVar(env, 'IDEMPOTENCY_CACHE_MB', 32, 1, 65_536) * 1024 * 1024,
      leaseMs: intVar(env, 'IDEMPOTENCY_LEASE_MS', 10_000, 100, 600_000),
      waitMs: intVar(env, 'IDEMPOTENCY_WAIT_MS', 2_000, 0, 60_000),
    },
  };
}

function redisUrlVar(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    // The value may hold a password: never echo it.
    throw new Error(`${name} must be a redis:// or rediss:// URL`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error(`${name} must be a redis:// or rediss:// URL`);
  return raw;
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
