// The per-request GraphQL context: who calls, and the request scope its PharmaOne reads go through
// (src/loaders/request-scope.ts: a client bound to their credentials, fresh DataLoaders). Built for
// every operation, complete, and never changed after; nothing in it outlives the request.
import type { IncomingMessage } from 'node:http';
import type { BaseContext } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { CallerNotAuthenticatedError } from '../auth/auth-errors.ts';
import type { Authenticator, Caller } from '../auth/caller.ts';
import type { FeedConnection } from '../feed/fan-out/subscriber.ts';
import type { OrderFeed } from '../feed/order-feed.ts';
import type { Loaders } from '../loaders/create-loaders.ts';
import type { PharmaOneClient, PharmaOneClientDeps, UpstreamCallRecord } from '../upstream/pharmaone-client.ts';
import { createDeadline } from '../upstream/resilience/deadline.ts';
import type { ClientWatch, OperationDeadline } from '../upstream/resilience/deadline.ts';
import type { UpstreamLimits } from '../upstream/upstream-limits.ts';
import type { IdempotencyCoordinator } from '../writes/keyed-write.ts';
import { ErrorCode } from './errors.ts';
import type { ClientQuota, QuotaTab } from './quota/client-quota.ts';
import type { IncrementalChannel } from './incremental.ts';
import { createRequestScope } from '../loaders/request-scope.ts';
import type { RequestScope, RequestScopeParts } from '../loaders/request-scope.ts';

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
  /** The request's account with the client quotas (./quota/client-quota.ts): who the client is, what it reserved. */
  quota?: QuotaTab | undefined;
  /** Where the parts after the first go when the transport can send them (./incremental.ts). */
  incremental?: IncrementalChannel | undefined;
}

/** What the HTTP handler builds a context from. */
export interface HttpContextInput {
  req: IncomingMessage;
  /** Ties the operation's deadline to its client: every PharmaOne call still running stops when the client goes away before its answer is sent. */
  clientGone?: ClientWatch | undefined;
  /** Set when the client accepts incremental delivery and the request is one operation. */
  incremental?: IncrementalChannel | undefined;
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
  /** The client quotas: each request's tab is opened here. */
  quota?: ClientQuota | undefined;
}

export function createContextFactory(deps: ContextDeps) {
  return async ({ req, clientGone, incremental }: HttpContextInput): Promise<GatewayContext> => {
    let caller: Caller;
    try {
      caller = await deps.authenticate(req.headers);
    } catch (error) {
      if (!(error instanceof CallerNotAuthenticatedError)) throw error;
      // Refused before any upstream call; the whole request is 401.
      throw new GraphQLError(error.message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
    }
    const deadline = createDeadline(deps.operationDeadlineMs, Date.now, clientGone);
    const scope: RequestScopeParts = {
      client: deps,
      credentials: caller,
      upstreamTrace: [],
      // OPERATION_DEADLINE_MS from now: its signal aborts every upstream call still running (the
      // client holds it; the log's request id comes from the request scope, not the context).
      deadline,
      maxCalls: deps.upstreamCallBudget,
      loaders: { detailConcurrency: deps.detailConcurrency, onBatch: deps.onLoaderBatch, maxPagesPerRead: deps.limits?.maxPagesPerRead },
    };
    return buildGatewayContext(caller, {
      upstreamTrace: scope.upstreamTrace,
      requestScope: () => createRequestScope(scope),
      idempotency: deps.idempotency,
      feed: deps.feed,
      quota: deps.quota?.tabFor(caller, req.headers),
      incremental,
      deadline,
    });
  };
}

/** The answer of the context's request is sent: its deadline leaves the clock, and work nobody awaits stops. */
export function finishOperation(context: unknown): void {
  if (context instanceof OperationContext) context.parts.deadline?.finish();
}

/** What one operation's context is built from, whichever transport (POST /graphql, WebSocket, SSE) runs it. */
export interface OperationContextParts {
  /** Receives every upstream call of the operation (extensions.upstream and logs): its request scope's trace. */
  upstreamTrace: UpstreamCallRecord[];
  /**
   * The operation's request scope (src/loaders/request-scope.ts), taken on first PharmaOne access.
   * Apollo Server runs each operation of a batch on its own shallow clone of the context: each
   * clone takes its own (its own client, budget and loaders; the trace and deadline are shared).
   * A feed event hands in the one its scope's subscribers share (src/feed/feed-scope.ts).
   */
  requestScope: () => RequestScope;
  idempotency: IdempotencyCoordinator;
  feed?: OrderFeed | undefined;
  feedConnection?: FeedConnection | undefined;
  quota?: QuotaTab | undefined;
  incremental?: IncrementalChannel | undefined;
  /** The HTTP request's deadline, finished when its answer is sent (finishOperation). */
  deadline?: OperationDeadline | undefined;
}

/** The caller's context: who calls, and the request scope its PharmaOne reads go through. Built complete; never changed after. */
export function buildGatewayContext(caller: Caller, parts: OperationContextParts): GatewayContext {
  return new OperationContext(caller, parts);
}

/** The caller of a context built here (Apollo's shallow copy of one included); undefined for anything else. */
export function callerOf(context: unknown): Caller | undefined {
  return context instanceof OperationContext ? context.caller : undefined;
}

/**
 * The request scope is taken on first use: an operation that reaches no PharmaOne field
 * (`{ __typename }`, a write refused by its input rules) builds no client and no loaders. A class,
 * so that the accessors live on the prototype and each request's context is one small object. Its
 * state is in plain fields, not #private ones: Apollo Server shallow-clones the context (same
 * prototype, own fields copied) before running it.
 */
class OperationContext implements GatewayContext {
  readonly caller: Caller;
  readonly idempotency: IdempotencyCoordinator;
  readonly upstreamTrace: UpstreamCallRecord[];
  readonly feed: OrderFeed | undefined;
  readonly feedConnection: FeedConnection | undefined;
  readonly quota: QuotaTab | undefined;
  readonly incremental: IncrementalChannel | undefined;
  readonly parts: OperationContextParts;
  /**
   * Held in an object of its own: Apollo shallow-clones the context for each operation of a batch,
   * and every clone must reach the one scope (one set of loaders, one call budget, one trace).
   */
  readonly built: { scope: RequestScope | undefined } = { scope: undefined };

  constructor(caller: Caller, parts: OperationContextParts) {
    this.caller = caller;
    this.idempotency = parts.idempotency;
    this.upstreamTrace = parts.upstreamTrace;
    this.feed = parts.feed;
    this.feedConnection = parts.feedConnection;
    this.quota = parts.quota;
    this.incremental = parts.incremental;
    this.parts = parts;
  }

  // Read from the caller when asked: a pass-through caller hashes its key only then (src/auth/caller.ts).
  get callerId(): string {
    return this.caller.id;
  }

  get authorizationScopeId(): string {
    return this.caller.authorizationScopeId;
  }

  get pharmaone(): PharmaOneClient {
    return this.scope().pharmaone;
  }

  get loaders(): Loaders {
    return this.scope().loaders;
  }

  scope(): RequestScope {
    this.built.scope ??= this.parts.requestScope();
    return this.built.scope;
  }
}
