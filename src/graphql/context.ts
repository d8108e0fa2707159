// The per-request GraphQL context: who calls, a PharmaOne client bound to their credentials, and
// fresh DataLoaders. Built for every operation; nothing in it outlives the request.
import type { IncomingMessage } from 'node:http';
import type { BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { CallerNotAuthenticatedError } from '../auth/auth-errors.ts';
import type { Authenticator, Caller } from '../auth/caller.ts';
import type { FeedConnection, OrderFeed } from '../feed/order-feed.ts';
import { createLoaders } from '../loaders/create-loaders.ts';
import type { LoaderOptions, Loaders } from '../loaders/create-loaders.ts';
import { createPharmaOneClient } from '../upstream/pharmaone-client.ts';
import type { PharmaOneClient, PharmaOneClientDeps, UpstreamCallRecord } from '../upstream/pharmaone-client.ts';
import { createDeadline } from '../upstream/resilience/deadline.ts';
import type { Deadline } from '../upstream/resilience/deadline.ts';
import type { UpstreamLimits } from '../upstream/upstream-limits.ts';
import type { IdempotencyCoordinator } from '../writes/keyed-write.ts';
import { ErrorCode } from './errors.ts';

export interface GatewayContext extends BaseContext {
  caller: Caller;
  /** Hash of who calls (identity only): the response cache's invalidation unit. Never the credential itself. */
  callerId: string;
  /** Hash of identity + grants in force (src/auth/caller.ts): keys every store that outlives a request. */
  authorizationScopeId: string;
  /** Shared across requests: mutation outcomes by idempotency key. */
  idempotency: IdempotencyCoordinator;
  pharmaone: PharmaOneClient;
  loaders: Loaders;
  /** Every upstream call this operation made, in order (for extensions.upstream and logs). */
  upstreamTrace: UpstreamCallRecord[];
  /** The live order feed (src/feed/): subscriptions read it, writes publish to it. */
  feed?: OrderFeed | undefined;
  /** Subscriptions only: the WebSocket or SSE connection the operation runs on. */
  feedConnection?: FeedConnection | undefined;
}

export interface ContextDeps extends Omit<PharmaOneClientDeps, 'limits'> {
  limits?: Pick<UpstreamLimits, 'maxTokenExchangesPerOperation' | 'maxPagesPerRead'> | undefined;
  authenticate: Authenticator;
  detailConcurrency: number;
  /** Most PharmaOne calls one operation may make (the client stops there). */
  upstreamCallBudget: number;
  idempotency: IdempotencyCoordinator;
  operationDeadlineMs: number;
  /** Observes each DataLoader batch (metrics). */
  onLoaderBatch?: (loader: string, size: number) => void;
  /** Writes publish their order events here (src/feed/). */
  feed?: OrderFeed | undefined;
}

export function createContextFactory(deps: ContextDeps) {
  return async ({ req }: { req: IncomingMessage }): Promise<GatewayContext> => {
    let caller: Caller;
    try {
      caller = await deps.authenticate(req.headers);
    } catch (error) {
      if (!(error instanceof CallerNotAuthenticatedError)) throw error;
      // Refused before any upstream call; the whole request is 401.
      throw new GraphQLError(error.message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
    }
    return buildGatewayContext(caller, {
      client: deps,
      upstreamTrace: [],
      // OPERATION_DEADLINE_MS from now: its signal aborts every upstream call still running (the
      // client holds it; the log's request id comes from the request scope, not the context).
      deadline: createDeadline(deps.operationDeadlineMs),
      maxCalls: deps.upstreamCallBudget,
      idempotency: deps.idempotency,
      loaders: { detailConcurrency: deps.detailConcurrency, onBatch: deps.onLoaderBatch, maxPagesPerRead: deps.limits?.maxPagesPerRead },
      feed: deps.feed,
    });
  };
}

/** What one operation's context is built from, whichever transport (POST /graphql, WebSocket, SSE) runs it. */
export interface OperationContextParts {
  client: PharmaOneClientDeps;
  /** Receives every upstream call of the operation (extensions.upstream and logs). */
  upstreamTrace: UpstreamCallRecord[];
  deadline: Deadline;
  maxCalls: number;
  idempotency: IdempotencyCoordinator;
  loaders: LoaderOptions;
  feed?: OrderFeed | undefined;
  feedConnection?: FeedConnection | undefined;
}

/** The caller's context: a PharmaOne client bound to their credentials and fresh DataLoaders over it. */
export function buildGatewayContext(caller: Caller, parts: OperationContextParts): GatewayContext {
  const { client, upstreamTrace, deadline, maxCalls, loaders: loaderOptions, feedConnection, ...shared } = parts;
  // Built on first use: an operation that reaches no PharmaOne field (`{ __typename }`, a write
  // refused by its input rules) builds neither the client nor its loaders. A subscription event
  // sets its own (src/modules/feed/Subscription.ts).
  let pharmaone: PharmaOneClient | undefined;
  let loaders: Loaders | undefined;
  return {
    caller,
    callerId: caller.id,
    authorizationScopeId: caller.authorizationScopeId,
    get pharmaone() {
      pharmaone ??= createPharmaOneClient({ deps: client, credentials: caller, trace: upstreamTrace, maxCalls, deadline });
      return pharmaone;
    },
    set pharmaone(perEvent) {
      pharmaone = perEvent;
    },
    get loaders() {
      loaders ??= createLoaders(this.pharmaone, loaderOptions);
      return loaders;
    },
    set loaders(perEvent) {
      loaders = perEvent;
    },
    upstreamTrace,
    ...shared,
    ...(feedConnection ? { feedConnection } : {}),
  };
}
