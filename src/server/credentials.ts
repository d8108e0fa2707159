// The credentials side of the upstream client, assembled: the token broker over PharmaOne's token
// exchange (counted in metrics), the keys PharmaOne accepted there (../upstream/proven-credentials.ts),
// and, innermost, the fleet's budget of refused exchanges for keys it never accepted
// (../upstream/unproven-keys.ts, kept in the quota buckets of ./stores.ts).
import type { AuthConfig } from '../auth/auth-config.ts';
import type { GatewayMetrics } from '../observability/metrics.ts';
import { countExchanges, countLookups } from '../observability/token-metrics.ts';
import { createExchangeBudget } from '../stores/exchange-budget.ts';
import type { UpstreamHttp } from '../upstream/http.ts';
import { createTokenExchange } from '../upstream/pharmaone-client.ts';
import { createProvenCredentials } from '../upstream/proven-credentials.ts';
import { createTokenBroker } from '../upstream/token-broker.ts';
import { gateUnprovenKeys } from '../upstream/unproven-keys.ts';
import type { UpstreamConfig } from '../upstream/upstream-config.ts';
import type { UpstreamLimits } from '../upstream/upstream-limits.ts';
import type { Stores } from './stores.ts';

/** The sections of the gateway's configuration the credentials read. */
export interface CredentialSettings {
  auth: Pick<AuthConfig, 'mode'>;
  upstream: Pick<UpstreamConfig, 'tokenRefreshMarginMs' | 'tokenCacheSize'>;
  upstreamLimits: UpstreamLimits;
}

/**
 * The token broker over PharmaOne's token exchange, counted in metrics, and the keys PharmaOne
 * accepted there: only their requests fill the caches kept per query text (issue 21).
 */
export function createCredentials(
  config: CredentialSettings,
  deps: { http: UpstreamHttp; stores: Stores; metrics: GatewayMetrics; tokenClock: (() => number) | undefined },
) {
  const { metrics, tokenClock } = deps;
  const provenCredentials = createProvenCredentials({ ...(tokenClock ? { now: tokenClock } : {}) });
  const broker = countLookups(
    createTokenBroker({
      // Innermost, before the HTTP call: keys PharmaOne never accepted spend the fleet's budget of refused exchanges (BFF: the operator's own keys).
      exchange: provenCredentials.recording(
        countExchanges(
          config.auth.mode === 'bff'
            ? createTokenExchange(deps.http, tokenClock)
            : gateUnprovenKeys(createTokenExchange(deps.http, tokenClock), {
                budget: createExchangeBudget(deps.stores.quotaBuckets, {
                  perKey: config.upstreamLimits.unprovenExchangesPerKey,
                  total: config.upstreamLimits.unprovenExchangesTotal,
                }),
                isProven: (apiKey) => provenCredentials.isKeyProven(apiKey),
              }),
          metrics,
        ),
      ),
      refreshMarginMs: config.upstream.tokenRefreshMarginMs,
      maxEntries: config.upstream.tokenCacheSize,
      maxBytes: config.upstreamLimits.tokenCacheMaxBytes,
      negativeTtlMs: config.upstreamLimits.tokenNegativeCacheMs,
      negativeMaxBytes: config.upstreamLimits.tokenNegativeCacheMaxBytes,
      sharedRefusals: deps.stores.tokenRefusals,
      ...(tokenClock ? { now: tokenClock } : {}),
    }),
    metrics,
  );
  return { broker, provenCredentials };
}
