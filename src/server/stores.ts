// The stores that outlive a request, built once per process: in memory (REDIS_URL unset: one
// replica, as `npm start` runs) or shared through Redis (a fleet). Only these four are shared
// (idempotency, APQ, response cache, refused token exchanges); the token cache, circuit breakers
// and retry budgets stay per replica on purpose (docs/operations.md, "Running several replicas"): a token
// exchange per replica and credential per token lifetime is cheap, and each replica's breaker
// must judge what it sees itself. A refused exchange is shared because a bad key would otherwise
// cost PharmaOne one refusal per replica.
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { memoryApqCache } from '../graphql/plugins/persisted-queries.ts';
import { createMemoryIdempotencyRecords } from '../writes/idempotency-store.ts';
import { createIdempotencyCoordinator } from '../writes/keyed-write.ts';
import type { IdempotencyCoordinator } from '../writes/keyed-write.ts';
import { createRedisIdempotencyRecords } from '../writes/redis-idempotency-records.ts';
import type { SharedRefusals } from '../upstream/token-refusals.ts';
import { createRedisApqCache } from '../stores/apq-store.ts';
import type { StoreConfig } from '../stores/config.ts';
import { connectRedis } from '../stores/redis.ts';
import type { RedisConnection } from '../stores/redis.ts';
import { createMemoryResponseCacheStore, createRedisResponseCacheStore } from '../stores/response-cache-store.ts';
import type { ResponseCacheStore } from '../stores/response-cache-store.ts';
import { createRedisRefusalStore } from '../stores/token-refusal-store.ts';
import { replicaQuotaBuckets } from '../stores/quota-buckets.ts';
import type { QuotaBuckets } from '../stores/quota-buckets.ts';
import { createRedisQuotaBuckets } from '../stores/quota-store.ts';

/** Biggest single response the shared cache stores (the instance's maxmemory bounds the total). */
const REDIS_RESPONSE_ENTRY_MAX_BYTES = 1024 * 1024;

export interface StoreHealth {
  /** "memory": this replica's own stores; "redis": shared by the fleet. */
  mode: 'memory' | 'redis';
  /** Per Redis connection: is it reachable now. A replica stays ready without it (reads bypass caches; keyed writes refuse). */
  redis: Array<{ store: string; reachable: boolean }>;
}

export interface Stores {
  idempotency: IdempotencyCoordinator;
  apq: KeyValueCache<string>;
  /** null: the response cache is off (RESPONSE_CACHE_MB=0). */
  responseCache: ResponseCacheStore | null;
  /** Refused token exchanges shared by the fleet; undefined in memory mode (the broker's own memory only). */
  tokenRefusals: SharedRefusals | undefined;
  /** The client quotas' buckets: the fleet's in Redis (this replica's share as the fallback), or this replica's. */
  quotaBuckets: QuotaBuckets;
  health(): StoreHealth;
  /**
   * Settles when each Redis connection has connected or failed once. A replica opens its listener
   * after this: a new replica in a rolling update would otherwise be ready (and get keyed writes)
   * before its idempotency store answers, and refuse them. A Redis that is down still lets it start.
   */
  firstAttempts(): Promise<void>;
  /** Counts a failed shared-store command (the request went on without the store). */
  onStoreError(store: string): (error: unknown) => void;
  close(): Promise<void>;
}

export interface StoreSettings {
  stores: StoreConfig;
  idempotencyTtlMs: number;
  idempotencyMaxKeys: number;
  apqCacheBytes: number;
  responseCacheBytes: number;
  quota: { expectedReplicas: number; maxBuckets: number; now?: () => number };
}

