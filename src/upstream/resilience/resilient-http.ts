// The resilience layer: an UpstreamHttp that wraps another one (decorator), so the PharmaOne client
// stays one plain call per endpoint. For every call, per upstream origin: the circuit breaker
// (fail fast while open), the per-org bulkhead (a slot, or a wait predicted to fit), then the call.
// GETs (and the token exchange, which changes nothing) are retried — on 5xx, 429, resets, connect
// failures and timeouts — with backoff and full jitter, Retry-After honoured, inside the
// operation's deadline and the origin's retry budget. Writes (POST, PATCH) are sent exactly once:
// src/writes relies on it.
// A 429 is one caller's rate limit, not an outage: it never counts toward the origin's breaker,
// and that caller's (org + credential) calls are refused locally until its Retry-After has passed,
// while every other org's calls go on (rate-limit-gate.ts). The breaker learns each outcome's org: one org's 5xx and
// timeouts (PharmaOne failing on that org's data) do not open it for every org, see circuit-breaker.ts.
// Each HTTP attempt is announced to the request's `onAttempt`, so the operation's call budget
// counts retries too.
import { LRUCache } from 'lru-cache';
import type { UpstreamHttp, UpstreamRequest, UpstreamResponse } from '../http.ts';
import { UpstreamCallBudgetExceededError, UpstreamUnavailableError } from '../upstream-errors.ts';
import { BulkheadRejectedError, createBulkhead } from './bulkhead.ts';
import type { Bulkhead, BulkheadOptions } from './bulkhead.ts';
import { createCircuitBreaker } from './circuit-breaker.ts';
import type { BreakerState, CircuitBreaker, CircuitBreakerOptions } from './circuit-breaker.ts';
import { pauseUnlessAborted, remainingMs } from './deadline.ts';
import { createRateLimitGate } from './rate-limit-gate.ts';
import type { RateLimitGate } from './rate-limit-gate.ts';
import { backoffMs, retryAfterMs, retryReason } from './retry.ts';
import type { RetryPolicy } from './retry.ts';
import { createRetryBudget } from './retry-budget.ts';
import type { RetryBudget, RetryBudgetOptions } from './retry-budget.ts';

export interface ResilienceOptions {
  retry: RetryPolicy;
  retryBudget: Omit<RetryBudgetOptions, 'now'>;
  breaker: Omit<CircuitBreakerOptions, 'now' | 'onStateChange'>;
  bulkhead: BulkheadOptions;
  /** The longest Retry-After honoured, in seconds (a larger one is cut to it); default 300. */
  rateLimitMaxSeconds?: number;
  events?: ResilienceEvents;
  now?: () => number;
  random?: () => number;
  /** Waits between attempts (tests inject one with the clock); rejects when `signal` aborts. */
  sleep?: (ms: number, signal: AbortSignal | undefined) => Promise<void>;
}

/** What the layer decided, for metrics and logs. Labels are route templates and reasons only. */
export interface ResilienceEvents {
  retry?(route: string, reason: string): void;
  retryBudgetExhausted?(route: string): void;
  /** A call refused before it was sent: `circuit_open`, `overloaded` (the org's bulkhead wait would not fit) or `deadline`. */
  rejected?(route: string, reason: string): void;
  breakerStateChanged?(origin: string, state: BreakerState): void;
}

export interface ResilientHttp extends UpstreamHttp {
  /** Breaker state per upstream origin seen so far (for /readyz and /metrics). */
  breakerStates(): Array<{ origin: string; state: BreakerState }>;
  bulkheadStats(): { active: number; queued: number };
  /** Callers (org + credential) currently remembered as rate limited. */
  rateLimitedCallers(): number;
}

/**
 * Whether a failure says something about the origin as a whole. Our own cancellations say
 * nothing, and one org's oversized or malformed answer is that org's data, not an outage.
 */
