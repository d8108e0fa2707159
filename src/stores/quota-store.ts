// The fleet's quota buckets (./quota-buckets.ts) in Redis: every replica takes from the same
// buckets, so a client's quota is one quota however many replicas serve it. One round trip per
// operation: a Lua script, atomic, that first applies the settlements waiting on this replica and
// then reserves the new operation's cost from its buckets (all or none), reading Redis's own clock
// so that replicas' clocks do not matter.
//
// Settling is folded into the next reservation instead of costing a round trip of its own: under
// traffic the next operation comes within milliseconds; a replica that falls quiet flushes what
// waits after SETTLE_FLUSH_MS (one round trip, off any request's path). A settlement lost with a
// replica's crash errs one operation's estimate against the client, never for it.
//
// Entries are `pog:q:` + SHA-256 of the bucket's key (the caller's scope hash, a client name, an
// org id): fixed size, nothing readable; each expires two windows after its last use.
//
// Redis unreachable (or slower than REDIS_COMMAND_TIMEOUT_MS): this replica's own buckets answer,
// each holding the quota divided by QUOTA_EXPECTED_REPLICAS, so the fleet as a whole stays near the
// quota without blocking traffic and without lifting the limit. The verdict says which answered.
import { hash } from 'node:crypto';
import { createReplicaBuckets, stateOf } from './quota-buckets.ts';
import type { BucketSpec, QuotaBuckets, ReserveVerdict } from './quota-buckets.ts';
import type { RedisConnection } from './redis.ts';

/** A quiet replica's waiting settlements go after this long. */
const SETTLE_FLUSH_MS = 1_000;
/** Settlements one reservation carries at most; the rest ride the next. */
const SETTLEMENTS_PER_TRIP = 32;
/** Distinct buckets with a settlement waiting; beyond it the oldest is dropped. */
const MAX_WAITING = 256;

// KEYS: the R buckets to reserve from, then the buckets to settle. ARGV: R, cost, then per key its
// limit, window (ms) and settlement (ignored for the reserved ones). Returns admitted (1/0), the
// milliseconds until a refused cost fits, and each reserved bucket's calls left, as strings
// (Lua numbers would come back truncated to integers).
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local r = tonumber(ARGV[1])
local cost = tonumber(ARGV[2])
local function load(i)
  local limit = tonumber(ARGV[3 * i])
  local window = tonumber(ARGV[3 * i + 1])
  local held = redis.call('HMGET', KEYS[i], 't', 'at')
  local tokens = tonumber(held[1])
  if tokens == nil then return limit, limit, window end
  local since = now - tonumber(held[2])
  if since < 0 then since = 0 end
  return math.min(limit, tokens + since * limit / window), limit, window
end
local function save(i, tokens, window)
  redis.call('HSET', KEYS[i], 't', tostring(tokens), 'at', tostring(now))
  redis.call('PEXPIRE', KEYS[i], 2 * window)
end
for i = r + 1, #KEYS do
  local tokens, limit, window = load(i)
  save(i, math.min(limit, tokens + tonumber(ARGV[3 * i + 2])), window)
end
local tokens = {}
local admitted = 1
local wait = 0
for i = 1, r do
  local held, limit, window = load(i)
  tokens[i] = held
  if held < cost then
    admitted = 0
    local ms = math.ceil((cost - held) * window / limit)
    if ms > wait then wait = ms end
  end
end
local reply = {admitted, wait}
for i = 1, r do
  local left = tokens[i]
  if admitted == 1 then
    left = left - cost
    save(i, left, tonumber(ARGV[3 * i + 1]))
  end
  reply[#reply + 1] = tostring(left)
end
return reply
`;

interface Waiting {
  spec: BucketSpec;
  delta: number;
}

export function createRedisQuotaBuckets(
  redis: RedisConnection,
  options: {
    /** The fallback's share: each replica's own buckets hold the quota divided by this. */
    expectedReplicas: number;
    maxBuckets: number;
    now: () => number;
    onError?: (error: unknown) => void;
  },
): QuotaBuckets & { close(): void } {
  const replica = createReplicaBuckets({ maxBuckets: options.maxBuckets, now: options.now });
  const share = (spec: BucketSpec): BucketSpec => ({ ...spec, limit: Math.max(1, Math.floor(spec.limit / options.expectedReplicas)) });
  const waiting = new Map<string, Waiting>();
  let flushTimer: NodeJS.Timeout | undefined;
  const keyOf = (key: string) => `pog:q:${hash('sha256', key, 'base64url')}`;

  function wait(spec: BucketSpec, delta: number): void {
    const key = keyOf(spec.key);
    const before = waiting.get(key);
    waiting.delete(key);
    waiting.set(key, { spec, delta: (before?.delta ?? 0) + delta });
    // Bounded whatever Redis does: past the bound the oldest settlement is dropped (one operation's
    // difference from its estimate, for one client, lost), never retried in a loop.
    if (waiting.size > MAX_WAITING) waiting.delete(waiting.keys().next().value as string);
    flushTimer ??= setTimeout(() => {
      flushTimer = undefined;
      if (waiting.size > 0) void trip([], 0, SETTLEMENTS_PER_TRIP).catch(() => {});
    }, SETTLE_FLUSH_MS).unref();
  }

  /** One script run: `settling` of the waiting settlements, then the reservation (none when `buckets` is empty). */
  async function trip(buckets: readonly BucketSpec[], cost: number, settling: number): Promise<unknown> {
    const carried = [...waiting.entries()].slice(0, settling);
    for (const [key] of carried) waiting.delete(key);
    const keys = [...buckets.map((spec) => keyOf(spec.key)), ...carried.map(([key]) => key)];
    const args = [String(buckets.length), String(cost)];
    for (const spec of buckets) args.push(String(spec.limit), String(spec.windowMs), '0');
    for (const [, { spec, delta }] of carried) args.push(String(spec.limit), String(spec.windowMs), String(delta));
    try {
      return await redis.script(RESERVE, keys, args);
    } catch (error) {
      // Not applied (unreachable before or during the trip): they wait for the next one.
      for (const [, { spec, delta }] of carried) wait(spec, delta);
      throw error;
    }
  }

  return {
    async reserve(buckets, cost): Promise<ReserveVerdict> {
      let reply: unknown;
      try {
        reply = await trip(buckets, cost, SETTLEMENTS_PER_TRIP);
      } catch (error) {
        options.onError?.(error);
        return replica.take(buckets.map(share), cost);
      }
      const [admitted, waitMs, ...left] = reply as [number, number, ...string[]];
      return {
        admitted: admitted === 1,
        retryAfterSeconds: admitted === 1 ? 0 : Math.max(1, Math.ceil(waitMs / 1000)),
        buckets: buckets.map((spec, i) => stateOf(Number(left[i] ?? 0), spec)),
        source: 'fleet',
      };
    },
    adjust(source, buckets, delta) {
      if (delta === 0) return;
      if (source === 'replica') replica.settle(buckets.map(share), delta);
      else for (const spec of buckets) wait(spec, delta);
    },
    close() {
      clearTimeout(flushTimer);
    },
  };
}