export function createStores(
  settings: StoreSettings,
  deps: { registry: Registry; onReachableChange?: (store: string, reachable: boolean) => void },
): Stores {
  const { stores: config } = settings;
  const connections: RedisConnection[] = [];
  const disconnects = countDisconnects(deps.registry);
  const connect = (url: string, name: string) => {
    disconnects.watch(name);
    const connection = connectRedis(url, name, {
      commandTimeoutMs: config.redisCommandTimeoutMs,
      onReachableChange: (reachable) => {
        if (!reachable) disconnects.lost(name);
        deps.onReachableChange?.(name, reachable);
      },
    });
    connections.push(connection);
    return connection;
  };
  const cacheRedis = config.redisUrl ? connect(config.redisUrl, 'cache') : undefined;
  const idempotencyRedis =
    config.redisIdempotencyUrl === undefined
      ? undefined
      : config.redisIdempotencyUrl === config.redisUrl && cacheRedis
        ? cacheRedis
        : connect(config.redisIdempotencyUrl, 'idempotency');

  const { onStoreError, keyedWrites } = storeMetrics(deps.registry, connections);

  const quotaOptions = { maxBuckets: settings.quota.maxBuckets, now: settings.quota.now ?? Date.now };
  const quotaBuckets = cacheRedis
    ? createRedisQuotaBuckets(cacheRedis, {
        ...quotaOptions,
        expectedReplicas: settings.quota.expectedReplicas,
        onError: onStoreError('quota'),
      })
    : undefined;

  const records = idempotencyRedis
    ? createRedisIdempotencyRecords(idempotencyRedis)
    : createMemoryIdempotencyRecords({ maxBytes: config.idempotency.cacheBytes, maxEntries: settings.idempotencyMaxKeys });

  return {
    idempotency: createIdempotencyCoordinator(records, {
      ttlMs: settings.idempotencyTtlMs,
      leaseMs: config.idempotency.leaseMs,
      waitMs: config.idempotency.waitMs,
      onResult: (result) => keyedWrites.inc({ result }),
    }),
    apq: cacheRedis
      ? createRedisApqCache(cacheRedis, { ttlSeconds: config.apqTtlSeconds, onError: onStoreError('apq') })
      : memoryApqCache(settings.apqCacheBytes),
    responseCache:
      settings.responseCacheBytes === 0
        ? null
        : cacheRedis
          ? createRedisResponseCacheStore(cacheRedis, {
              maxEntryBytes: Math.min(REDIS_RESPONSE_ENTRY_MAX_BYTES, settings.responseCacheBytes),
            })
          : createMemoryResponseCacheStore({ maxBytes: settings.responseCacheBytes }),
    tokenRefusals: cacheRedis ? createRedisRefusalStore(cacheRedis, { onError: onStoreError('token_refusals') }) : undefined,
    quotaBuckets: quotaBuckets ?? replicaQuotaBuckets(quotaOptions),
    health: () => ({
      mode: connections.length > 0 ? 'redis' : 'memory',
      redis: [...new Set(connections)].map((connection) => ({
        store: connection.name,
        reachable: connection.ready(),
        disconnects: disconnects.of(connection.name),
      })),
    }),
    onStoreError,
    async firstAttempts() {
      await Promise.all(connections.map((connection) => connection.firstAttempt));
    },
    async close() {
      quotaBuckets?.close();
      await Promise.all(connections.map((connection) => connection.close()));
    },
  };
}

/** The stores' own series: failed commands per store, reachability per connection, keyed writes by outcome. */
function storeMetrics(registry: Registry, connections: readonly RedisConnection[]) {
  const storeErrors = new Counter({
    name: 'pharmaone_store_errors_total',
    help: 'Shared-store (Redis) commands that failed; the request went on without the store (caches) or refused (keyed writes).',
    labelNames: ['store'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'pharmaone_store_redis_up',
    help: 'Whether this replica reaches its Redis now (1) or not (0), per connection: idempotency, cache.',
    labelNames: ['store'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const connection of connections) this.set({ store: connection.name }, connection.ready() ? 1 : 0);
    },
  });
  const onStoreError = (store: string) => () => storeErrors.inc({ store });
  const keyedWrites = new Counter({
    name: 'pharmaone_idempotency_requests_total',
    help: 'Keyed mutations by how the idempotency store answered: ran, replayed, conflict, in_use, unavailable (store unreachable, nothing sent), lease_lost.',
    labelNames: ['result'] as const,
    registers: [registry],
  });
  return { onStoreError, keyedWrites };
}

/** A lost connection counts once (not every reconnect attempt): a failover or a restart is one. */
function countDisconnects(registry: Registry) {
  const counts = new Map<string, number>();
  const total = new Counter({
    name: 'pharmaone_store_redis_disconnects_total',
    help: 'Times this replica lost a Redis connection it had (a failover, a restart, a network cut), per connection: idempotency, cache.',
    labelNames: ['store'] as const,
    registers: [registry],
  });
  return {
    watch: (store: string) => total.inc({ store }, 0),
    lost(store: string) {
      counts.set(store, (counts.get(store) ?? 0) + 1);
      total.inc({ store });
    },
    of: (store: string) => counts.get(store) ?? 0,
  };
}
