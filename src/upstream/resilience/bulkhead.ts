// Per-org bulkhead: at most `maxConcurrent` upstream calls per org at once, the next `maxQueued`
// wait in arrival order, and beyond that calls are refused. One tenant's burst then occupies its
// own slots, not the shared connection pool every other org needs.

export interface BulkheadOptions {
  maxConcurrent: number;
  maxQueued: number;
}

export type BulkheadRefusal = 'queue_full' | 'aborted';

export class BulkheadRejectedError extends Error {
  readonly refusal: BulkheadRefusal;
  constructor(refusal: BulkheadRefusal) {
    super(refusal === 'queue_full' ? 'too many upstream calls queued for this org' : 'gave up waiting for an upstream slot');
    this.name = 'BulkheadRejectedError';
    this.refusal = refusal;
  }
}

export interface Bulkhead {
  /** Resolves with a release function once the key has a free slot. */
  acquire(key: string, signal?: AbortSignal): Promise<() => void>;
  /** Calls running and waiting, over all keys. */
  stats(): { active: number; queued: number };
}

interface Lane {
  active: number;
  waiting: Array<{ grant: () => void }>;
}

export function createBulkhead(options: BulkheadOptions): Bulkhead {
  // Lanes exist only while busy: an org id a caller made up leaves nothing behind.
  const lanes = new Map<string, Lane>();
  let active = 0;
  let queued = 0;

  function releaser(key: string, lane: Lane): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = lane.waiting.shift();
      if (next) {
        queued -= 1;
        next.grant();
        return;
      }
      lane.active -= 1;
      active -= 1;
      if (lane.active === 0) lanes.delete(key);
    };
  }

  return {
    acquire(key, signal) {
      let lane = lanes.get(key);
      if (!lane) {
        lane = { active: 0, waiting: [] };
        lanes.set(key, lane);
      }
      if (lane.active < options.maxConcurrent) {
        lane.active += 1;
        active += 1;
        return Promise.resolve(releaser(key, lane));
      }
      if (signal?.aborted) return Promise.reject(new BulkheadRejectedError('aborted'));
      if (lane.waiting.length >= options.maxQueued) return Promise.reject(new BulkheadRejectedError('queue_full'));
      const current = lane;
      return new Promise((resolve, reject) => {
        // The slot passes straight from the releasing call to this one (active stays the same).
        const waiter = {
          grant: () => {
            signal?.removeEventListener('abort', abort);
            resolve(releaser(key, current));
          },
        };
        const abort = () => {
          const index = current.waiting.indexOf(waiter);
          if (index >= 0) {
            current.waiting.splice(index, 1);
            queued -= 1;
          }
          reject(new BulkheadRejectedError('aborted'));
        };
        signal?.addEventListener('abort', abort, { once: true });
        current.waiting.push(waiter);
        queued += 1;
      });
    },
    stats: () => ({ active, queued }),
  };
}
