// The budgets of refused token exchanges for unproven keys (src/upstream/unproven-keys.ts) as
// token buckets of the quota store (./quota-buckets.ts, ./quota-store.ts): fleet-wide through
// Redis, one round trip per exchange of an unproven key, this replica's share while Redis is away.
import type { ExchangeBudget } from '../upstream/unproven-keys.ts';
import type { QuotaBuckets } from './quota-buckets.ts';

const MINUTE_MS = 60_000;

export function createExchangeBudget(buckets: QuotaBuckets, limits: { perKey: number; total: number }): ExchangeBudget {
  return {
    async take(keyId) {
      const specs = [
        { key: `unproven-key\n${keyId}`, limit: limits.perKey, windowMs: MINUTE_MS },
        { key: 'unproven-keys', limit: limits.total, windowMs: MINUTE_MS },
      ];
      const verdict = await buckets.reserve(specs, 1);
      if (!verdict.admitted) return { taken: false, retryAfterSeconds: verdict.retryAfterSeconds };
      return { taken: true, giveBack: () => buckets.adjust(verdict.source, specs, 1) };
    },
  };
}
