// The seed's calendar: data runs from New Year 2026 to the morning the vendor's examples were
// captured (2026-06-14, see the seed page). Nothing seeded is newer than SEED_CUTOFF.
import type { Random } from '../prng.ts';
import type { Micros } from '../timestamps.ts';

export const SEED_START: Micros = Date.parse('2026-01-01T00:00:00Z') * 1000;
export const JUNE_START: Micros = Date.parse('2026-06-01T00:00:00Z') * 1000;
export const SEED_CUTOFF: Micros = Date.parse('2026-06-14T11:50:00Z') * 1000;

export const MINUTE: Micros = 60 * 1_000_000;
export const HOUR: Micros = 60 * MINUTE;
export const DAY: Micros = 24 * HOUR;

export function momentBetween(random: Random, from: Micros, to: Micros): Micros {
  return from + Math.floor(random() * (to - from));
}

/** `count` moments in [from, to), ascending. */
export function momentsBetween(random: Random, count: number, from: Micros, to: Micros): Micros[] {
  return Array.from({ length: count }, () => momentBetween(random, from, to)).sort((a, b) => a - b);
}

/** A later moment for updated_at: `created` plus a random delay, never past the cutoff. */
export function laterMoment(random: Random, created: Micros, minDelay: Micros, maxDelay: Micros): Micros {
  const candidate = created + minDelay + Math.floor(random() * (maxDelay - minDelay));
  return Math.max(created, Math.min(candidate, SEED_CUTOFF));
}

/** Picks a value by weight: weighted(random, [['a', 3], ['b', 1]]) is 'a' three times in four. */
export function weighted<T>(random: Random, options: readonly (readonly [T, number])[]): T {
  const total = options.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random() * total;
  for (const [value, weight] of options) {
    draw -= weight;
    if (draw < 0) return value;
  }
  const last = options[options.length - 1];
  if (last === undefined) throw new Error('weighted() without options');
  return last[0];
}
