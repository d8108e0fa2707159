// Token broker: one PharmaOne JWT per (base URL, org, credential), shared by every request that
// presents that credential. The cache key holds a hash of the integration key, never the key, so
// two callers with different keys for the same org never share a token. A refused exchange
// (bad key, org not the key's, a token that fails the claim checks) is remembered for a few
// seconds, so a caller repeating a bad (credential, org) pair costs PharmaOne one exchange, not
// one per lookup. Both caches are bounded in bytes.
import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { UpstreamStatusError, UpstreamUnavailableError } from './upstream-errors.ts';

export interface TokenScope {
  baseUrl: string;
  orgId: string;
  apiKey: string;
}

export interface IntegrationToken {
  accessToken: string;
  orgId: string;
  scopes: string[];
  issuedAtMs: number;
  expiresAtMs: number;
}

export interface TokenLookup {
  token: IntegrationToken;
  /** True when no exchange was needed for this lookup. */
  cached: boolean;
}

/** What the request asking for a token lends to an exchange it starts (not to one it joins). */
export interface ExchangeHooks {
  /** Called once, synchronously, before this lookup starts an exchange; may throw to refuse it. */
  beforeExchange?: () => void;
  /** Handed to the exchange's HTTP request: counts each attempt to the starting request's budget. */
  onAttempt?: (() => (outcome: number | 'unavailable') => void) | undefined;
  /** Whose rate limit a 429 of the exchange is (org + credential hash). */
  rateLimitKey?: string | undefined;
}

export interface TokenBroker {
  getToken(scope: TokenScope, hooks?: ExchangeHooks): Promise<TokenLookup>;
  /** Drop `token` after PharmaOne refused it (401); a newer token for the same key is kept. */
  invalidate(scope: TokenScope, token: IntegrationToken): void;
  /** The unexpired tokens this credential holds at this base URL (one per org it has reached). */
  heldTokens(baseUrl: string, apiKey: string): IntegrationToken[];
  /** Bytes held by the token cache and the refusal memory (each bounded). */
  sizes(): { tokenBytes: number; refusalBytes: number };
}

export interface TokenBrokerOptions {
  exchange: (scope: TokenScope, hooks?: ExchangeHooks) => Promise<IntegrationToken>;
  refreshMarginMs: number;
  maxEntries: number;
  /** Bound on the token cache's size (keys and tokens), default 4 MiB. */
  maxBytes?: number;
  /** How long a refused exchange is answered from memory, default 5 s; 0 turns it off. */
  negativeTtlMs?: number;
  /** Bound on the refused-exchange memory, default 1 MiB. */
  negativeMaxBytes?: number;
  now?: () => number;
}

/** A refused exchange, as much of it as is needed to refuse the next lookup the same way. */
type Refusal = ({ status: number; route: string } | { reason: 'invalid_response'; route: string }) & { untilMs?: number };

/** Refusals worth remembering: the answer will be the same for a while (not an outage, not ours). */
function refusalOf(error: unknown): Refusal | null {
  if (error instanceof UpstreamStatusError && error.status >= 400 && error.status < 500 && error.status !== 429) {
    return { status: error.status, route: error.route };
  }
  if (error instanceof UpstreamUnavailableError && error.reason === 'invalid_response') return { reason: error.reason, route: error.route };
  return null;
}

function replay(refusal: Refusal): Error {
  return 'status' in refusal
    ? new UpstreamStatusError({ status: refusal.status, route: refusal.route })
    : new UpstreamUnavailableError({ route: refusal.route, reason: refusal.reason, mayHaveArrived: false });
}

