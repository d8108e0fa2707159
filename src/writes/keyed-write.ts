// The idempotency coordinator: runs a keyed write at most once per slot across the fleet.
// - Same slot, same input, already running on this replica: wait on its local promise (no store round trip).
// - Running on another replica: poll the record for up to IDEMPOTENCY_WAIT_MS, then IDEMPOTENCY_KEY_IN_USE (retryable).
// - Claimed: the lease is renewed every third of IDEMPOTENCY_LEASE_MS while the write runs; a
//   definite answer is stored as the minimal outcome (complete, fenced by the owner token); any other
//   end releases the slot so a retry may write again (PharmaOne sees the same derived
//   Idempotency-Key, so a write that did land is not doubled).
// - The lease was lost while the write ran (another owner claimed the slot): never report success
//   for a write the record no longer vouches for; the caller answers OUTCOME_UNKNOWN.
// - The store is unreachable before the claim: nothing is sent (the caller refuses, retryable).
import { StoreUnavailableError } from '../stores/redis.ts';
import type { IdempotencyRecords, IdempotencySlot, RecordClaim } from './idempotency-store.ts';
import { slotId, upstreamIdempotencyKey } from './idempotency-store.ts';

export type KeyedResult<T> =
  /** This request (or one on this replica it waited for) made the write: its outcome. */
  | { kind: 'ran'; outcome: T }
  /** An earlier write of the same input: its stored minimal outcome, to be turned back into a payload. */
  | { kind: 'replayed'; stored: string }
  | { kind: 'conflict' }
  /** Another replica is writing the same input and did not finish within the wait. */
  | { kind: 'in_use' }
  /** The idempotency store is unreachable: nothing was sent. */
  | { kind: 'unavailable' }
  /** The write ran but the slot stopped being ours (or could not be recorded): outcome unknown to the caller. */
  | { kind: 'lease_lost'; outcome: T };

export interface KeyedWrite<T> {
  slot: IdempotencySlot;
  inputHash: string;
  /** Runs the upstream write once with the derived Idempotency-Key; `keep` is the minimal outcome to store, null to release. */
  write(upstreamKey: string): Promise<{ outcome: T; keep: string | null }>;
}

export interface IdempotencyCoordinator {
  readonly backend: string;
  run<T>(request: KeyedWrite<T>): Promise<KeyedResult<T>>;
}

export interface CoordinatorOptions {
  ttlMs: number;
  leaseMs: number;
  waitMs: number;
  /** Poll interval while another replica holds the slot. */
  pollMs?: number;
  /** Observes how each keyed request ended (metrics). */
  onResult?: (kind: KeyedResult<unknown>['kind']) => void;
}

export function createIdempotencyCoordinator(records: IdempotencyRecords, options: CoordinatorOptions): IdempotencyCoordinator {
  const pollMs = options.pollMs ?? 100;
  /** Writes running on this replica, by slot: waiters share their result. Bounded by requests in flight. */
  const local = new Map<string, { inputHash: string; result: Promise<KeyedResult<unknown>> }>();

  async function claimWithin<T>(slot: string, request: KeyedWrite<T>): Promise<KeyedResult<T>> {
    const waitUntil = Date.now() + options.waitMs;
    for (;;) {
      let claim: RecordClaim;
      try {
        claim = await records.claim(slot, request.inputHash, options.leaseMs);
      } catch (error) {
        if (error instanceof StoreUnavailableError) return { kind: 'unavailable' };
        throw error;
      }
      if (claim.kind === 'conflict') return { kind: 'conflict' };
      if (claim.kind === 'completed') return { kind: 'replayed', stored: claim.outcome };
      if (claim.kind === 'claimed') return writeUnderLease(slot, claim.token, request);
      if (Date.now() + pollMs > waitUntil) return { kind: 'in_use' };
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
  }

  async function writeUnderLease<T>(slot: string, token: string, request: KeyedWrite<T>): Promise<KeyedResult<T>> {
    let lost = false;
    const renewal = setInterval(
      () => {
        records.renew(slot, token, options.leaseMs).then(
          (ours) => (lost ||= !ours),
          // Unreachable: the lease may run out unseen; completion decides (it is fenced).
          () => {},
        );
      },
      Math.max(10, Math.floor(options.leaseMs / 3)),
    );
    renewal.unref();
    let written: { outcome: T; keep: string | null };
    try {
      written = await request.write(upstreamIdempotencyKey(request.slot));
    } catch (error) {
      clearInterval(renewal);
      await records.release(slot, token).catch(() => {});
      throw error;
    }
    clearInterval(renewal);
    if (written.keep === null) {
      // Not kept: a retry tries again (the store lets go even if this replica cannot tell it now: the lease ends it).
      await records.release(slot, token).catch(() => {});
      return { kind: 'ran', outcome: written.outcome };
    }
    if (lost) return { kind: 'lease_lost', outcome: written.outcome };
    const recorded = await records.complete(slot, token, written.keep, options.ttlMs).catch(() => false);
    return recorded ? { kind: 'ran', outcome: written.outcome } : { kind: 'lease_lost', outcome: written.outcome };
  }

  return {
    backend: records.backend,
    async run<T>(request: KeyedWrite<T>): Promise<KeyedResult<T>> {
      const slot = slotId(request.slot);
      const running = local.get(slot);
      if (running) {
        const shared = running.inputHash !== request.inputHash ? { kind: 'conflict' as const } : ((await running.result) as KeyedResult<T>);
        options.onResult?.(shared.kind);
        return shared;
      }
      const result = claimWithin(slot, request);
      local.set(slot, { inputHash: request.inputHash, result });
      try {
        const settled = await result;
        options.onResult?.(settled.kind);
        return settled;
      } finally {
        if (local.get(slot)?.result === result) local.delete(slot);
      }
    },
  };
}
