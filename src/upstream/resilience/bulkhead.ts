// Per-org bulkhead: at most `maxConcurrent` upstream calls per org at once; the rest wait in
// arrival order. One tenant's burst then occupies its own slots, not the shared connection pool
// every other org needs.
//
// Admission is by time, not by queue length. A queue of 1,500 calls that each take 10 ms drains
// in half a second (32 clients reading 45 orders each is exactly that, and is healthy); a queue
// of 50 calls that each take 2 s will never make the deadline. So a call that finds every slot
// taken is admitted only if the wait the lane predicts for it — the calls ahead of it times the
// lane's recent call duration, shared out over its slots — fits both `maxWaitMs` and what is left
// of its operation's deadline. A flooding org is refused (`overloaded`) as soon as its backlog
// outgrows that, without a call being sent; other orgs' lanes, slots and estimates are their own.
import { onAbort } from './deadline.ts';

export interface BulkheadOptions {
  maxConcurrent: number;
  /** Longest predicted wait for a slot that is still admitted. */
  maxWaitMs: number;
  now?: () => number;
}

export type BulkheadRefusal = 'overloaded' | 'aborted';

export class BulkheadRejectedError extends Error {
  readonly refusal: BulkheadRefusal;
  constructor(refusal: BulkheadRefusal) {
    super(
      refusal === 'overloaded' ? 'this org has more upstream calls waiting than can run in time' : 'gave up waiting for an upstream slot',
    );
    this.name = 'BulkheadRejectedError';
    this.refusal = refusal;
  }
}

export interface Bulkhead {
  /**
   * Resolves with a release function once the key has a free slot. `deadlineAt` (epoch ms) is when
   * the caller stops waiting anyway; a wait predicted to end later is refused at once.
   */
  acquire(key: string, signal?: AbortSignal, deadlineAt?: number): Promise<() => void>;
  /** Calls running and waiting, over all keys. */
  stats(): { active: number; queued: number };
}

/** Memory bound on one org's waiting calls, whatever the estimate says (a hostile burst of tiny calls). */
export const MAX_WAITING_PER_KEY = 10_000;
/**
 * An org's call duration is averaged over time, not over calls: a sample's weight grows with the
 * time since the previous one (time constant AVERAGING_MS). Calls that finish together share one
 * cause — a GC pause, the process descheduled on a busy host — and 32 of them at once must not
 * read as 32 independent witnesses of a slow upstream (that shed healthy load in the bench).
 * Each sample still weighs at least MIN_WEIGHT, so a lasting slow-down shows within seconds.
 */
const AVERAGING_MS = 1_000;
const MIN_WEIGHT = 1 / 256;
/** Orgs whose call duration is remembered while their lane is idle (least recently used go first). */
const REMEMBERED_ORGS = 1_024;

interface Average {
  ms: number;
  at: number;
}

interface Lane {
  active: number;
  /** In arrival order; an aborted waiter stays in place, marked, until a release skips it (O(1) abort). */
  waiting: Array<{ grant: () => void; cancelled: boolean }>;
  /** Waiters not aborted: what a newcomer queues behind. */
  pending: number;
  /** Running average of this org's call durations; undefined until one call finished. */
  callMs: Average | undefined;
}

/** Updates `average` in place (each org's and the shared one are their own objects), or starts one. */
function smooth(average: Average | undefined, sample: number, at: number): Average {
  if (average === undefined) return { ms: sample, at };
  const weight = Math.max(MIN_WEIGHT, 1 - Math.exp(-Math.max(0, at - average.at) / AVERAGING_MS));
  average.ms += weight * (sample - average.ms);
  average.at = at;
  return average;
}

/** A Map kept to its newest `max` keys: the insertion order is the recency order. */
function remember<V>(map: Map<string, V>, key: string, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) map.delete(map.keys().next().value as string);
}

export function createBulkhead(options: BulkheadOptions): Bulkhead {
  const now = options.now ?? Date.now;
  // Lanes exist only while busy: an org id a caller made up leaves nothing behind.
  const lanes = new Map<string, Lane>();
  let active = 0;
  let queued = 0;
  // An org's estimate outlives its lane (bounded), so a slow org's history is not forgotten
  // between bursts and never lands on another org; an org never measured starts from the average
  // over all orgs (the same upstream serves them all).
  const callMsByKey = new Map<string, Average>();
  let sharedCallMs: Average | undefined;
  let rememberedLast: string | undefined;

  function releaser(key: string, lane: Lane): () => void {
    const grantedAt = now();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const releasedAt = now();
      const took = Math.max(0, releasedAt - grantedAt);
      lane.callMs = smooth(lane.callMs, took, releasedAt);
      sharedCallMs = smooth(sharedCallMs, took, releasedAt);
      // The org remembered last is already the most recent, with this very estimate: no reordering.
      if (key !== rememberedLast || callMsByKey.get(key) !== lane.callMs) {
        remember(callMsByKey, key, lane.callMs, REMEMBERED_ORGS);
        rememberedLast = key;
      }
      let next = lane.waiting.shift();
      while (next?.cancelled) next = lane.waiting.shift();
      if (next) {
        lane.pending -= 1;
        queued -= 1;
        next.grant();
        return;
      }
      lane.active -= 1;
      active -= 1;
      if (lane.active === 0) lanes.delete(key);
    };
  }

  /** The wait a call joining the lane now would see: every call ahead of it, run `maxConcurrent` at a time. */
  function predictedWaitMs(lane: Lane): number {
    const callMs = (lane.callMs ?? sharedCallMs)?.ms;
    // Nothing measured yet: nothing to refuse on; the deadline's signal still ends the wait.
    if (callMs === undefined) return 0;
    return ((lane.pending + 1) * callMs) / options.maxConcurrent;
  }

  return {
    acquire(key, signal, deadlineAt) {
      let lane = lanes.get(key);
      if (!lane) {
        lane = { active: 0, waiting: [], pending: 0, callMs: callMsByKey.get(key) };
        lanes.set(key, lane);
      }
      if (lane.active < options.maxConcurrent) {
        lane.active += 1;
        active += 1;
        return Promise.resolve(releaser(key, lane));
      }
      if (signal?.aborted) return Promise.reject(new BulkheadRejectedError('aborted'));
      const budgetMs = Math.min(options.maxWaitMs, deadlineAt === undefined ? Number.POSITIVE_INFINITY : deadlineAt - now());
      // Aborted waiters are only marked; drop them when they would count against the memory bound.
      if (lane.waiting.length >= MAX_WAITING_PER_KEY && lane.pending < lane.waiting.length) {
        lane.waiting = lane.waiting.filter((waiter) => !waiter.cancelled);
      }
      if (lane.waiting.length >= MAX_WAITING_PER_KEY || predictedWaitMs(lane) > budgetMs) {
        return Promise.reject(new BulkheadRejectedError('overloaded'));
      }
      const current = lane;
      return new Promise((resolve, reject) => {
        // The slot passes straight from the releasing call to this one (active stays the same).
        const waiter = {
          cancelled: false,
          grant: () => {
            stopWaiting?.();
            resolve(releaser(key, current));
          },
        };
        const stopWaiting = signal
          ? onAbort(signal, () => {
              waiter.cancelled = true;
              current.pending -= 1;
              queued -= 1;
              reject(new BulkheadRejectedError('aborted'));
            })
          : undefined;
        current.waiting.push(waiter);
        current.pending += 1;
        queued += 1;
      });
    },
    stats: () => ({ active, queued }),
  };
}
