// Idempotency-Key handling for writes (assumed contract): per org, a key remembers the request
// it first came with (route, path parameters, body) and the reply it got. The same request again
// gets the stored reply without doing anything; a different request under the same key is 422
// (as the IETF Idempotency-Key draft advises).
// Replies with status ≥ 500 are not stored, so a retry after a server error really retries.
import type { Reply } from './route-types.ts';

interface StoredReply {
  fingerprint: string;
  reply: Reply;
}

export type IdempotencyLookup = { kind: 'new' } | { kind: 'replay'; reply: Reply } | { kind: 'conflict' };

export interface IdempotencyStore {
  lookup(orgId: string, key: string, fingerprint: string): IdempotencyLookup;
  remember(orgId: string, key: string, fingerprint: string, reply: Reply): void;
  clear(): void;
}

/** Key order does not change a body's meaning, so it does not change the fingerprint. */
export function fingerprint(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    typeof inner === 'object' && inner !== null && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

export function createIdempotencyStore(): IdempotencyStore {
  const stored = new Map<string, StoredReply>();
  const slot = (orgId: string, key: string): string => `${orgId}\u0000${key}`;
  return {
    lookup(orgId, key, print) {
      const previous = stored.get(slot(orgId, key));
      if (previous === undefined) return { kind: 'new' };
      if (previous.fingerprint !== print) return { kind: 'conflict' };
      return { kind: 'replay', reply: structuredClone(previous.reply) };
    },
    remember(orgId, key, print, reply) {
      if (reply.status >= 500) return;
      stored.set(slot(orgId, key), { fingerprint: print, reply: structuredClone(reply) });
    },
    clear() {
      stored.clear();
    },
  };
}
