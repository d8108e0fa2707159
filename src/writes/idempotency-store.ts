// Idempotency for mutations: the outcome of a write is stored under (credential, org, mutation,
// key) together with a hash of its input. The same key and input gets the stored outcome without
// a second upstream call, even when requests arrive together (one runs, the rest wait); the same
// key with another input is refused. The store is an interface so a shared store (Redis) can
// replace the in-memory one when the gateway runs as several replicas.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

export interface IdempotencyScope {
  /** Hash of the caller's credential, never the credential. */
  callerId: string;
  orgId: string;
  mutation: string;
  key: string;
}

export type IdempotencyClaim<T> =
  | { kind: 'run'; settle(outcome: T, options: { keep: boolean }): void }
  | { kind: 'replay'; outcome: T }
  | { kind: 'conflict' };

export interface IdempotencyStore<T> {
  /**
   * Claims the key for this input. `run`: the caller must do the write and settle it; keep=false
   * (outcome unknown) forgets the key so a retry with it tries again upstream, where PharmaOne's
   * own Idempotency-Key handling keeps it from doubling. `replay`: the outcome of an earlier or
   * concurrent run of the same input. `conflict`: the key was used with another input.
   */
  claim(scope: IdempotencyScope, inputHash: string): Promise<IdempotencyClaim<T>>;
}

interface Entry<T> {
  inputHash: string;
  outcome: Promise<T>;
}

export function createMemoryIdempotencyStore<T>(options: { maxEntries: number; ttlMs: number }): IdempotencyStore<T> {
  const entries = new LRUCache<string, Entry<T>>({ max: options.maxEntries, ttl: options.ttlMs });

  return {
    async claim(scope, inputHash) {
      const slot = [scope.callerId, scope.orgId, scope.mutation, scope.key].join('\n');
      const existing = entries.get(slot);
      if (existing) {
        if (existing.inputHash !== inputHash) return { kind: 'conflict' };
        return { kind: 'replay', outcome: await existing.outcome };
      }
      let resolve!: (outcome: T) => void;
      const outcome = new Promise<T>((r) => (resolve = r));
      entries.set(slot, { inputHash, outcome });
      return {
        kind: 'run',
        settle(result, { keep }) {
          // Waiters always get this run's outcome; only a definite outcome is kept for later retries.
          resolve(result);
          if (!keep && entries.get(slot)?.outcome === outcome) entries.delete(slot);
        },
      };
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
