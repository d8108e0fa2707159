// The response cache's generations, the same table against both stores (memory and a real
// redis-server): an entry is served only under the generation it was stored with; a mutation
// (invalidate) retires every older entry of that identity at once, including one stored late by a
// query that ran across the mutation; a lost generation turns entries into misses, never revives
// them. Memory: bounded in bytes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/stores/redis.ts';
import type { RedisConnection } from '../../src/stores/redis.ts';
import { createMemoryResponseCacheStore, createRedisResponseCacheStore, encodeEntry } from '../../src/stores/response-cache-store.ts';
import type { CachedResponse, ResponseCacheStore } from '../../src/stores/response-cache-store.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let connection: RedisConnection;
beforeAll(async () => {
  redis = await startRedis({ policy: 'allkeys-lru' });
  connection = connectRedis(redis.url, 'cache', { commandTimeoutMs: 1_000 });
  for (let tries = 0; tries < 100 && !connection.ready(); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
});
afterAll(async () => {
  await connection.close();
  await redis.stop();
});

const entry = (marker: string): CachedResponse => ({ data: { marker }, maxAge: 60, scope: 'PRIVATE', storedAt: 0 });
const TTL = 60_000;

describe.each<[string, () => ResponseCacheStore]>([
  ['memory', () => createMemoryResponseCacheStore({ maxBytes: 1024 * 1024 })],
  ['redis', () => createRedisResponseCacheStore(connection, { maxEntryBytes: 1024 * 1024 })],
])('%s response cache store', (_, make) => {
  it('serves an entry stored under the current generation, per key', async () => {
    const store = make();
    const [identity, key] = [randomUUID(), randomUUID()];
    const miss = await store.lookup(identity, key);
    expect(miss.entry).toBeUndefined();
    await store.store(key, encodeEntry(entry('one'), miss.generation), miss.generation, TTL);
    expect((await store.lookup(identity, key)).entry).toEqual(entry('one'));
    expect((await store.lookup(identity, randomUUID())).entry).toBeUndefined();
  });

  it('retires every older entry of the identity on invalidate, and one stored late under the old generation', async () => {
    const store = make();
    const identity = randomUUID();
    const [cached, late, otherKey] = [randomUUID(), randomUUID(), randomUUID()];
    const before = await store.lookup(identity, cached);
    await store.store(cached, encodeEntry(entry('cached'), before.generation), before.generation, TTL);
    const running = await store.lookup(identity, late);
    const otherIdentity = randomUUID();
    const other = await store.lookup(otherIdentity, otherKey);
    await store.store(otherKey, encodeEntry(entry('other'), other.generation), other.generation, TTL);

    await store.invalidate(identity);
    // A query that began before the mutation stores its answer after it: never served.
    await store.store(late, encodeEntry(entry('late'), running.generation), running.generation, TTL);

    expect((await store.lookup(identity, cached)).entry).toBeUndefined();
    expect((await store.lookup(identity, late)).entry).toBeUndefined();
    // Another identity's entries are untouched.
    expect((await store.lookup(otherIdentity, otherKey)).entry).toEqual(entry('other'));
  });
});

describe('redis response cache store', () => {
  it('a lost generation key (evicted) turns old entries into misses, never revives them', async () => {
    const store = createRedisResponseCacheStore(connection, { maxEntryBytes: 1024 * 1024 });
    const [identity, key] = [randomUUID(), randomUUID()];
    const first = await store.lookup(identity, key);
    await store.store(key, encodeEntry(entry('old'), first.generation), first.generation, TTL);
    await connection.command(['DEL', `pog:rc:g:${identity}`]);
    expect((await store.lookup(identity, key)).entry).toBeUndefined();
  });

  it('does not store a response larger than its per-entry bound', async () => {
    const store = createRedisResponseCacheStore(connection, { maxEntryBytes: 100 });
    const [identity, key] = [randomUUID(), randomUUID()];
    const miss = await store.lookup(identity, key);
    await store.store(key, encodeEntry({ ...entry('x'), data: { big: 'y'.repeat(200) } }, miss.generation), miss.generation, TTL);
    expect((await store.lookup(identity, key)).entry).toBeUndefined();
  });
});

describe('memory response cache store', () => {
  it('keeps within its byte bound however many entries arrive', async () => {
    const maxBytes = 256 * 1024;
    const store = createMemoryResponseCacheStore({ maxBytes });
    const identity = randomUUID();
    const keys: string[] = [];
    const big = { ...entry('x'), data: { rows: 'z'.repeat(10_000) } };
    for (let index = 0; index < 500; index++) {
      const key = randomUUID();
      keys.push(key);
      const { generation } = await store.lookup(identity, key);
      await store.store(key, encodeEntry(big, generation), generation, TTL);
    }
    let kept = 0;
    for (const key of keys) if ((await store.lookup(identity, key)).entry) kept += 1;
    expect(kept).toBeGreaterThan(0);
    expect(kept * 2 * 10_000).toBeLessThanOrEqual(maxBytes);
  });
});
