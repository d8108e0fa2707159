// The vendor's samples (/work/shared/seed, copied verbatim to test/fixtures/seed): tests that need
// one of them read it here rather than restating it, so each sample lives in one place.
import { readFileSync } from 'node:fs';

/** A sample parsed from test/fixtures/seed; `T` is the caller's claim, checked by the contract tests. */
export function seedSample<T = unknown>(name: string): T {
  return JSON.parse(readFileSync(new URL(`../fixtures/seed/${name}`, import.meta.url), 'utf8')) as T;
}
