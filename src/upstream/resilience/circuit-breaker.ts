// Circuit breaker for one upstream origin. Closed: calls pass and their outcomes are counted over a
// sliding window; once at least `minCalls` were seen and `errorRate` of them failed, it opens.
// Open: calls fail at once (PharmaOne sees nothing) for `openMs`. Half-open: up to
// `halfOpenProbes` calls go through; a success closes it, a failure opens it again.
import { createRollingCounter } from './rolling-window.ts';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface CircuitBreakerOptions {
  minCalls: number;
  /** Failed share of the window's calls that opens the circuit, e.g. 0.5. */
  errorRate: number;
  windowMs: number;
  openMs: number;
  halfOpenProbes: number;
  now?: () => number;
  onStateChange?: (state: BreakerState) => void;
}

/** Leave to send one call; report how it went exactly once. */
export interface BreakerPermit {
  success(): void;
  failure(): void;
  /** The call was not made or its outcome says nothing about the upstream (cancelled by us). */
  release(): void;
}

export interface CircuitBreaker {
  /** A permit, or null when the circuit is open (or half-open with its probes all out). */
  tryAcquire(): BreakerPermit | null;
  state(): BreakerState;
}

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  const window = createRollingCounter(['ok', 'failed'] as const, { windowMs: options.windowMs, now });
  let state: BreakerState = 'closed';
  let openedAt = 0;
  let probesOut = 0;

  function moveTo(next: BreakerState): void {
    if (next === state) return;
    state = next;
    if (next === 'open') openedAt = now();
    if (next === 'closed') window.clear();
    if (next !== 'half_open') probesOut = 0;
    options.onStateChange?.(next);
  }

  function currentState(): BreakerState {
    if (state === 'open' && now() - openedAt >= options.openMs) moveTo('half_open');
    return state;
  }

  function closedPermit(): BreakerPermit {
    let settled = false;
    const settle = (outcome: 'ok' | 'failed' | null) => {
      if (settled) return;
      settled = true;
      // An outcome that arrives after the circuit left "closed" belongs to a past period.
      if (outcome === null || state !== 'closed') return;
      window.add(outcome);
      const { ok, failed } = window.totals();
      const total = ok + failed;
      if (total >= options.minCalls && failed / total >= options.errorRate) moveTo('open');
    };
    return { success: () => settle('ok'), failure: () => settle('failed'), release: () => settle(null) };
  }

  function probePermit(): BreakerPermit {
    probesOut += 1;
    let settled = false;
    const settle = (outcome: 'ok' | 'failed' | null) => {
      if (settled) return;
      settled = true;
      if (state !== 'half_open') return;
      probesOut -= 1;
      if (outcome === 'ok') moveTo('closed');
      else if (outcome === 'failed') moveTo('open');
    };
    return { success: () => settle('ok'), failure: () => settle('failed'), release: () => settle(null) };
  }

  return {
    tryAcquire() {
      switch (currentState()) {
        case 'closed':
          return closedPermit();
        case 'half_open':
          return probesOut < options.halfOpenProbes ? probePermit() : null;
        case 'open':
          return null;
      }
    },
    state: currentState,
  };
}
