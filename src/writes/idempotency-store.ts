// Idempotency records: the state machine behind a mutation's idempotencyKey, kept per slot
// (authorization scope, org, mutation, key) with a hash of the input that first used the key.
//
//   (none) ──claim──► IN_FLIGHT {input, owner token, lease} ──complete(token)──► COMPLETED {input, minimal outcome, TTL}
//                        │  renew(token) while the write runs          └─ a stale token is refused (fencing)
//                        ├─ release(token): the write certainly did not land, or its outcome is unknown
//                        └─ lease expires (owner died): the next claim takes the slot with a new token
//
// Two backends with the same semantics: in memory (one replica; bounded in bytes) and Redis (a
// fleet; atomic by Lua, see redis-idempotency-records.ts). The coordinator on top (keyed-write.ts)
// adds the local single flight, the bounded wait and the lease renewal.
import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { EnvReader } from '../config/env.ts';

/** IDEMPOTENCY_* (src/config.ts assembles every section; the stores' own settings are src/stores/config.ts). */
export interface IdempotencySettings {
  /** How long a mutation's outcome is replayed for its idempotencyKey. */
  ttlMs: number;
  maxKeys: number;
}

export function readIdempotencySettings(read: EnvReader): IdempotencySettings {
  return {
    ttlMs: read.durationMs('IDEMPOTENCY_TTL_SECONDS', { fallback: 86_400, min: 1, max: 30 * 86_400 }),
    maxKeys: read.int('IDEMPOTENCY_MAX_KEYS', { fallback: 100_000, min: 1, max: 10_000_000 }),
  };
}

export interface IdempotencySlot {
  /** The caller's authorization scope id (src/auth/caller.ts): identity and grants, never the credential. */
  scopeId: string;
  orgId: string;
  mutation: string;
  key: string;
}

export type RecordClaim =
  /** The slot is ours: do the write, then complete or release it with this token. */
  | { kind: 'claimed'; token: string }
  /** The same input already completed: its stored minimal outcome. */
  | { kind: 'completed'; outcome: string }
  /** The key was used with another input (in flight or completed). */
  | { kind: 'conflict' }
  /** The same input is being written by another owner whose lease still holds. */
  | { kind: 'in_flight' };

export interface IdempotencyRecords {
  /** "memory" or "redis": shown in /readyz. */
  readonly backend: string;
  claim(slot: string, inputHash: string, leaseMs: number): Promise<RecordClaim>;
  /** Extends our lease; false when the slot is no longer ours (it expired and someone else claimed it). */
  renew(slot: string, token: string, leaseMs: number): Promise<boolean>;
  /** Stores the outcome if the slot is still ours (fencing); false when it is not. */
  complete(slot: string, token: string, outcome: string, ttlMs: number): Promise<boolean>;
  /** Forgets our claim so the next attempt may write (only if the slot is still ours). */
  release(slot: string, token: string): Promise<void>;
}

/** One string per slot: a hash, so neither the caller's key nor its scope is stored or logged in clear. */
export function slotId(slot: IdempotencySlot): string {
  return createHash('sha256')
    .update(JSON.stringify([slot.scopeId, slot.orgId, slot.mutation, slot.key]))
    .digest('base64url');
}

/**
 * The Idempotency-Key sent to PharmaOne: derived from the caller's key and authorization scope, so
 * every replica sends the same one for the same request (a write re-sent after a lease expiry is
 * deduplicated upstream too), and two scopes that happen to pick the same key never collide there.
 */
export function upstreamIdempotencyKey(slot: IdempotencySlot): string {
  return `pog1-${createHash('sha256')
    .update(JSON.stringify(['upstream', slot.scopeId, slot.orgId, slot.mutation, slot.key]))
    .digest('base64url')}`;
}

interface MemoryRecord {
  state: 'in_flight' | 'completed';
  inputHash: string;
  token: string;
  outcome: string;
}

/** Fixed cost of one record besides its strings (object, LRU node, map slot), so tiny records still count. */
const RECORD_OVERHEAD_BYTES = 256;

export function createMemoryIdempotencyRecords(options: { maxBytes: number; maxEntries: number }): IdempotencyRecords {
  const records = new LRUCache<string, MemoryRecord>({
    max: options.maxEntries,
    maxSize: options.maxBytes,
    sizeCalculation: (record, slot) =>
      RECORD_OVERHEAD_BYTES + 2 * (slot.length + record.inputHash.length + record.token.length + record.outcome.length),
  });
  const ours = (slot: string, token: string): MemoryRecord | undefined => {
    const record = records.get(slot);
    return record?.state === 'in_flight' && record.token === token ? record : undefined;
  };
  return {
    backend: 'memory',
    async claim(slot, inputHash, leaseMs) {
      const record = records.get(slot);
      if (record) {
        if (record.inputHash !== inputHash) return { kind: 'conflict' };
        return record.state === 'completed' ? { kind: 'completed', outcome: record.outcome } : { kind: 'in_flight' };
      }
      const token = randomUUID();
      records.set(slot, { state: 'in_flight', inputHash, token, outcome: '' }, { ttl: leaseMs });
      return { kind: 'claimed', token };
    },
    async renew(slot, token, leaseMs) {
      const record = ours(slot, token);
      if (record) records.set(slot, record, { ttl: leaseMs });
      return record !== undefined;
    },
    async complete(slot, token, outcome, ttlMs) {
      const record = ours(slot, token);
      if (!record) return false;
      records.set(slot, { ...record, state: 'completed', outcome }, { ttl: ttlMs });
      return true;
    },
    async release(slot, token) {
      if (ours(slot, token)) records.delete(slot);
    },
  };
}

/** A stable hash of a mutation input: key order does not matter, values do. */
export function hashInput(input: unknown): string {
  const canonical = JSON.stringify(input, (_key, value: unknown) =>
    value && typeof value === 'object' && !Array.isArray(value)
      ? Object.fromEntries(Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : value,
  );
  return createHash('sha256').update(canonical).digest('base64url');
}
