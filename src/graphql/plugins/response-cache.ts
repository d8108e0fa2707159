// Response cache for the slow-changing parts of the graph (shops, catalog, reports), driven by the
// SDL's @cacheControl hints through Apollo's cache policy. Entries are keyed by the caller's
// authorization scope (`authorizationScopeId`: identity AND grants in force, src/auth/caller.ts),
// whatever scope a hint names: an org id or URL alone never selects an entry, and two tokens of
// one subject with different grants never share one (issue 10, class 2).
//
// Freshness after writes: any mutation a credential sends makes every replica stop serving that
// credential's older entries, including an answer computed while the mutation ran (generations,
// src/stores/response-cache-store.ts). Other credentials' entries for the same org live out their
// short max-age. The store is in memory or in Redis (REDIS_URL); when Redis is unreachable the
// cache is bypassed (a miss, nothing stored) and reads go on. A plain Apollo plugin rather than
// @apollo/server-plugin-response-cache, which has no way to invalidate.
import { createHash } from 'node:crypto';
import { HeaderMap } from '@apollo/server';
import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { GatewayContext } from '../context.ts';
import { incrementalChannelOf } from '../incremental.ts';
import type { ResponseCacheStore } from '../../stores/response-cache-store.ts';
import { encodeEntry } from '../../stores/response-cache-store.ts';

export interface ResponseCacheOptions {
  store: ResponseCacheStore;
  now?: () => number;
  /** Told when the shared store failed (the request went on without the cache). */
  onStoreError?: (error: unknown) => void;
}

export function responseCachePlugin(options: ResponseCacheOptions): ApolloServerPlugin<GatewayContext> {
  const now = options.now ?? Date.now;
  const { store } = options;
  const failed = (error: unknown) => options.onStoreError?.(error);

  return {
    async requestDidStart() {
      let pending: { key: string; generation: string } | undefined;
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
          const key = `${contextValue.authorizationScopeId}:${createHash('sha256')
            .update(JSON.stringify([queryHash, operationName, request.variables ?? {}]))
            .digest('base64url')}`;
          let found: Awaited<ReturnType<ResponseCacheStore['lookup']>>;
          try {
            found = await store.lookup(contextValue.callerId, key);
          } catch (error) {
            failed(error);
            return null;
          }
          const { entry, generation } = found;
          if (entry) {
            const age = Math.max(0, Math.floor((now() - entry.storedAt) / 1000));
            // Apollo's cache-control plugin turns this into `cache-control: max-age=…, private`; with
            // `age` an HTTP cache downstream keeps it only for what is left.
            overallCachePolicy.replace({ maxAge: entry.maxAge, scope: entry.scope });
            return {
              http: { status: undefined, headers: new HeaderMap([['age', String(age)]]) },
              body: { kind: 'single', singleResult: { data: entry.data } },
            };
          }
          pending = { key, generation };
          return null;
        },

        async willSendResponse({ operation, contextValue, overallCachePolicy, response }) {
          // Any mutation, even one that reports an error: a write that timed out may still have landed.
          if (operation?.operation === 'mutation') {
            await store.invalidate(contextValue.callerId).catch(failed);
            return;
          }
          if (!pending) return;
          const { key, generation } = pending;
          pending = undefined;
          // Sent in parts: this result is only the first (src/graphql/incremental.ts); the whole is never assembled here.
          if (incrementalChannelOf(contextValue)?.started) return;
          const policy = overallCachePolicy.policyIfCacheable();
          const body = response.body;
          if (!policy || body.kind !== 'single' || body.singleResult.errors || !body.singleResult.data) return;
          const json = encodeEntry(
            { data: body.singleResult.data, maxAge: policy.maxAge, scope: policy.scope, storedAt: now() },
            generation,
          );
          // Stored under the generation read before execution: if a mutation of this credential
          // finished meanwhile, the generation moved and this (possibly pre-write) answer is never served.
          await store.store(key, json, generation, policy.maxAge * 1000).catch(failed);
        },
      };
    },
  };
}
