// The fleet's quota buckets (src/stores/quota-store.ts) when Redis fails: each reservation falls
// back to this replica's share at once, and settlements waiting for Redis stay bounded and cause no
// storm of retries (one script run per operation, whatever is waiting). Redis itself, three
// replicas on it and Redis stopped under them: test/fleet/client-quota-fleet.test.ts.
import { describe, expect, it } from 'vitest';
import { createRedisQuotaBuckets } from '../../src/stores/quota-store.ts';
import type { RedisConnection } from '../../src/stores/redis.ts';
import { StoreUnavailableError } from '../../src/stores/redis.ts';

/** A Redis that fails every command until `back` is set, then admits every reservation; records each script's keys and arguments. */
function unreachableRedis() {
  const sent: string[][] = [];
  const state = { back: false };
  const redis: RedisConnection = {
    name: 'cache',
    ready: () => state.back,
    firstAttempt: Promise.resolve(),
    command: async () => Promise.reject(new StoreUnavailableError('cache')),
    script: async (_source, keys, args) => {
      sent.push([...keys, ...args]);
      if (!state.back) throw new StoreUnavailableError('cache');
      return [1, 0, '89'];
    },
    close: async () => undefined,
  };
  return { redis, sent, state };
}

describe('the fleet buckets with Redis unreachable', () => {
  const spec = (key: string) => ({ key, limit: 90, windowMs: 60_000 });

  it("answers from this replica's share: the quota divided by QUOTA_EXPECTED_REPLICAS", async () => {
    const { redis } = unreachableRedis();
    const buckets = createRedisQuotaBuckets(redis, { expectedReplicas: 3, maxBuckets: 100, now: () => 0 });
    const verdicts = [];
    for (let i = 0; i < 31; i++) verdicts.push(await buckets.reserve([spec('k')], 1));
    expect(verdicts.map((v) => [v.admitted, v.source])).toEqual([...Array(30).fill([true, 'replica']), [false, 'replica']]);
    buckets.close();
  });

  it('keeps at most 256 settlements waiting, and sends one script per reservation however many wait', async () => {
    const { redis, sent, state } = unreachableRedis();
    const buckets = createRedisQuotaBuckets(redis, { expectedReplicas: 1, maxBuckets: 100, now: () => 0 });
    for (let i = 0; i < 1_000; i++) buckets.adjust('fleet', [spec(`client-${i}`)], 1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(sent).toEqual([]);
    await buckets.reserve([spec('k')], 1);
    await buckets.reserve([spec('k')], 1);
    expect(sent).toHaveLength(2);
    // The reservation's own key plus at most 32 settlements, each with limit, window and delta.
    const [first] = sent;
    expect(first?.filter((value) => value.startsWith('pog:q:'))).toHaveLength(33);
    // Redis back: the reservations carry what waits, 32 a trip, until none is left: 256 in all.
    state.back = true;
    sent.length = 0;
    for (let trips = 0; trips < 20; trips++) await buckets.reserve([spec('k')], 1);
    const carried = sent.map((trip) => trip.filter((value) => value.startsWith('pog:q:')).length - 1);
    expect(carried.reduce((sum, n) => sum + n, 0)).toBe(256);
    expect(Math.max(...carried)).toBe(32);
    buckets.close();
  });
});
