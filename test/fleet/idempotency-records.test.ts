// The idempotency state machine, the same table of transitions against both backends: in memory
// and a real redis-server. Fencing: once a lease expired and another owner claimed the slot, the
// first owner's renew, complete and release change nothing. Memory: bounded in bytes.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryIdempotencyRecords } from '../../src/writes/idempotency-store.ts';
import type { IdempotencyRecords } from '../../src/writes/idempotency-store.ts';
import { createRedisIdempotencyRecords } from '../../src/writes/redis-idempotency-records.ts';
import { connectRedis } from '../../src/stores/redis.ts';
import type { RedisConnection } from '../../src/stores/redis.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';

let redis: TestRedis;
let connection: RedisConnection;
beforeAll(async () => {
  redis = await startRedis();
  connection = connectRedis(redis.url, 'idempotency', { commandTimeoutMs: 1_000 });
  for (let tries = 0; tries < 100 && !connection.ready(); tries++) await new Promise((resolve) => setTimeout(resolve, 20));
});
afterAll(async () => {
  await connection.close();
  await redis.stop();
});

const LONG = 60_000;
const backends: Array<[string, () => IdempotencyRecords]> = [
  ['memory', () => createMemoryIdempotencyRecords({ maxBytes: 1024 * 1024, maxEntries: 1000 })],
  ['redis', () => createRedisIdempotencyRecords(connection)],
];

/** Claims `slot` for input h1 and returns the owner's token (a refused claim fails the test). */
async function ownerToken(records: IdempotencyRecords, slot: string, leaseMs = LONG): Promise<string> {
  const claim = await records.claim(slot, 'h1', leaseMs);
  if (claim.kind !== 'claimed') throw new Error('not claimed');
  return claim.token;
}

async function leaseRunsOut(records: IdempotencyRecords, slot: string, inputHash: string): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const claim = await records.claim(slot, inputHash, 5);
    if (claim.kind === 'claimed') return void (await records.release(slot, claim.token));
  }
  throw new Error('the lease never ran out');
}

describe.each(backends)('%s idempotency records', (_, make) => {
  it('claims a new slot once; the same input then sees in_flight, another input conflict', async () => {
    const records = make();
    const slot = randomUUID();
    const first = await records.claim(slot, 'h1', LONG);
    expect(first.kind).toBe('claimed');
    expect(await records.claim(slot, 'h1', LONG)).toEqual({ kind: 'in_flight' });
    expect(await records.claim(slot, 'h2', LONG)).toEqual({ kind: 'conflict' });
  });

  it('completes with the owner token: the same input replays the outcome, another input conflicts', async () => {
    const records = make();
    const slot = randomUUID();
    const token = await ownerToken(records, slot);
    expect(await records.complete(slot, token, '{"id":"REQ_1"}', LONG)).toBe(true);
    expect(await records.claim(slot, 'h1', LONG)).toEqual({ kind: 'completed', outcome: '{"id":"REQ_1"}' });
    expect(await records.claim(slot, 'h2', LONG)).toEqual({ kind: 'conflict' });
  });

  it('release by the owner frees the slot; release with a stranger token does not', async () => {
    const records = make();
    const slot = randomUUID();
    const token = await ownerToken(records, slot);
    await records.release(slot, 'someone-else');
    expect(await records.claim(slot, 'h1', LONG)).toEqual({ kind: 'in_flight' });
    await records.release(slot, token);
    expect((await records.claim(slot, 'h1', LONG)).kind).toBe('claimed');
  });

  it('fences a dead owner: after its lease expired and another claimed, its renew, complete and release change nothing', async () => {
    const records = make();
    const slot = randomUUID();
    const oldToken = await ownerToken(records, slot, 5);
    await leaseRunsOut(records, slot, 'h1');
    const currentToken = await ownerToken(records, slot);

    expect(await records.renew(slot, oldToken, LONG)).toBe(false);
    expect(await records.complete(slot, oldToken, '{"id":"LATE"}', LONG)).toBe(false);
    await records.release(slot, oldToken);
    expect(await records.claim(slot, 'h1', LONG)).toEqual({ kind: 'in_flight' });

    expect(await records.renew(slot, currentToken, LONG)).toBe(true);
    expect(await records.complete(slot, currentToken, '{"id":"REQ_2"}', LONG)).toBe(true);
    expect(await records.claim(slot, 'h1', LONG)).toEqual({ kind: 'completed', outcome: '{"id":"REQ_2"}' });
  });

  it('a completed record cannot be completed again or released', async () => {
    const records = make();
    const slot = randomUUID();
    const token = await ownerToken(records, slot);
    await records.complete(slot, token, '"first"', LONG);
    expect(await records.complete(slot, token, '"second"', LONG)).toBe(false);
    await records.release(slot, token);
    expect(await records.claim(slot, 'h1', LONG)).toEqual({ kind: 'completed', outcome: '"first"' });
  });
});

describe('memory idempotency records', () => {
  it.each([
    ['small outcomes', 100],
    ['large outcomes', 50_000],
  ])('stay within their byte bound however many keys arrive (%s)', async (_, outcomeChars) => {
    const maxBytes = 1024 * 1024;
    const records = createMemoryIdempotencyRecords({ maxBytes, maxEntries: 1_000_000 });
    const outcome = 'x'.repeat(outcomeChars);
    const slots: string[] = [];
    for (let index = 0; index < 2_000; index++) {
      const slot = randomUUID();
      slots.push(slot);
      const claim = await records.claim(slot, 'h', LONG);
      if (claim.kind === 'claimed') await records.complete(slot, claim.token, outcome, LONG);
    }
    // Counted at two bytes a character plus a fixed overhead: the kept records fit in maxBytes.
    // Least recently used go first, so the kept records are the newest ones: count back to the first gap.
    let kept = 0;
    for (const slot of [...slots].reverse()) {
      if ((await records.claim(slot, 'other', LONG)).kind !== 'conflict') break;
      kept += 1;
    }
    expect(kept * (256 + 2 * outcomeChars)).toBeLessThanOrEqual(maxBytes);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(slots.length);
  });
});
