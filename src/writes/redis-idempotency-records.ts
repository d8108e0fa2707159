// Idempotency records in Redis, shared by every replica (the state machine is described in
// idempotency-store.ts). Each transition is one Lua script, so it is atomic however many replicas
// race: a claim is "GET, compare, SET NX PX" in one step, and complete/renew/release act only
// while the stored owner token is the caller's (fencing: a dead owner's late completion after its
// lease expired and another replica claimed the slot changes nothing).
// Record: one string key `pog:idem:<slot>` holding JSON {s: "F"|"C", h: input hash, t: token, o: outcome},
// with the lease (IN_FLIGHT) or IDEMPOTENCY_TTL_SECONDS (COMPLETED) as its expiry. Run this on a
// `noeviction` instance: an evicted record would let a retry write twice.
import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../stores/redis.ts';
import type { IdempotencyRecords, RecordClaim } from './idempotency-store.ts';

const PREFIX = 'pog:idem:';

const CLAIM = `
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], cjson.encode({s = 'F', h = ARGV[1], t = ARGV[2]}), 'PX', ARGV[3])
  return {'claimed'}
end
local r = cjson.decode(v)
if r.h ~= ARGV[1] then return {'conflict'} end
if r.s == 'C' then return {'completed', r.o} end
return {'in_flight'}`;

/** A script that does `action` only while the slot is in flight under the caller's lease token (ARGV[1]). */
const whileLeaseHeld = (action: string) => `
local v = redis.call('GET', KEYS[1])
if not v then return 0 end
local r = cjson.decode(v)
if r.s ~= 'F' or r.t ~= ARGV[1] then return 0 end
${action}
return 1`;

const RENEW = whileLeaseHeld(`redis.call('PEXPIRE', KEYS[1], ARGV[2])`);

const COMPLETE = whileLeaseHeld(`redis.call('SET', KEYS[1], cjson.encode({s = 'C', h = r.h, t = ARGV[1], o = ARGV[2]}), 'PX', ARGV[3])`);

const RELEASE = whileLeaseHeld(`redis.call('DEL', KEYS[1])`);

export function createRedisIdempotencyRecords(redis: RedisConnection): IdempotencyRecords {
  return {
    backend: 'redis',
    async claim(slot, inputHash, leaseMs): Promise<RecordClaim> {
      const token = randomUUID();
      const reply = (await redis.script(CLAIM, [PREFIX + slot], [inputHash, token, String(leaseMs)])) as string[];
      switch (reply[0]) {
        case 'claimed':
          return { kind: 'claimed', token };
        case 'completed':
          return { kind: 'completed', outcome: String(reply[1]) };
        case 'conflict':
          return { kind: 'conflict' };
        default:
          return { kind: 'in_flight' };
      }
    },
    async renew(slot, token, leaseMs) {
      return Number(await redis.script(RENEW, [PREFIX + slot], [token, String(leaseMs)])) === 1;
    },
    async complete(slot, token, outcome, ttlMs) {
      return Number(await redis.script(COMPLETE, [PREFIX + slot], [token, outcome, String(ttlMs)])) === 1;
    },
    async release(slot, token) {
      await redis.script(RELEASE, [PREFIX + slot], [token]);
    },
  };
}
