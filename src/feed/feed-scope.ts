// A feed scope is (upstream, org, credential): the unit that shares one poller, one snapshot and
// its events. Subscribers share a scope only with callers presenting the same PharmaOne credential
// for the same org, so a feed never shows anyone what their own credential could not read. Every
// PharmaOne read of the feed (the poll, the check at subscribe, a write's new order, each event's
// selection) goes through a request scope of the one builder POST uses too
// (src/loaders/request-scope.ts), with credentials that answer for the scope's own org only.
import { createHash } from 'node:crypto';
import { GraphQLError } from 'graphql';
import type { Caller } from '../auth/caller.ts';
import { ErrorCode } from '../upstream/classify.ts';
import { createRequestScope } from '../loaders/request-scope.ts';
import type { RequestScope } from '../loaders/request-scope.ts';
import type { PharmaOneClientDeps, UpstreamCredentials } from '../upstream/pharmaone-client.ts';
import { createDeadline } from '../upstream/resilience/deadline.ts';
import type { Deadline } from '../upstream/resilience/deadline.ts';

/** A read and its retries at the default UPSTREAM_RETRY_MAX_ATTEMPTS; a feed never needs more per call. */
export const ATTEMPTS_PER_CALL = 3;

export interface FeedScope {
  id: string;
  orgId: string;
  credential: string;
}

export interface FeedScopeDeps {
  client: PharmaOneClientDeps;
  detailConcurrency: number;
  operationDeadlineMs: number;
  upstreamCallBudget: number;
  /** Told the PharmaOne calls each poll made (every attempt and token exchange): the client quotas charge them to the org. */
  onPollCalls?: ((scope: FeedScope, calls: number) => void) | undefined;
}

export type FeedScopes = ReturnType<typeof createFeedScopes>;

export function createFeedScopes(deps: FeedScopeDeps) {
  // Every HTTP request counts toward a client's budget, retries and token exchanges included
  // (src/upstream/upstream-session.ts): one route's call with its retries, plus the org's token.
  function requestScope(scope: FeedScope, maxCalls = 2 * ATTEMPTS_PER_CALL, deadline: Deadline = createDeadline(deps.operationDeadlineMs)) {
    return createRequestScope({
      client: deps.client,
      credentials: ownOrgOnly(scope),
      upstreamTrace: [],
      deadline,
      maxCalls,
      loaders: { detailConcurrency: deps.detailConcurrency },
    });
  }

  return {
    /** The caller's scope for `orgId`. BFF: an org the sign-in does not grant throws here, with no call. */
    of(caller: Caller, orgId: string): FeedScope {
      const credential = caller.credentialFor(orgId);
      const id = createHash('sha256').update(`${deps.client.baseUrl}\n${orgId}\n${credential}`).digest('base64url');
      return { id, orgId, credential };
    },

    requestScope,

    /** A poll's request scope is done: its calls go to whoever counts them (the org's quota). */
    polled(scope: FeedScope, reads: RequestScope): void {
      let calls = 0;
      for (const call of reads.upstreamTrace) if (!call.cached) calls += 1;
      if (calls > 0) deps.onPollCalls?.(scope, calls);
    },

    /**
     * What one event's selection reads through: UPSTREAM_CALL_BUDGET and OPERATION_DEADLINE_MS, as
     * a request has. Built on first use, once per event per replica, and shared by the scope's
     * subscribers: they share the credential.
     */
    eventRequestScope(scope: FeedScope): () => RequestScope {
      return once(() => requestScope(scope, deps.upstreamCallBudget, createDeadline(deps.operationDeadlineMs)));
    },
  };
}

function ownOrgOnly(scope: FeedScope): UpstreamCredentials {
  return {
    credentialFor(orgId: string) {
      // A feed's client reads its own org only, whatever a resolver asks.
      if (orgId !== scope.orgId) throw new GraphQLError('A feed reads its own org only.', { extensions: { code: ErrorCode.FORBIDDEN } });
      return scope.credential;
    },
  };
}

function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