function countsAsOutage(reason: UnavailableError['reason']): boolean {
  return reason !== 'aborted' && reason !== 'too_large' && reason !== 'invalid_response' && reason !== 'rate_limited';
}

type UnavailableError = UpstreamUnavailableError;

interface OriginGuards {
  breaker: CircuitBreaker;
  budget: RetryBudget;
}

/** Shop proxies may each have their own host: the per-origin state is bounded all the same. */
const MAX_ORIGINS = 256;
/** The longest wait a Retry-After can ask of a call that has no deadline. */
const MAX_WAIT_WITHOUT_DEADLINE_MS = 30_000;

type Outcome = { response: UpstreamResponse } | { error: unknown };

/** What every call shares: the wrapped pool, the clock, and the guards that are not per origin. */
interface Shared {
  http: UpstreamHttp;
  options: ResilienceOptions;
  now: () => number;
  random: () => number;
  events: ResilienceEvents;
  bulkhead: Bulkhead;
  rateLimits: RateLimitGate;
}

export function createResilientHttp(http: UpstreamHttp, options: ResilienceOptions): ResilientHttp {
  const now = options.now ?? Date.now;
  const events = options.events ?? {};
  const shared: Shared = {
    http,
    options,
    now,
    random: options.random ?? Math.random,
    events,
    bulkhead: createBulkhead({ ...options.bulkhead, now }),
    rateLimits: createRateLimitGate({
      now,
      maxMs: (options.rateLimitMaxSeconds ?? 300) * 1000,
      onRejected: (route, reason) => events.rejected?.(route, reason),
    }),
  };
  const origins = createOriginGuards(options, now, events);
  const pause = options.sleep ?? pauseUnlessAborted;

  async function send(req: UpstreamRequest): Promise<UpstreamResponse> {
    // Every route call carries its origin (buildRouteUrl); parsed here only for a bare URL.
    const origin = req.origin ?? new URL(req.url).origin;
    const guards = origins.guardsFor(origin);
    shared.rateLimits.check(req, origin);
    guards.budget.recordCall();
    const maxAttempts = req.method === 'GET' || req.idempotent ? options.retry.maxAttempts : 1;
    let waitedOutUntil = 0;
    for (let attempts = 1; ; attempts++) {
      let outcome: Outcome;
      try {
        outcome = { response: await attempt(shared, req, guards, origin, waitedOutUntil) };
      } catch (error) {
        outcome = { error };
      }
      const wait = attempts < maxAttempts ? retryWait(shared, req, outcome, attempts, origin) : null;
      if (wait !== null && guards.budget.tryRetry()) {
        events.retry?.(req.route, wait.reason);
        try {
          await pause(wait.ms, req.signal);
          waitedOutUntil = wait.gateUntil;
          continue;
        } catch {
          // The deadline passed while waiting: the last answer stands.
        }
      } else if (wait !== null) {
        events.retryBudgetExhausted?.(req.route);
      }
      if ('response' in outcome) return outcome.response;
      throw outcome.error;
    }
  }

  return {
    send,
    close: () => http.close(),
    rateLimitedCallers: () => shared.rateLimits.size(),
    breakerStates: origins.states,
    bulkheadStats: () => shared.bulkhead.stats(),
  };
}

/** The breaker and the retry budget of each upstream origin, made on its first call. */
function createOriginGuards(options: ResilienceOptions, now: () => number, events: ResilienceEvents) {
  const origins = new LRUCache<string, OriginGuards>({ max: MAX_ORIGINS });
  // The origin of the previous call and its guards: already the most recent entry of `origins`.
  let lastOrigin: string | undefined;
  let lastGuards: OriginGuards | undefined;

  return {
    guardsFor(origin: string): OriginGuards {
      if (origin === lastOrigin && lastGuards) return lastGuards;
      let guards = origins.get(origin);
      if (!guards) {
        guards = {
          breaker: createCircuitBreaker({ ...options.breaker, now, onStateChange: (state) => events.breakerStateChanged?.(origin, state) }),
          budget: createRetryBudget({ ...options.retryBudget, now }),
        };
        origins.set(origin, guards);
      }
      lastOrigin = origin;
      lastGuards = guards;
      return guards;
    },
    states: (): Array<{ origin: string; state: BreakerState }> =>
      [...origins.entries()]
        .map(([origin, guards]) => ({ origin, state: guards.breaker.state() }))
        .sort((a, b) => a.origin.localeCompare(b.origin)),
  };
}

