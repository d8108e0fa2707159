// Token broker: one PharmaOne JWT per (base URL, org, credential), shared by every request that
// presents that credential. The cache key holds a hash of the integration key, never the key, so
// two callers with different keys for the same org never share a token.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';

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

export interface TokenBroker {
  getToken(scope: TokenScope): Promise<TokenLookup>;
  /** Drop `token` after PharmaOne refused it (401); a newer token for the same key is kept. */
  invalidate(scope: TokenScope, token: IntegrationToken): void;
  /** The unexpired tokens this credential holds at this base URL (one per org it has reached). */
  heldTokens(baseUrl: string, apiKey: string): IntegrationToken[];
}

export interface TokenBrokerOptions {
  exchange: (scope: TokenScope) => Promise<IntegrationToken>;
  refreshMarginMs: number;
  maxEntries: number;
  now?: () => number;
}

export function createTokenBroker(options: TokenBrokerOptions): TokenBroker {
  const now = options.now ?? Date.now;
  const tokens = new LRUCache<string, IntegrationToken>({ max: options.maxEntries });
  // One exchange in flight per key: a cold burst of requests waits on the same promise.
  const inFlight = new Map<string, Promise<IntegrationToken>>();

  function freshEnough(token: IntegrationToken): boolean {
    const lifetime = token.expiresAtMs - token.issuedAtMs;
    // Short-lived tokens (tests, some environments) would never be reused under a fixed margin.
    const margin = Math.min(options.refreshMarginMs, lifetime / 4);
    return now() < token.expiresAtMs - margin;
  }

  async function getToken(scope: TokenScope): Promise<TokenLookup> {
    const key = cacheKey(scope);
    const cached = tokens.get(key);
    if (cached && freshEnough(cached)) return { token: cached, cached: true };

    let pending = inFlight.get(key);
    if (!pending) {
      pending = options
        .exchange(scope)
        .then((token) => {
          tokens.set(key, token);
          return token;
        })
        // Failures are never cached: the next request tries again.
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

  return { getToken, invalidate, heldTokens };
}

function credentialHash(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('base64url');
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
