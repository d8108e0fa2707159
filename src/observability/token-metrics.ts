// Token metrics without touching the broker: the exchange function it is given and the broker it
// returns are wrapped, counting exchanges by outcome and lookups by cache hit or miss.
import type { ExchangeHooks, IntegrationToken, TokenBroker, TokenScope } from '../upstream/token-broker.ts';

export interface TokenRecorder {
  tokenExchange(outcome: 'ok' | 'failed'): void;
  tokenLookup(result: 'hit' | 'miss'): void;
}

export function countExchanges(exchange: (scope: TokenScope, hooks?: ExchangeHooks) => Promise<IntegrationToken>, metrics: TokenRecorder) {
  return async (scope: TokenScope, hooks?: ExchangeHooks): Promise<IntegrationToken> => {
    try {
      const token = await exchange(scope, hooks);
      metrics.tokenExchange('ok');
      return token;
    } catch (error) {
      metrics.tokenExchange('failed');
      throw error;
    }
  };
}

export function countLookups(broker: TokenBroker, metrics: TokenRecorder): TokenBroker {
  const counted: TokenBroker = {
    ...broker,
    async getToken(scope, hooks) {
      const lookup = await broker.getToken(scope, hooks);
      metrics.tokenLookup(lookup.cached ? 'hit' : 'miss');
      return lookup;
    },
  };
  const { cachedToken } = broker;
  if (cachedToken) {
    // A hit answered at once (a session's path for a cached token) counts as getToken's hits do;
    // no token (getToken is asked next and counts) or a refusal counts nothing here.
    counted.cachedToken = (scope, queue) => {
      const token = cachedToken.call(broker, scope, queue);
      if (token !== undefined) metrics.tokenLookup('hit');
      return token;
    };
  }
  return counted;
}
