// Automatic persisted query texts shared by every replica: a hash registered on one replica is
// served by all. Keys are SHA-256 hashes of the text, so an entry never goes stale; the TTL only
// lets unused texts leave. Apollo stores a text after it parsed and validated it, as in memory.
// Redis unreachable: get answers "unknown" (the client resends the text, which is the APQ protocol's
// own recovery) and set is skipped, so APQ never fails a request.
import type { KeyValueCache } from '@apollo/utils.keyvaluecache';
import type { RedisConnection } from './redis.ts';

/** Longest query text stored in Redis; the document size limit keeps real ones far below. */
const MAX_TEXT_BYTES = 256 * 1024;

export function createRedisApqCache(
  redis: RedisConnection,
  options: { ttlSeconds: number; onError?: (error: unknown) => void },
): KeyValueCache<string> {
  const keyOf = (key: string) => `pog:apq:${key}`;
  return {
    async get(key) {
      try {
        const text = await redis.command(['GET', keyOf(key)]);
        return typeof text === 'string' ? text : undefined;
      } catch (error) {
        options.onError?.(error);
        return undefined;
      }
    },
    async set(key, value) {
      if (Buffer.byteLength(value) > MAX_TEXT_BYTES) return;
      await redis.command(['SET', keyOf(key), value, 'EX', String(options.ttlSeconds)]).catch((error: unknown) => options.onError?.(error));
    },
    async delete(key) {
      await redis.command(['DEL', keyOf(key)]).catch((error: unknown) => options.onError?.(error));
    },
  };
}
