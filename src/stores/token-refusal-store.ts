// Refused token exchanges shared by the fleet (src/upstream/token-refusals.ts): a credential
// PharmaOne refused for an org on one replica is refused by every replica, without an exchange,
// until its time to live passes. An entry is `pog:tr:` + SHA-256 of the broker's key (base URL,
// org, credential hash), holding only the status: never the key, and a fixed size whatever the org
// id. Each lives TOKEN_NEGATIVE_CACHE_MS at most; the instance's maxmemory (allkeys-lru) bounds the rest.
// Redis unreachable: get answers "none" and set is skipped, so the replica's own memory decides.
import { hash } from 'node:crypto';
import type { Refusal, SharedRefusals } from '../upstream/token-refusals.ts';
import type { RedisConnection } from './redis.ts';

// One round trip: the status and how long it still holds.
const LOOKUP = `return {redis.call('GET', KEYS[1]), redis.call('PTTL', KEYS[1])}`;

export function createRedisRefusalStore(redis: RedisConnection, options: { onError?: (error: unknown) => void }): SharedRefusals {
  const keyOf = (key: string) => `pog:tr:${hash('sha256', key, 'base64url')}`;
  return {
    async get(key) {
      try {
        const [status, ttlMs] = (await redis.script(LOOKUP, [keyOf(key)], [])) as [string | null, number];
        // A closed vocabulary: anything else in the entry is no refusal.
        if ((status !== '401' && status !== '403') || ttlMs <= 0) return undefined;
        return { refusal: { status: Number(status) as Refusal['status'] }, ttlMs };
      } catch (error) {
        options.onError?.(error);
        return undefined;
      }
    },
    async set(key, refusal, ttlMs) {
      await redis
        .command(['SET', keyOf(key), String(refusal.status), 'PX', String(ttlMs)])
        .catch((error: unknown) => options.onError?.(error));
    },
  };
}