export function createTokenBroker(options: TokenBrokerOptions): TokenBroker {
  const now = options.now ?? Date.now;
  const tokens = new LRUCache<string, IntegrationToken>({
    max: options.maxEntries,
    maxSize: options.maxBytes ?? 4 * 1024 * 1024,
    sizeCalculation: (token, key) => key.length + token.accessToken.length + token.orgId.length + token.scopes.join(' ').length + 64,
  });
  const negativeTtlMs = options.negativeTtlMs ?? 5_000;
  const refused = new LRUCache<string, Refusal>({
    max: 100_000,
    maxSize: options.negativeMaxBytes ?? 1024 * 1024,
    sizeCalculation: (refusal, key) => key.length + refusal.route.length + 48,
  });
  // One exchange in flight per key: a cold burst of requests waits on the same promise.
  const inFlight = new Map<string, Promise<IntegrationToken>>();

  function freshEnough(token: IntegrationToken): boolean {
    const lifetime = token.expiresAtMs - token.issuedAtMs;
    // Short-lived tokens (tests, some environments) would never be reused under a fixed margin.
    const margin = Math.min(options.refreshMarginMs, lifetime / 4);
    return now() < token.expiresAtMs - margin;
  }

  async function getToken(scope: TokenScope, hooks: ExchangeHooks = {}): Promise<TokenLookup> {
    const key = cacheKey(scope);
    const cached = tokens.get(key);
    if (cached && freshEnough(cached)) return { token: cached, cached: true };
    const refusal = negativeTtlMs > 0 ? refused.get(key) : undefined;
    if (refusal && now() < (refusal.untilMs ?? 0)) throw replay(refusal);

    let pending = inFlight.get(key);
    if (!pending) {
      hooks.beforeExchange?.();
      pending = options
        .exchange(scope, { onAttempt: hooks.onAttempt, rateLimitKey: hooks.rateLimitKey })
        .then(
          (token) => {
            tokens.set(key, token);
            return token;
          },
          (error: unknown) => {
            // Outages and our own refusals are not remembered: the next request tries again.
            const remembered = negativeTtlMs > 0 ? refusalOf(error) : null;
            if (remembered) refused.set(key, { ...remembered, untilMs: now() + negativeTtlMs });
            throw error;
          },
        )
        .finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return { token: await pending, cached: false };
  }

  function invalidate(scope: TokenScope, token: IntegrationToken): void {
    const key = cacheKey(scope);
    if (tokens.get(key)?.accessToken === token.accessToken) tokens.delete(key);
  }

  function heldTokens(baseUrl: string, apiKey: string): IntegrationToken[] {
    const credential = credentialHash(apiKey);
    const held: IntegrationToken[] = [];
    for (const [key, token] of tokens.entries()) {
      if (key === cacheKey({ baseUrl, orgId: token.orgId, apiKey }, credential) && now() < token.expiresAtMs) held.push(token);
    }
    return held.sort((a, b) => a.orgId.localeCompare(b.orgId));
  }

  return {
    getToken,
    invalidate,
    heldTokens,
    sizes: () => ({ tokenBytes: tokens.calculatedSize, refusalBytes: refused.calculatedSize }),
  };
}

function credentialHash(apiKey: string): string {
  // One-shot hash(): the same digest as createHash().update().digest(), without a Hash object.
  return hash('sha256', apiKey, 'base64url');
}

function cacheKey(scope: TokenScope, credential = credentialHash(scope.apiKey)): string {
  return `${scope.baseUrl}\n${scope.orgId}\n${credential}`;
}

/**
 * Reads the claims the gateway needs from a PharmaOne JWT. The signature is PharmaOne's to check
 * (the gateway has no secret); we only use the claims to schedule refreshes and pre-check scopes.
 */
export function readTokenClaims(accessToken: string): { orgId?: string; scopes: string[]; exp?: number; iat?: number } {
  const payload = accessToken.split('.')[1];
  if (!payload) return { scopes: [] };
  try {
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
    return {
      orgId: typeof claims.org_id === 'string' ? claims.org_id : undefined,
      scopes: Array.isArray(claims.scopes) ? claims.scopes.filter((s): s is string => typeof s === 'string') : [],
      exp: typeof claims.exp === 'number' ? claims.exp : undefined,
      iat: typeof claims.iat === 'number' ? claims.iat : undefined,
    };
  } catch {
    return { scopes: [] };
  }
}
