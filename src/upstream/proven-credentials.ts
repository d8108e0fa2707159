// Which callers have proven their credential: what decides whether a request may fill the caches
// kept per query text (src/graphql/document-caches.ts). Anyone can send a pass-through `apikey`
// header, and an operation that reaches no PharmaOne field (`{ __typename }`) is answered without
// ever checking it; so a key counts as proven only once PharmaOne accepted it in a token exchange,
// for as long as the token it got lives. A BFF caller is proven by its sign-in token, whose
// signature the gateway checked before the request got this far.
//
// Recorded by wrapping the exchange the token broker is given (as src/observability/token-metrics.ts
// counts them), so the broker stays as it is. Kept by the caller's authorization scope id (a hash
// of the key, src/auth/caller.ts), never the key; bounded in bytes, least recently proven out.
import { LRUCache } from 'lru-cache';
import type { Caller } from '../auth/caller.ts';
import { passThroughScopeId } from '../auth/caller.ts';
import type { ExchangeHooks, IntegrationToken, TokenScope } from './token-broker.ts';

/** A scope id (43 characters), its expiry and the cache's own slots, with room to spare. */
const BYTES_PER_CREDENTIAL = 256;
/** About 4,000 keys; one pushed out counts as unproven until its next token exchange. */
const DEFAULT_MAX_BYTES = 2 ** 20;

export interface ProvenCredentials {
  /** Whether this caller's credential is proven now (see the file header). */
  isProven(caller: Caller): boolean;
  /** Whether PharmaOne accepted this integration key in an exchange whose token still lives. */
  isKeyProven(apiKey: string): boolean;
  /** `exchange`, recording each key PharmaOne accepted until the token it got expires. */
  recording(
    exchange: (scope: TokenScope, hooks?: ExchangeHooks) => Promise<IntegrationToken>,
  ): (scope: TokenScope, hooks?: ExchangeHooks) => Promise<IntegrationToken>;
  /** Bytes held (bounded by maxBytes). */
  bytes(): number;
}

export function createProvenCredentials(options: { maxBytes?: number; now?: () => number } = {}): ProvenCredentials {
  const now = options.now ?? Date.now;
  const untilMs = new LRUCache<string, number>({
    maxSize: Math.max(BYTES_PER_CREDENTIAL, options.maxBytes ?? DEFAULT_MAX_BYTES),
    sizeCalculation: () => BYTES_PER_CREDENTIAL,
  });
  return {
    isProven(caller) {
      if (caller.mode === 'BFF') return true;
      const until = untilMs.get(caller.authorizationScopeId);
      return until !== undefined && now() < until;
    },
    isKeyProven(apiKey) {
      const until = untilMs.get(passThroughScopeId(apiKey));
      return until !== undefined && now() < until;
    },
    recording(exchange) {
      return async (scope, hooks) => {
        const token = await exchange(scope, hooks);
        const id = passThroughScopeId(scope.apiKey);
        // One key may hold tokens for several orgs: it stays proven until the last of them expires.
        untilMs.set(id, Math.max(untilMs.get(id) ?? 0, token.expiresAtMs));
        return token;
      };
    },
    bytes: () => untilMs.calculatedSize,
  };
}
