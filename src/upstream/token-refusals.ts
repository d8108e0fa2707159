// The memory of refused token exchanges. A credential PharmaOne refused for an org (401 or 403 to
// POST /auth/token) is refused again without asking for TOKEN_NEGATIVE_CACHE_MS, so a caller
// repeating a bad key costs PharmaOne one exchange per that time, not one per request. Only
// refusals are remembered: a 5xx, a 429, a timeout or a token failing the claim checks is a
// failure of the moment (DESIGN §5, "failures never cached"), and the next request tries again.
//
// Keys are the token cache's (base URL, org, credential hash): never the key itself. Per replica
// the memory is an LRU bounded in entries and bytes; with a fleet store (Redis, REDIS_URL) every
// refusal is also written there with the same time to live, so no replica exchanges it again
// either. The fleet store is a shortcut, never a dependency: when it fails, this replica's own
// memory still answers and the exchange goes on.
import { LRUCache } from 'lru-cache';
import { ROUTE_BY_OPERATION, ROUTES } from './routes.ts';
import { UpstreamStatusError } from './upstream-errors.ts';

/** What PharmaOne said to the exchange: all that is needed to refuse the next lookup the same way. */
export interface Refusal {
  status: 401 | 403;
}

/** The fleet's memory of refusals (src/stores/token-refusal-store.ts). Neither method throws. */
export interface SharedRefusals {
  /** The refusal another replica (or this one) remembered under `key` and how long it still holds; undefined when none or unreachable. */
  get(key: string): Promise<{ refusal: Refusal; ttlMs: number } | undefined>;
  /** Remembers a refusal for `ttlMs`; resolves once stored or given up. */
  set(key: string, refusal: Refusal, ttlMs: number): Promise<void>;
}

export interface RefusalMemory {
  /** This replica's remembered refusal under `key`, if it still holds. */
  local(key: string): Refusal | undefined;
  /** The fleet's remembered refusal under `key` (kept locally for the time it has left). */
  shared(key: string): Promise<Refusal | undefined>;
  /** Remembers `error` under `key` when it is a refusal (locally and in the fleet store); anything else is forgotten. */
  remember(key: string, error: unknown): Promise<void>;
  bytes(): number;
}

const TOKEN_LABEL = ROUTES[ROUTE_BY_OPERATION.exchangeToken].label;

/** The refusal an exchange's error is, or null: only PharmaOne's 401 and 403 to the exchange qualify. */
export function refusalOf(error: unknown): Refusal | null {
  if (!(error instanceof UpstreamStatusError) || error.route !== TOKEN_LABEL) return null;
  return error.status === 401 || error.status === 403 ? { status: error.status } : null;
}

/** The error a remembered refusal is answered with: the same status, hence the same GraphQL error, as the exchange's. */
export function refusalError(refusal: Refusal): UpstreamStatusError {
  return new UpstreamStatusError({ status: refusal.status, route: TOKEN_LABEL });
}

export function createRefusalMemory(options: {
  /** 0 turns the memory off (local and shared). */
  ttlMs: number;
  maxBytes: number;
  now: () => number;
  shared?: SharedRefusals | undefined;
}): RefusalMemory {
  const { ttlMs, now, shared } = options;
  // Counted at its heap (the key, the entry object, the LRU's slots), and by bytes only: a count
  // bound would make the LRU allocate its slots for all of them up front (3.7 MB for 100,000).
  const refused = new LRUCache<string, { status: Refusal['status']; untilMs: number }>({
    maxSize: options.maxBytes,
    sizeCalculation: (_, key) => 2 * key.length + 192,
  });

  function keep(key: string, refusal: Refusal, forMs: number): void {
    refused.set(key, { status: refusal.status, untilMs: now() + forMs });
  }

  return {
    local(key) {
      if (ttlMs === 0) return undefined;
      const entry = refused.get(key);
      return entry && now() < entry.untilMs ? { status: entry.status } : undefined;
    },
    async shared(key) {
      if (ttlMs === 0 || !shared) return undefined;
      const found = await shared.get(key);
      if (!found) return undefined;
      // Never longer than this replica's own setting, whatever the store says.
      keep(key, found.refusal, Math.min(found.ttlMs, ttlMs));
      return found.refusal;
    },
    async remember(key, error) {
      const refusal = ttlMs === 0 ? null : refusalOf(error);
      if (!refusal) return;
      keep(key, refusal, ttlMs);
      // Awaited (bounded by REDIS_COMMAND_TIMEOUT_MS): once the caller hears of the refusal, every replica knows it.
      await shared?.set(key, refusal, ttlMs);
    },
    bytes: () => refused.calculatedSize,
  };
}
