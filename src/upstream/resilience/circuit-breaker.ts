// Circuit breaker for one upstream origin. Closed: calls pass and their outcomes are counted over a
// sliding window; once at least `minCalls` were seen and `errorRate` of them failed, it opens —
// but only if the failures look like an outage, which is what more than one tenant sees: failures
// from at least two distinct orgs in the window, or only one org calling in the window (a
// single-tenant deployment still gets a breaker). One org's failures (PharmaOne failing on that
// org's data) must not fail every other org's calls with `circuit_open`.
// Open: calls fail at once (PharmaOne sees nothing) for `openMs`. Half-open: up to
// `halfOpenProbes` calls go through, whatever their org; a success closes it, a failure opens it again.
import { createRollingCounter } from './rolling-window.ts';

/**
 * Orgs remembered per breaker as "called" (and as "failed") within the window; past it the least
 * recently seen are forgotten first. Bounds memory when a hostile caller names many orgs.
 */
export const MAX_TRACKED_ORGS = 10_000;

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

/** Leave to send one call; report how it went exactly once (call its methods on the permit). */
export interface BreakerPermit {
  success(): void;
  failure(): void;
  /** The call was not made or its outcome says nothing about the upstream (cancelled by us). */
  release(): void;
}

export interface CircuitBreaker {
  /**
   * A permit for a call made for `orgId` (calls without an org count as one tenant of their own),
   * or null when the circuit is open (or half-open with its probes all out).
   */
  tryAcquire(orgId?: string): BreakerPermit | null;
  state(): BreakerState;
}

/**
 * The orgs seen within a sliding window, each with the time it was last seen: a Map kept in
 * last-seen order, so pruning by the window and dropping the least recent (past the cap) both
 * happen at its front.
 */
export interface OrgsInWindow {
  see(orgId: string): void;
  /** Distinct orgs seen within the window ending now. */
  count(): number;
  clear(): void;
}

export function createOrgsInWindow(options: { windowMs: number; maxOrgs?: number; now?: () => number }): OrgsInWindow {
  const now = options.now ?? Date.now;
  const maxOrgs = options.maxOrgs ?? MAX_TRACKED_ORGS;
  const lastSeen = new Map<string, number>();
  // The org seen last is already at the end (or was pruned, and set() appends it): no reordering.
  let newest: string | undefined;

  function prune(at: number): void {
    for (const [orgId, seenAt] of lastSeen) {
      if (at - seenAt < options.windowMs && lastSeen.size <= maxOrgs) return;
      lastSeen.delete(orgId);
    }
  }

  return {
    see(orgId) {
      const at = now();
      // Delete first, so the org moves to the end (the most recently seen).
      if (orgId !== newest) lastSeen.delete(orgId);
      lastSeen.set(orgId, at);
      newest = orgId;
      prune(at);
    },
    count() {
      prune(now());
      return lastSeen.size;
    },
    clear() {
      lastSeen.clear();
    },
  };
}

/** Calls without an org (none in today's route table) are one tenant of their own. */
const NO_ORG = '';

export function createCircuitBreaker(options: CircuitBreakerOptions): CircuitBreaker {
  const now = options.now ?? Date.now;
  const window = createRollingCounter(['ok', 'failed'] as const, { windowMs: options.windowMs, now });
  const callingOrgs = createOrgsInWindow({ windowMs: options.windowMs, now });
  const failingOrgs = createOrgsInWindow({ windowMs: options.windowMs, now });
  let state: BreakerState = 'closed';
  let openedAt = 0;
  let probesOut = 0;

  function moveTo(next: BreakerState): void {
    if (next === state) return;
    state = next;
    if (next === 'open') openedAt = now();
    if (next === 'closed') {
      window.clear();
      callingOrgs.clear();
      failingOrgs.clear();
    }
    if (next !== 'half_open') probesOut = 0;
    options.onStateChange?.(next);
  }

  function currentState(): BreakerState {
    if (state === 'open' && now() - openedAt >= options.openMs) moveTo('half_open');
    return state;
  }

  /** An outage is what more than one tenant sees, unless only one tenant is calling at all. */
  function looksLikeOutage(): boolean {
    return failingOrgs.count() >= 2 || callingOrgs.count() === 1;
  }

  /** A permit while closed: every call takes one, so it is one object, its methods shared. */
  class ClosedPermit implements BreakerPermit {
    readonly orgId: string;
    settled = false;

    constructor(orgId: string) {
      this.orgId = orgId;
    }

    success(): void {
      this.settle('ok');
    }

    failure(): void {
      this.settle('failed');
    }

    release(): void {
      this.settle(null);
    }

    settle(outcome: 'ok' | 'failed' | null): void {
      if (this.settled) return;
      this.settled = true;
      // An outcome that arrives after the circuit left "closed" belongs to a past period.
      if (outcome === null || state !== 'closed') return;
      window.add(outcome);
      callingOrgs.see(this.orgId);
      if (outcome === 'failed') failingOrgs.see(this.orgId);
      const { ok, failed } = window.totals();
      const total = ok + failed;
      if (total >= options.minCalls && failed / total >= options.errorRate && looksLikeOutage()) moveTo('open');
    }
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
    tryAcquire(orgId = NO_ORG) {
      switch (currentState()) {
        case 'closed':
          return new ClosedPermit(orgId);
        case 'half_open':
          return probesOut < options.halfOpenProbes ? probePermit() : null;
        case 'open':
          return null;
      }
    },
    state: currentState,
  };
}