/** One HTTP attempt: the rate-limit gate, the origin's breaker, the org's bulkhead slot, then the call. */
async function attempt(
  shared: Shared,
  req: UpstreamRequest,
  guards: OriginGuards,
  origin: string,
  waitedOutUntil: number,
): Promise<UpstreamResponse> {
  shared.rateLimits.check(req, origin, waitedOutUntil);
  const permit = guards.breaker.tryAcquire(req.orgId);
  if (!permit) throw refused(shared, req, 'circuit_open');
  let release: () => void;
  try {
    release = await shared.bulkhead.acquire(req.orgId ?? '', req.signal, req.deadlineAt);
  } catch (error) {
    permit.release();
    if (error instanceof BulkheadRejectedError) throw refused(shared, req, error.refusal === 'overloaded' ? 'overloaded' : 'deadline');
    throw error;
  }
  let settle: ((outcome: number | 'unavailable') => void) | undefined;
  try {
    // The operation's budget counts this attempt, or refuses it (nothing is sent then).
    settle = req.onAttempt?.();
    const response = await shared.http.send(req);
    settle?.(response.status);
    if (response.status === 429) {
      // One caller's rate limit, not a sick upstream: that caller waits, the breaker does not count it.
      shared.rateLimits.remember(req, origin, response);
      permit.release();
    } else if (response.status >= 500) permit.failure();
    // 4xx other than 429 are the caller's business, not a sign of a sick upstream.
    else permit.success();
    return response;
  } catch (error) {
    if (!(error instanceof UpstreamCallBudgetExceededError)) settle?.('unavailable');
    if (error instanceof UpstreamCallBudgetExceededError || (error instanceof UpstreamUnavailableError && !countsAsOutage(error.reason))) {
      permit.release();
    } else permit.failure();
    throw error;
  } finally {
    release();
  }
}

function refused(shared: Shared, req: UpstreamRequest, reason: 'circuit_open' | 'overloaded' | 'deadline'): UpstreamUnavailableError {
  shared.events.rejected?.(req.route, reason);
  // Refused before sending: a write certainly did not happen.
  return new UpstreamUnavailableError({ route: req.route, reason, mayHaveArrived: false });
}

/**
 * How long to wait before the next attempt, or null when there is to be none: the backoff, or
 * longer when PharmaOne's Retry-After or our own rate-limit gate asks for it. `gateUntil` is the
 * gate's time this wait covers, which the retry is then let through (RateLimitGate.check).
 */
function retryWait(
  shared: Shared,
  req: UpstreamRequest,
  outcome: Outcome,
  attempts: number,
  origin: string,
): { ms: number; reason: string; gateUntil: number } | null {
  const { now } = shared;
  const reason = retryReason(outcome);
  if (reason === null) return null;
  let ms = backoffMs(shared.options.retry, attempts, shared.random);
  if ('response' in outcome) {
    const asked = retryAfterMs(outcome.response.headers['retry-after'], now);
    if (asked !== undefined) ms = Math.max(ms, asked);
  }
  const gateUntil = shared.rateLimits.until(req, origin);
  ms = Math.max(ms, gateUntil - now());
  // Waiting past the deadline only to be cut off: answer now instead.
  if (ms >= Math.min(remainingMs(req.deadlineAt, now), req.deadlineAt === undefined ? MAX_WAIT_WITHOUT_DEADLINE_MS : Infinity)) return null;
  return { ms, reason, gateUntil };
}
