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
  const slots: number[] = new Array(bucketCount).fill(-1);
  const counts: Array<Record<K, number>> = Array.from({ length: bucketCount }, () => zero(kinds));

  function current(): Record<K, number> {
    const slot = Math.floor(now() / bucketMs);
    const index = slot % bucketCount;
    let bucket = counts[index];
    if (slots[index] !== slot || !bucket) {
      slots[index] = slot;
      bucket = zero(kinds);
      counts[index] = bucket;
    }
    return bucket;
  }

  return {
    add(kind, amount = 1) {
      current()[kind] += amount;
    },
    totals() {
      const oldest = Math.floor(now() / bucketMs) - bucketCount + 1;
      const sum = zero(kinds);
      for (const [i, bucket] of counts.entries()) {
        if ((slots[i] ?? -1) < oldest) continue;
        for (const kind of kinds) sum[kind] += bucket[kind];
      }
      return sum;
    },
    clear() {
      slots.fill(-1);
    },
  };
}

function zero<K extends string>(kinds: readonly K[]): Record<K, number> {
  return Object.fromEntries(kinds.map((kind) => [kind, 0])) as Record<K, number>;
}
