// Retry budget (after Finagle's): over a sliding window, retries may add at most `ratio` of the
// calls made, plus a small floor so a quiet gateway can still retry a lone failure. When PharmaOne
// is sick, most calls fail and the budget runs dry: the gateway then stops multiplying its load.
import { createRollingCounter } from './rolling-window.ts';

export interface RetryBudgetOptions {
  /** Retries allowed per first attempt, e.g. 0.2. */
  ratio: number;
  /** Retries always allowed per window, whatever the traffic. */
  minRetriesPerWindow: number;
  windowMs: number;
  now?: () => number;
}

export interface RetryBudget {
  /** A first attempt was made. */
  recordCall(): void;
  /** Takes one retry from the budget; false when it is spent. */
  tryRetry(): boolean;
}

export function createRetryBudget(options: RetryBudgetOptions): RetryBudget {
  const counter = createRollingCounter(['calls', 'retries'] as const, {
    windowMs: options.windowMs,
    ...(options.now ? { now: options.now } : {}),
  });
  return {
    recordCall: () => counter.add('calls'),
    tryRetry() {
      const { calls, retries } = counter.totals();
      if (retries >= options.minRetriesPerWindow + options.ratio * calls) return false;
      counter.add('retries');
      return true;
    },
  };
}
