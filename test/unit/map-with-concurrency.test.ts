import { describe, expect, it } from 'vitest';
import { mapWithConcurrency } from '../../src/loaders/map-with-concurrency.ts';

describe('mapWithConcurrency', () => {
  it('never runs more than the limit at once and keeps input order', async () => {
    let running = 0;
    let peak = 0;
    const results = await mapWithConcurrency([5, 1, 4, 2, 3, 6, 7], 3, async (n) => {
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, n));
      running--;
      return n * 10;
    });
    expect(peak).toBe(3);
    expect(results).toEqual([50, 10, 40, 20, 30, 60, 70]);
  });

  it('returns a failure in its slot without failing the others', async () => {
    const results = await mapWithConcurrency(['a', 'b', 'c'], 2, async (s) => {
      if (s === 'b') throw new Error('boom');
      return s.toUpperCase();
    });
    expect(results[0]).toBe('A');
    expect(results[1]).toBeInstanceOf(Error);
    expect((results[1] as Error).message).toBe('boom');
    expect(results[2]).toBe('C');
  });
});
