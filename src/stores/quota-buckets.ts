// Token buckets counted in PharmaOne calls, for the client quotas (src/graphql/quota/): the
// interface both stores implement, and this replica's own buckets. A bucket holds at most `limit`
// calls and refills at `limit` per `windowMs`, continuously, so a client that paused may spend a
// window's worth at once and never more. A reservation takes its cost from every bucket it names
// or from none (all or nothing: a client's bucket and its org's); an adjustment settles one
// afterwards (gives back what the operation did not use, takes what its retries cost beyond it)
// and never refuses, so a bucket may go below zero and a client in debt waits it out.
//
// The fleet's buckets live in Redis (./quota-store.ts); these are the replica's: without Redis
// (one replica, or REDIS_URL unset) and as the fallback while Redis is unreachable.
import { LRUCache } from 'lru-cache';

export interface BucketSpec {
  /** Who the bucket belongs to (`client\n…`, `org\n…`): hashed by the fleet store, kept by this one. */
  key: string;
  /** Calls the bucket holds when full: the quota per window. */
  limit: number;
  windowMs: number;
}

export interface BucketState {
  /** Calls left after this verdict (after the reservation when admitted), whole, never below 0. */
  remaining: number;
  /** Seconds until the bucket is full again. */
  resetSeconds: number;
}

export interface ReserveVerdict {
  admitted: boolean;
  /** Refused: seconds until every bucket holds the cost; 0 when admitted. */
  retryAfterSeconds: number;
  /** Each bucket's state, in the order of the specs. */
  buckets: BucketState[];
  /** Which buckets answered: the fleet's (Redis) or this replica's. */
  source: 'fleet' | 'replica';
}

export interface QuotaBuckets {
  /** Takes `cost` calls from every bucket, or from none when one holds less. */
  reserve(buckets: readonly BucketSpec[], cost: number): Promise<ReserveVerdict>;
  /** Gives back (`delta` > 0) or takes (`delta` < 0) calls, never beyond `limit`, never refusing. */
  adjust(source: ReserveVerdict['source'], buckets: readonly BucketSpec[], delta: number): void;
}

interface Held {
  tokens: number;
  atMs: number;
}

/** A bucket's calls at `nowMs`: what it held, refilled for the time since, capped at its limit. */
export function refilled(held: Held | undefined, spec: BucketSpec, nowMs: number): number {
  if (!held) return spec.limit;
  const rate = spec.limit / spec.windowMs;
  return Math.min(spec.limit, held.tokens + Math.max(0, nowMs - held.atMs) * rate);
}

/** What a client is told of a bucket holding `tokens`. */
export function stateOf(tokens: number, spec: BucketSpec): BucketState {
  const missing = spec.limit - tokens;
  return {
    remaining: Math.max(0, Math.floor(tokens)),
    resetSeconds: missing <= 0 ? 0 : Math.ceil((missing * spec.windowMs) / spec.limit / 1000),
  };
}

/** Seconds until a bucket holding `tokens` holds `cost`. */
export function secondsUntil(tokens: number, cost: number, spec: BucketSpec): number {
  if (tokens >= cost) return 0;
  return Math.max(1, Math.ceil(((cost - tokens) * spec.windowMs) / spec.limit / 1000));
}

/**
 * This replica's buckets. Bounded in entries: a bucket evicted for a newer one comes back full,
 * which only errs on the caller's side, and only for buckets idle longest.
 */
export function createReplicaBuckets(options: { maxBuckets: number; now: () => number }) {
  const held = new LRUCache<string, Held>({ max: options.maxBuckets });

  function take(buckets: readonly BucketSpec[], cost: number): ReserveVerdict {
    const now = options.now();
    const tokens = buckets.map((spec) => refilled(held.get(spec.key), spec, now));
    const admitted = buckets.every((_, i) => (tokens[i] ?? 0) >= cost);
    const after = tokens.map((value) => (admitted ? value - cost : value));
    if (admitted) for (const [i, spec] of buckets.entries()) held.set(spec.key, { tokens: after[i] ?? 0, atMs: now });
    const retryAfterSeconds = admitted ? 0 : Math.max(...buckets.map((spec, i) => secondsUntil(tokens[i] ?? 0, cost, spec)));
    return { admitted, retryAfterSeconds, buckets: buckets.map((spec, i) => stateOf(after[i] ?? 0, spec)), source: 'replica' };
  }

  function settle(buckets: readonly BucketSpec[], delta: number): void {
    const now = options.now();
    for (const spec of buckets) {
      held.set(spec.key, { tokens: Math.min(spec.limit, refilled(held.get(spec.key), spec, now) + delta), atMs: now });
    }
  }

  return { take, settle, size: () => held.size };
}

/** The buckets of a replica without Redis: every verdict is this replica's. */
export function replicaQuotaBuckets(options: { maxBuckets: number; now: () => number }): QuotaBuckets {
  const replica = createReplicaBuckets(options);
  return {
    reserve: async (buckets, cost) => replica.take(buckets, cost),
    adjust: (_source, buckets, delta) => replica.settle(buckets, delta),
  };
}
