// Token broker: one PharmaOne JWT per (base URL, org, credential), shared by every request that
// presents that credential. The cache key holds a hash of the integration key, never the key, so
// two callers with different keys for the same org never share a token. A refused exchange (401 or
// 403: bad key, org not the key's) is remembered (token-refusals.ts: per replica, and fleet-wide
// with Redis), so a caller repeating a bad (credential, org) pair costs PharmaOne one exchange per
// TOKEN_NEGATIVE_CACHE_MS, not one per lookup. Both memories are bounded in bytes.
import { hash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { CredentialQueue } from './exchange-queue.ts';
import { createRefusalMemory, refusalError } from './token-refusals.ts';
import type { SharedRefusals } from './token-refusals.ts';

export interface TokenScope {
  baseUrl: string;
  orgId: string;
  apiKey: string;
  /**
   * credentialHash(apiKey), when whoever built the scope has it from that same key (a request's
   * session hashes each org's credential once for its own keys): not hashed again per lookup.
   */
  credential?: string | undefined;
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
  /**
   * The requesting operation's queue for this credential (exchange-queue.ts): a lookup the caches
   * cannot answer runs through it, and a remembered refusal is reported to it.
   */
  queue?: CredentialQueue | undefined;
}

export interface TokenBroker {
  getToken(scope: TokenScope, hooks?: ExchangeHooks): Promise<TokenLookup>;
  /**
   * What getToken answers without an exchange, answered now: the fresh cached token, or undefined
   * when only getToken can answer (none cached, or due for refresh). A refusal this replica
   * remembers is thrown, as getToken rejects with it, after telling `queue` (ExchangeHooks.queue).
   * Lets a request holding a cached token skip what only an exchange needs (upstream-session.ts);
   * optional, so a broker without it is asked through getToken alone. A wrapper of getToken must
   * wrap this too (src/observability/token-metrics.ts counts its hits as getToken's are counted).
   */
  cachedToken?(scope: TokenScope, queue?: CredentialQueue): IntegrationToken | undefined;
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
  /** How long a refused exchange is answered from memory, default 30 s; 0 turns it off. */
  negativeTtlMs?: number;
  /** Bound on this replica's refused-exchange memory, default 1 MiB. */
  negativeMaxBytes?: number;
  /** The fleet's refusal memory (Redis); without it refusals are remembered per replica only. */
  sharedRefusals?: SharedRefusals | undefined;
  now?: () => number;
}

export function createTokenBroker(options: TokenBrokerOptions): Required<TokenBroker> {
  const now = options.now ?? Date.now;
  const tokens = new LRUCache<string, IntegrationToken>({
    max: options.maxEntries,
    maxSize: options.maxBytes ?? 4 * 1024 * 1024,
    sizeCalculation: (token, key) => key.length + token.accessToken.length + token.orgId.length + token.scopes.join(' ').length + 64,
  });
  const refusals = createRefusalMemory({
    ttlMs: options.negativeTtlMs ?? 30_000,
    maxBytes: options.negativeMaxBytes ?? 1024 * 1024,
    now,
    shared: options.sharedRefusals,
  });
  // One exchange in flight per key: a cold burst of requests waits on the same promise.
  const inFlight = new Map<string, Promise<IntegrationToken>>();

  function freshEnough(token: IntegrationToken): boolean {
    const lifetime = token.expiresAtMs - token.issuedAtMs;
    // Short-lived tokens (tests, some environments) would never be reused under a fixed margin.
    const margin = Math.min(options.refreshMarginMs, lifetime / 4);
    return now() < token.expiresAtMs - margin;
  }

  /** A fresh cached token, or undefined; throws a refusal this replica remembers. */
  function fromMemory(key: string, queue: CredentialQueue | undefined): IntegrationToken | undefined {
    const cached = tokens.get(key);
    if (cached && freshEnough(cached)) return cached;
    const refusal = refusals.local(key);
    if (!refusal) return undefined;
    // Synchronously, before the operation's next lookup of this credential is looked at.
    queue?.refused(refusal);
    throw refusalError(refusal);
  }

  function cachedToken(scope: TokenScope, queue?: CredentialQueue): IntegrationToken | undefined {
    return fromMemory(cacheKey(scope), queue);
  }

  async function getToken(scope: TokenScope, hooks: ExchangeHooks = {}): Promise<TokenLookup> {
    const key = cacheKey(scope);
    const ready = fromMemory(key, hooks.queue);
    if (ready) return { token: ready, cached: true };
    const slow = () => joinOrExchange(key, scope, hooks);
    return hooks.queue ? hooks.queue.run(slow) : slow();
  }

  async function joinOrExchange(key: string, scope: TokenScope, hooks: ExchangeHooks): Promise<TokenLookup> {
    // While this lookup waited in its queue, another request may have got the token or a refusal.
    const ready = fromMemory(key, hooks.queue);
    if (ready) return { token: ready, cached: true };
    let pending = inFlight.get(key);
    if (!pending) {
      hooks.beforeExchange?.();
      pending = exchangeOnce(key, scope, hooks).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return { token: await pending, cached: false };
  }

  async function exchangeOnce(key: string, scope: TokenScope, hooks: ExchangeHooks): Promise<IntegrationToken> {
    const remembered = await refusals.shared(key);
    if (remembered) throw refusalError(remembered);
    try {
      const token = await options.exchange(scope, { onAttempt: hooks.onAttempt, rateLimitKey: hooks.rateLimitKey });
      tokens.set(key, token);
      return token;
    } catch (error) {
      // Refusals are remembered; outages and our own refusals are not: the next request tries again.
      await refusals.remember(key, error);
      throw error;
    }
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
    cachedToken,
    invalidate,
    heldTokens,
    sizes: () => ({ tokenBytes: tokens.calculatedSize, refusalBytes: refusals.bytes() }),
  };
}

export function credentialHash(apiKey: string): string {
  // One-shot hash(): the same digest as createHash().update().digest(), without a Hash object.
  return hash('sha256', apiKey, 'base64url');
}

function cacheKey(scope: TokenScope, credential = scope.credential ?? credentialHash(scope.apiKey)): string {
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
