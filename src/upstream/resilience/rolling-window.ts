// Counts over a sliding time window, kept in a few fixed buckets so memory stays constant however
// many calls pass. Used by the retry budget and the circuit breaker.

export interface RollingCounter<K extends string> {
  add(kind: K, amount?: number): void;
  /** Sums over the window ending now. */
  totals(): Record<K, number>;
  clear(): void;
}

export function createRollingCounter<K extends string>(
  kinds: readonly K[],
  options: { windowMs: number; buckets?: number; now?: () => number },
): RollingCounter<K> {
  const bucketCount = options.buckets ?? 10;
  const bucketMs = Math.max(1, Math.ceil(options.windowMs / bucketCount));
  const now = options.now ?? Date.now;
  // Ring of buckets, each tagged with the time slot it counts for; a stale bucket reads as empty.
  // Counted by kind index in flat arrays, reset in place: the breaker and the retry budget count
  // every upstream call, and a record per bucket or per sum was garbage on that path.
  const slots: number[] = new Array(bucketCount).fill(-1);
  const counts: number[][] = Array.from({ length: bucketCount }, () => new Array<number>(kinds.length).fill(0));

  function current(): number[] {
    const slot = Math.floor(now() / bucketMs);
    const index = slot % bucketCount;
    const bucket = counts[index] as number[];
    if (slots[index] !== slot) {
      slots[index] = slot;
      bucket.fill(0);
    }
    return bucket;
  }

  return {
    add(kind, amount = 1) {
      const bucket = current();
      const at = kinds.indexOf(kind);
      bucket[at] = (bucket[at] ?? 0) + amount;
    },
    totals() {
      const oldest = Math.floor(now() / bucketMs) - bucketCount + 1;
      const sum = {} as Record<K, number>;
      for (let k = 0; k < kinds.length; k++) {
        let total = 0;
        for (let i = 0; i < bucketCount; i++) if ((slots[i] ?? -1) >= oldest) total += (counts[i] as number[])[k] ?? 0;
        sum[kinds[k] as K] = total;
      }
      return sum;
    },
    clear() {
      slots.fill(-1);
    },
  };
}
