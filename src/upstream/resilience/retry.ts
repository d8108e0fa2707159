// When and how long to wait before retrying an idempotent read: exponential backoff with full
// jitter (a random wait between 0 and the exponential cap, so clients that failed together do not
// retry together), stretched to what a `Retry-After` asks for.
import type { UpstreamResponse } from '../http.ts';
import { UpstreamUnavailableError } from '../upstream-errors.ts';

export interface RetryPolicy {
  /** Attempts in all, the first included; 1 turns retries off. */
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Why a failed attempt may be retried (a metrics label), or null when it must not be. */
export function retryReason(outcome: { response: UpstreamResponse } | { error: unknown }): string | null {
  if ('response' in outcome) {
    const { status } = outcome.response;
    return status === 429 || status >= 500 ? String(status) : null;
  }
  const { error } = outcome;
  if (!(error instanceof UpstreamUnavailableError)) return null;
  // Our own refusals (open circuit, full bulkhead) and our own deadline are not PharmaOne's hiccups.
  return error.reason === 'connect' || error.reason === 'timeout' || error.reason === 'reset' ? error.reason : null;
}

/** Full jitter: uniform in [0, min(maxDelay, base · 2^(retry−1))). */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random() * cap);
}

/** A `Retry-After` header (delta seconds or an HTTP date) in milliseconds from now. */
export function retryAfterMs(header: string | string[] | undefined, now: () => number = Date.now): number | undefined {
  const value = (Array.isArray(header) ? header[0] : header)?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now());
}
