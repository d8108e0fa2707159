// Response cache for the slow-changing parts of the graph (shops, catalog, reports), driven by the
// SDL's @cacheControl hints through Apollo's cache policy. DESIGN.md §5: caches that outlive a
// request are keyed by credential, so every entry is keyed by the caller's credential hash
// (`callerId`), whatever scope a hint names; an org id or URL alone never selects an entry.
//
// Freshness after writes: any mutation a credential sends drops every cached response of that
// credential, and a query that was running while the mutation finished does not store its
// (possibly pre-write) answer. Other credentials' entries for the same org live out their short
// TTL. A plain Apollo plugin rather than @apollo/server-plugin-response-cache, which has no way to
// invalidate.
import { createHash } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { CacheScope } from '@apollo/cache-control-types';
import { LRUCache } from 'lru-cache';
import type { GatewayContext } from '../context.ts';

interface Entry {
  callerId: string;
  data: Record<string, unknown>;
  maxAge: number;
  scope: CacheScope;
  storedAt: number;
  bytes: number;
}

/** Per credential: its cached keys, and a counter that each of its mutations bumps. */
interface CallerState {
  epoch: number;
  keys: Set<string>;
  /** Queries of this credential between cache miss and store; keeps `epoch` alive for them. */
  running: number;
}

export interface ResponseCacheOptions {
  /** Upper bound on the summed JSON size of cached responses. */
  maxBytes: number;
  now?: () => number;
}

export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<GatewayContext> {
  const now = options.now ?? Date.now;
  const callers = new Map<string, CallerState>();
  const entries = new LRUCache<string, Entry>({
    maxSize: options.maxBytes,
    sizeCalculation: (entry) => entry.bytes,
    // Keeps the per-credential key index exact however an entry leaves (evicted, expired, dropped).
    dispose: (entry, key) => {
      const state = callers.get(entry.callerId);
      state?.keys.delete(key);
      if (state) forgetIfIdle(entry.callerId, state);
    },
  });

  function forgetIfIdle(callerId: string, state: CallerState): void {
    if (state.keys.size === 0 && state.running === 0) callers.delete(callerId);
  }

  function stateFor(callerId: string): CallerState {
    const known = callers.get(callerId);
    if (known) return known;
    const state: CallerState = { epoch: 0, keys: new Set(), running: 0 };
    callers.set(callerId, state);
    return state;
  }

  function invalidate(callerId: string): void {
    const state = callers.get(callerId);
    // No state: nothing cached and no query of this credential waiting to store.
    if (!state) return;
    state.epoch += 1;
    for (const key of [...state.keys]) entries.delete(key);
    forgetIfIdle(callerId, state);
  }

  return {
    async requestDidStart() {
      let pending: { callerId: string; key: string; state: CallerState; epoch: number } | undefined;
      return {
        async responseForOperation({
          operation,
          queryHash,
          operationName,
          request,
          contextValue,
          overallCachePolicy,
        }): Promise<GraphQLResponse | null> {
          if (operation.operation !== 'query') return null;
          const { callerId } = contextValue;
          const key = `${callerId}:${createHash('sha256')
            .update(JSON.stringify([queryHash, operationName, request.variables ?? {}]))
            .digest('base64url')}`;
          const entry = entries.get(key);
          if (entry) {
            const age = Math.floor((now() - entry.storedAt) / 1000);
            // Apollo's cache-control plugin turns this into `cache-control: max-age=…, private`; with
            // `age` an HTTP cache downstream keeps it only for what is left.
            overallCachePolicy.replace({ maxAge: entry.maxAge, scope: entry.scope });
            return {
              http: { status: undefined, headers: new HeaderMap([['age', String(age)]]) },
              body: { kind: 'single', singleResult: { data: entry.data } },
            };
          }
          const state = stateFor(callerId);
          state.running += 1;
          pending = { callerId, key, state, epoch: state.epoch };
          return null;
        },

        async willSendResponse({ operation, contextValue, overallCachePolicy, response }) {
          // Any mutation, even one that reports an error: a write that timed out may still have landed.
          if (operation?.operation === 'mutation') {
            invalidate(contextValue.callerId);
            return;
          }
          if (!pending) return;
          const { callerId, key, state, epoch } = pending;
          pending = undefined;
          const policy = overallCachePolicy.policyIfCacheable();
          const body = response.body;
          // epoch moved: a mutation of this credential finished while this query ran, so the answer may predate it.
          if (state.epoch === epoch && policy && body.kind === 'single' && !body.singleResult.errors && body.singleResult.data) {
            const data = body.singleResult.data;
            const bytes = key.length + Buffer.byteLength(JSON.stringify(data));
            entries.set(
              key,
              { callerId, data, maxAge: policy.maxAge, scope: policy.scope, storedAt: now(), bytes },
              { ttl: policy.maxAge * 1000 },
            );
            // lru-cache drops an entry larger than the whole cache without storing it.
            if (entries.has(key)) state.keys.add(key);
          }
          // Only now: replacing an entry disposes the old one, which must not forget this state meanwhile.
          state.running -= 1;
          forgetIfIdle(callerId, state);
        },
      };
    },
  };
}
