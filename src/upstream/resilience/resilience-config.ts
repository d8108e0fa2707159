// The resilience settings around PharmaOne calls (deadline, retries and their budget, breaker,
// bulkhead), read once from the environment; src/config.ts assembles every section.
import type { EnvReader } from '../../config/env.ts';
import type { RetiredSetting } from '../../config/unread-settings.ts';

/** Settings this section no longer reads: a deployment still setting one is told what replaced it. */
export const RETIRED_RESILIENCE_SETTINGS: ReadonlyMap<string, RetiredSetting> = new Map([
  ['UPSTREAM_ORG_QUEUE', { replacedBy: 'UPSTREAM_ORG_MAX_WAIT_MS', why: 'calls wait by predicted wait, not by queue length' }],
]);

export interface ResilienceConfig {
  /** Overall deadline of one GraphQL operation, every upstream call and retry wait included. */
  operationDeadlineMs: number;
  /** GET only; attempts in all (1 = no retries), backoff with full jitter between them. */
  retry: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number };
  /** Per origin: retries ≤ ratio × calls + minRetriesPerWindow over the window. */
  retryBudget: { ratio: number; minRetriesPerWindow: number; windowMs: number };
  /** Per origin: opens at errorRate of ≥ minCalls calls in the window, for openMs, then probes. */
  breaker: { minCalls: number; errorRate: number; windowMs: number; openMs: number; halfOpenProbes: number };
  /** Per org: concurrent upstream calls, and the longest predicted wait for a slot that is admitted. */
  bulkhead: { maxConcurrent: number; maxWaitMs: number };
}

export function readResilience(read: EnvReader): ResilienceConfig {
  const retry = {
    maxAttempts: read.int('UPSTREAM_RETRY_MAX_ATTEMPTS', { fallback: 3, min: 1, max: 10 }),
    baseDelayMs: read.durationMs('UPSTREAM_RETRY_BASE_DELAY_MS', { fallback: 100, min: 1, max: 60_000 }),
    maxDelayMs: read.durationMs('UPSTREAM_RETRY_MAX_DELAY_MS', { fallback: 2_000, min: 1, max: 60_000 }),
  };
  if (retry.baseDelayMs > retry.maxDelayMs) read.problem('UPSTREAM_RETRY_BASE_DELAY_MS must not exceed UPSTREAM_RETRY_MAX_DELAY_MS');
  const operationDeadlineMs = read.durationMs('OPERATION_DEADLINE_MS', { fallback: 15_000, min: 100, max: 300_000 });
  return {
    operationDeadlineMs,
    retry,
    retryBudget: {
      ratio: read.fraction('UPSTREAM_RETRY_BUDGET_PERCENT', { fallback: 20, min: 0, max: 100 }),
      minRetriesPerWindow: read.int('UPSTREAM_RETRY_BUDGET_MIN_RETRIES', { fallback: 10, min: 0, max: 100_000 }),
      windowMs: read.durationMs('UPSTREAM_RETRY_BUDGET_WINDOW_MS', { fallback: 10_000, min: 100, max: 600_000 }),
    },
    breaker: {
      minCalls: read.int('UPSTREAM_BREAKER_MIN_CALLS', { fallback: 20, min: 1, max: 100_000 }),
      errorRate: read.fraction('UPSTREAM_BREAKER_ERROR_PERCENT', { fallback: 50, min: 1, max: 100 }),
      windowMs: read.durationMs('UPSTREAM_BREAKER_WINDOW_MS', { fallback: 10_000, min: 100, max: 600_000 }),
      openMs: read.durationMs('UPSTREAM_BREAKER_OPEN_MS', { fallback: 5_000, min: 10, max: 600_000 }),
      halfOpenProbes: read.int('UPSTREAM_BREAKER_HALF_OPEN_PROBES', { fallback: 1, min: 1, max: 100 }),
    },
    bulkhead: {
      maxConcurrent: read.int('UPSTREAM_ORG_CONCURRENCY', { fallback: 32, min: 1, max: 1024 }),
      // Admission by predicted wait, not queue length (issue 14): a long queue of fast calls is
      // healthy. By default only the operation's deadline limits the wait.
      maxWaitMs: read.durationMs('UPSTREAM_ORG_MAX_WAIT_MS', { fallback: operationDeadlineMs, min: 0, max: 300_000 }),
    },
  };
}
