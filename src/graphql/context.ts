// The per-request GraphQL context: who calls, a PharmaOne client bound to their credential, and
// fresh DataLoaders. Built for every operation; nothing in it outlives the request.
import { createHash, randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { BaseContext } from '@apollo/server';
import { createLoaders } from '../loaders/create-loaders.ts';
import type { Loaders } from '../loaders/create-loaders.ts';
import { createPharmaOneClient } from '../upstream/pharmaone-client.ts';
import type { PharmaOneClient, PharmaOneClientDeps, UpstreamCallRecord } from '../upstream/pharmaone-client.ts';
import type { IdempotencyStore } from '../writes/idempotency-store.ts';
import type { WriteOutcome } from '../writes/run-write.ts';
import { ErrorCode } from './errors.ts';
import { GraphQLError } from 'graphql';

export interface GatewayContext extends BaseContext {
  requestId: string;
  /** Hash of the caller's credential: keys the caches that outlive a request (never the credential itself). */
  callerId: string;
  /** Shared across requests: mutation outcomes by idempotency key. */
  idempotency: IdempotencyStore<WriteOutcome>;
  pharmaone: PharmaOneClient;
  loaders: Loaders;
  /** Every upstream call this operation made, in order (for extensions.upstream and logs). */
  upstreamTrace: UpstreamCallRecord[];
}

export interface ContextDeps extends PharmaOneClientDeps {
  detailConcurrency: number;
  idempotency: IdempotencyStore<WriteOutcome>;
}

export function createContextFactory(deps: ContextDeps) {
  return async ({ req }: { req: IncomingMessage }): Promise<GatewayContext> => {
    const apiKey = singleHeader(req.headers.apikey);
    if (!apiKey) {
      throw new GraphQLError('Send your PharmaOne integration key in the "apikey" request header.', {
        extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } },
      });
    }
    const upstreamTrace: UpstreamCallRecord[] = [];
    const pharmaone = createPharmaOneClient(deps, { apiKey }, upstreamTrace);
    return {
      requestId: singleHeader(req.headers['x-request-id']) ?? randomUUID(),
      callerId: createHash('sha256').update(apiKey).digest('base64url'),
      idempotency: deps.idempotency,
      pharmaone,
      loaders: createLoaders(pharmaone, { detailConcurrency: deps.detailConcurrency }),
      upstreamTrace,
    };
  };
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first?.trim() || undefined;
}
