// The idempotency coordinator over a real redis-server: local single flight, the bounded wait for
// another replica, a lease lost while the write ran (OUTCOME_UNKNOWN territory, never success),
// and an unreachable store (nothing is written).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/stores/redis.ts';
import type { RedisConnection } from '../../src/stores/redis.ts';
import { slotId, upstreamIdempotencyKey } from '../../src/writes/idempotency-store.ts';
import type { IdempotencySlot } from '../../src/writes/idempotency-store.ts';
import { createIdempotencyCoordinator } from '../../src/writes/keyed-write.ts';
import { createRedisIdempotencyRecords } from '../../src/writes/redis-idempotency-records.ts';
import { must } from '../support/must.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let connection: RedisConnection;
beforeAll(async () => {
  redis = await startRedis();
  connection = await connected(redis.url);
});
afterAll(async () => {
  await connection.close();
  await redis.stop();
});

async function connected(url: string): Promise<RedisConnection> {
  const made = connectRedis(url, 'idempotency', { commandTimeoutMs: 500 });
  for (let tries = 0; tries < 100 && !made.ready(); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
  return made;
}

const replica = (options: { waitMs?: number; leaseMs?: number } = {}) =>
  createIdempotencyCoordinator(createRedisIdempotencyRecords(connection), {
    ttlMs: 60_000,
    leaseMs: options.leaseMs ?? 10_000,
    waitMs: options.waitMs ?? 1_000,
    pollMs: 20,
  });
const newSlot = (): IdempotencySlot => ({ scopeId: 'scope-a', orgId: 'org1', mutation: 'submitOrderRequest', key: randomUUID() });

describe('the idempotency coordinator on Redis', () => {
  it('runs concurrent requests of one replica once; they share the outcome', async () => {
    const coordinator = replica();
    const slot = newSlot();
    const sent: string[] = [];
    const write = async (upstreamKey: string) => {
      sent.push(upstreamKey);
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { outcome: 'REQ_1', keep: '"REQ_1"' };
    };
    const results = await Promise.all(Array.from({ length: 5 }, () => coordinator.run({ slot, inputHash: 'h', write })));
    expect(results).toEqual(Array.from({ length: 5 }, () => ({ kind: 'ran', outcome: 'REQ_1' })));
    expect(sent).toEqual([upstreamIdempotencyKey(slot)]);
  });

  it('another replica waits for the write and replays its stored outcome, with no write of its own', async () => {
    const [a, b] = [replica(), replica()];
    const slot = newSlot();
    let writes = 0;
    let writing: (() => void) | undefined;
    const aIsWriting = new Promise<void>((resolve) => (writing = resolve));
    let finishWrite: (() => void) | undefined;
    const writeMayFinish = new Promise<void>((resolve) => (finishWrite = resolve));
    const slowWrite = async () => {
      writes += 1;
      must(writing, 'the write signal')();
      await writeMayFinish;
      return { outcome: 'REQ_A', keep: '"REQ_A"' };
    };
    const onA = a.run({ slot, inputHash: 'h', write: slowWrite });
    // A holds the slot once its write has begun; B comes while it is still running.
    await aIsWriting;
    const onBPending = b.run({ slot, inputHash: 'h', write: slowWrite });
    setTimeout(() => must(finishWrite, 'the write release')(), 100);
    const onB = await onBPending;
    expect(await onA).toEqual({ kind: 'ran', outcome: 'REQ_A' });
    expect(onB).toEqual({ kind: 'replayed', stored: '"REQ_A"' });
    expect(writes).toBe(1);
  });

  it('answers in_use when the other replica does not finish within the wait, without writing', async () => {
    const slot = newSlot();
    const records = createRedisIdempotencyRecords(connection);
    const held = await records.claim(slotId(slot), 'h', 10_000);
    expect(held.kind).toBe('claimed');
    let writes = 0;
    const result = await replica({ waitMs: 100 }).run({
      slot,
      inputHash: 'h',
      write: async () => {
        writes += 1;
        return { outcome: 'x', keep: '"x"' };
      },
    });
    expect(result).toEqual({ kind: 'in_use' });
    expect(writes).toBe(0);
  });

  it('reports lease_lost, never success, when its slot was taken over while its write ran; the new owner keeps the slot', async () => {
    const slot = newSlot();
    const records = createRedisIdempotencyRecords(connection);
    let newOwner: string | undefined;
    const result = await replica().run({
      slot,
      inputHash: 'h',
      write: async () => {
        // The lease "expired" (the record is gone) and another replica claimed the key meanwhile.
        await connection.command(['DEL', `pog:idem:${slotId(slot)}`]);
        const claim = await records.claim(slotId(slot), 'h', 10_000);
        if (claim.kind === 'claimed') newOwner = claim.token;
        return { outcome: 'REQ_LATE', keep: '"REQ_LATE"' };
      },
    });
    expect(result).toEqual({ kind: 'lease_lost', outcome: 'REQ_LATE' });
    expect(newOwner).toBeDefined();
    expect(await records.claim(slotId(slot), 'h', 10_000)).toEqual({ kind: 'in_flight' });
    expect(await records.complete(slotId(slot), must(newOwner, "the new owner's claim token"), '"REQ_NEW"', 60_000)).toBe(true);
  });

  it('releases the key after a write that is not kept, so a retry writes again (same upstream key)', async () => {
    const coordinator = replica();
    const slot = newSlot();
    const sent: string[] = [];
    const failing = await coordinator.run({
      slot,
      inputHash: 'h',
      write: async (key) => {
        sent.push(key);
        return { outcome: 'unknown', keep: null };
      },
    });
    const retried = await coordinator.run({
      slot,
      inputHash: 'h',
      write: async (key) => {
        sent.push(key);
        return { outcome: 'REQ_2', keep: '"REQ_2"' };
      },
    });
    expect([failing, retried]).toEqual([
      { kind: 'ran', outcome: 'unknown' },
      { kind: 'ran', outcome: 'REQ_2' },
    ]);
    expect(sent).toEqual([upstreamIdempotencyKey(slot), upstreamIdempotencyKey(slot)]);
  });

  it('refuses with unavailable and never writes when Redis is unreachable', async () => {
    const down = await startRedis();
    const gone = await connected(down.url);
    await down.stop();
    for (let tries = 0; tries < 100 && gone.ready(); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
    let writes = 0;
    const coordinator = createIdempotencyCoordinator(createRedisIdempotencyRecords(gone), { ttlMs: 60_000, leaseMs: 10_000, waitMs: 100 });
    const result = await coordinator.run({
      slot: newSlot(),
      inputHash: 'h',
      write: async () => {
        writes += 1;
        return { outcome: 'x', keep: '"x"' };
      },
    });
    await gone.close();
    expect(result).toEqual({ kind: 'unavailable' });
    expect(writes).toBe(0);
  });
});
