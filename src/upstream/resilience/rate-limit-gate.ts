// The rate-limit gate. A 429 is one caller's rate limit, not an outage: that caller's (origin +
// rateLimitKey, i.e. org + credential) calls are refused locally until its Retry-After has
// passed, while every other caller's calls go on. Bounded: the oldest callers are forgotten first.
import { LRUCache } from 'lru-cache';
import type { UpstreamRequest, UpstreamResponse } from '../http.ts';
import { UpstreamUnavailableError } from '../upstream-errors.ts';
import { retryAfterMs } from './retry.ts';

/** Callers (org + credential) whose 429 is remembered at once; the oldest are forgotten first. */
const MAX_RATE_LIMITED_CALLERS = 10_000;
/** A 429 without a usable Retry-After still keeps that caller away this long. */
const DEFAULT_RATE_LIMIT_MS = 1_000;

export interface RateLimitGate {
  /** Until when (epoch ms) PharmaOne asked this caller (origin + rateLimitKey) to wait; 0 when it never did. */
  until(req: UpstreamRequest, origin: string): number;
  /**
   * Refuses a call while its caller is rate limited. `waitedOutUntil` is the gate's time that this
   * call has already slept through (a retry after a 429): such a call passes unless a newer 429
   * pushed the gate further. Comparing the gate with itself, not with a clock, is what keeps a
   * retry from being refused because its timer (libuv's loop clock) ended a little before
   * Date.now() reached the remembered time.
   */
  check(req: UpstreamRequest, origin: string, waitedOutUntil?: number): void;
  /** Remembers a 429: the caller waits what its Retry-After asks, at most `maxMs`. */
  remember(req: UpstreamRequest, origin: string, response: UpstreamResponse): void;
  /** Callers currently remembered. */
  size(): number;
}

export function createRateLimitGate(options: {
  now: () => number;
  /** The longest Retry-After honoured; a larger one is cut to it. */
  maxMs: number;
  onRejected?: (route: string, reason: 'rate_limited') => void;
}): RateLimitGate {
  const { now } = options;
  // Epoch ms until which a caller (origin + rateLimitKey) is rate limited by PharmaOne.
  const rateLimitedUntil = new LRUCache<string, number>({ max: MAX_RATE_LIMITED_CALLERS });

  function until(req: UpstreamRequest, origin: string): number {
    // Nobody rate limited (the usual case): no key to build and look up, twice per call.
    if (req.rateLimitKey === undefined || rateLimitedUntil.size === 0) return 0;
    return rateLimitedUntil.get(`${origin}\n${req.rateLimitKey}`) ?? 0;
  }

  return {
    until,
    check(req, origin, waitedOutUntil = 0) {
      const limitedUntil = until(req, origin);
      if (limitedUntil <= waitedOutUntil) return;
      const left = limitedUntil - now();
      if (left <= 0) return;
      options.onRejected?.(req.route, 'rate_limited');
      throw new UpstreamUnavailableError({
        route: req.route,
        reason: 'rate_limited',
        mayHaveArrived: false,
        retryAfterSeconds: Math.ceil(left / 1000),
      });
    },
    remember(req, origin, response) {
      if (req.rateLimitKey === undefined) return;
      const asked = retryAfterMs(response.headers['retry-after'], now) ?? DEFAULT_RATE_LIMIT_MS;
      rateLimitedUntil.set(`${origin}\n${req.rateLimitKey}`, now() + Math.min(asked, options.maxMs));
    },
    size: () => rateLimitedUntil.size,
  };
}
