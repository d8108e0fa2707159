// Where the response cache keeps its entries: in memory (one replica) or in Redis (every replica
// sees the same entries and the same invalidations).
//
// Invalidation is per credential (the caller's identity: pass-through key, or BFF issuer +
// subject), by generation: each identity has a generation value; an entry records the generation
// it was computed under and is served only while that is still the identity's generation. A
// mutation sets a new random generation, so on every replica the identity's older entries stop
// being served at once, including an answer computed while the mutation ran. A missing generation
// (never seen, expired or evicted) is replaced by a new random one, which can only turn old
// entries into misses, never revive them. Other credentials of the same org keep their entries
// for their short max-age (unchanged rule, see docs/clients.md, "Response cache").
import { randomUUID } from 'node:crypto';
import type { CacheScope } from '@apollo/cache-control-types';
import { LRUCache } from 'lru-cache';
import type { RedisConnection } from './redis.ts';

export interface CachedResponse {
  data: Record<string, unknown>;
  maxAge: number;
  scope: CacheScope;
  storedAt: number;
}

export interface ResponseCacheStore {
  readonly backend: string;
  /** The entry, if it was stored under the identity's current generation, and that generation (for a later store). */
  lookup(identity: string, key: string): Promise<{ entry: CachedResponse | undefined; generation: string }>;
  /** `json` is the entry serialized once by the caller (its length is what the bound counts). */
  store(key: string, json: string, generation: string, ttlMs: number): Promise<void>;
  invalidate(identity: string): Promise<void>;
}

/** How long a generation value lives without a lookup or mutation: far longer than any max-age. */
const GENERATION_TTL_MS = 24 * 3600 * 1000;

interface StoredEntry {
  g: string;
  e: CachedResponse;
}

function decode(json: string | null | undefined, generation: string): CachedResponse | undefined {
  if (!json) return undefined;
  const stored = JSON.parse(json) as StoredEntry;
  return stored.g === generation ? stored.e : undefined;
}

export function encodeEntry(entry: CachedResponse, generation: string): string {
  return JSON.stringify({ g: generation, e: entry } satisfies StoredEntry);
}

/**
 * Heap of one entry besides its strings (the LRU's slots, its TTL, the map's): without it a flood
 * of tiny answers held 2.4 times the bound (test/support/store-heap.ts measures it).
 */
const ENTRY_OVERHEAD_BYTES = 384;

export function createMemoryResponseCacheStore(options: { maxBytes: number }): ResponseCacheStore {
  const entries = new LRUCache<string, string>({
    maxSize: options.maxBytes,
    sizeCalculation: (json, key) => ENTRY_OVERHEAD_BYTES + 2 * (json.length + key.length),
  });
  // One generation per recent credential, bounded in bytes too (a sixteenth of the cache, at least
  // 64 KB): forgetting one only turns that credential's entries into misses.
  const generations = new LRUCache<string, string>({
    maxSize: Math.max(64 * 1024, Math.floor(options.maxBytes / 16)),
    sizeCalculation: (generation, identity) => ENTRY_OVERHEAD_BYTES + 2 * (generation.length + identity.length),
    ttl: GENERATION_TTL_MS,
  });
  const generationOf = (identity: string): string => {
    const known = generations.get(identity);
    if (known !== undefined) return known;
    const generation = randomUUID();
    generations.set(identity, generation);
    return generation;
  };
  return {
    backend: 'memory',
    async lookup(identity, key) {
      const generation = generationOf(identity);
      return { entry: decode(entries.get(key), generation), generation };
    },
    async store(key, json, _generation, ttlMs) {
      entries.set(key, json, { ttl: ttlMs });
    },
    async invalidate(identity) {
      generations.set(identity, randomUUID());
    },
  };
}

// One round trip per lookup: the entry and the generation read together, the generation created if missing.
const LOOKUP = `
local g = redis.call('GET', KEYS[2])
if not g then
  g = ARGV[1]
  redis.call('SET', KEYS[2], g, 'PX', ARGV[2])
end
return {g, redis.call('GET', KEYS[1])}`;

export function createRedisResponseCacheStore(redis: RedisConnection, options: { maxEntryBytes: number }): ResponseCacheStore {
  const entryKey = (key: string) => `pog:rc:e:${key}`;
  const generationKey = (identity: string) => `pog:rc:g:${identity}`;
  return {
    backend: 'redis',
    async lookup(identity, key) {
      const [generation, json] = (await redis.script(
        LOOKUP,
        [entryKey(key), generationKey(identity)],
        [randomUUID(), String(GENERATION_TTL_MS)],
      )) as [string, string | null];
      return { entry: decode(json, generation), generation };
    },
    async store(key, json, _generation, ttlMs) {
      // Bounded per entry here, in total by the cache instance's maxmemory (allkeys-lru, see docs/deployment.md, "Redis").
      if (json.length > options.maxEntryBytes) return;
      await redis.command(['SET', entryKey(key), json, 'PX', String(ttlMs)]);
    },
    async invalidate(identity) {
      await redis.command(['SET', generationKey(identity), randomUUID(), 'PX', String(GENERATION_TTL_MS)]);
    },
  };
}
