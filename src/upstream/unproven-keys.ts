// Unknown keys, bounded fleet-wide. The refusal memory (./token-refusals.ts) answers a key PharmaOne
// refused for an org without asking again, but a made-up key naming ever new orgs, or a flood of
// made-up keys, would still cost PharmaOne one refused exchange per (key, org). So an exchange for
// a key PharmaOne has not accepted before (./proven-credentials.ts) first takes one from two
// budgets of refused exchanges per minute, fleet-wide with Redis: one per source key
// (UPSTREAM_UNPROVEN_EXCHANGES_PER_KEY) and one for all unproven keys together
// (UPSTREAM_UNPROVEN_EXCHANGES_TOTAL). Only a refusal (401/403) keeps what it took: an accepted
// key, a timeout or a 5xx gives it back, so PharmaOne's own trouble never uses the budget up. A
// key that was accepted once is never gated while its token lives, so a flood of made-up keys
// cannot lock out the callers already working; a new real key meets the gate only while the
// flood has spent the total, and is told when to come back (RATE_LIMITED, retryAfterSeconds).
import { hash } from 'node:crypto';
import type { ExchangeHooks, IntegrationToken, TokenScope } from './token-broker.ts';
import { refusalOf } from './token-refusals.ts';
import { UnprovenKeyBudgetError } from './upstream-errors.ts';

/** The fleet's budgets of refused exchanges (src/stores/exchange-budget.ts). Neither method throws. */
export interface ExchangeBudget {
  /** Takes one refused exchange from the key's budget and the total; the seconds to wait when either is spent. */
  take(keyId: string): Promise<{ taken: true; giveBack(): void } | { taken: false; retryAfterSeconds: number }>;
}

type Exchange = (scope: TokenScope, hooks?: ExchangeHooks) => Promise<IntegrationToken>;

export function gateUnprovenKeys(exchange: Exchange, deps: { budget: ExchangeBudget; isProven: (apiKey: string) => boolean }): Exchange {
  return async (scope, hooks) => {
    if (deps.isProven(scope.apiKey)) return exchange(scope, hooks);
    const taken = await deps.budget.take(hash('sha256', `unproven\n${scope.baseUrl}\n${scope.apiKey}`, 'base64url'));
    if (!taken.taken) throw new UnprovenKeyBudgetError(taken.retryAfterSeconds);
    try {
      const token = await exchange(scope, hooks);
      taken.giveBack();
      return token;
    } catch (error) {
      if (!refusalOf(error)) taken.giveBack();
      throw error;
    }
  };
}
