// The live order feed of one replica: its public face (subscribe, published, close, stats),
// assembled from the parts in the folders beside this file.
//   feed-scope.ts  a scope is (upstream, org, credential): who shares a poller and its events
//   admission/     who may subscribe to an org's feed, and how many subscriptions at once
//   changes/       how order changes become events: the poller, gateway writes, the snapshot rule
//   bus/           where snapshots and events live and travel: memory (one replica) or Redis (a fleet)
//   fan-out/       the watched scopes; each subscriber's filter, position and bounded outbox; `after:`
// The transports that carry its events to callers (graphql-ws, graphql-sse) are the edge's:
// src/http/subscriptions/, above the GraphQL layer whose admission and context they run.
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { GraphQLError } from 'graphql';
import type { Caller } from '../auth/caller.ts';
import type { OrderStatusValue } from '../domain/enums.ts';
import type { Logger } from '../logging/logger.ts';
import type { PharmaOneClientDeps } from '../upstream/pharmaone-client.ts';
import { authorize } from './admission/authorize.ts';
import { createScopePlaces, createSubscriptionPlaces } from './admission/live-count-limiter.ts';
import type { LiveSlot } from './admission/live-count-limiter.ts';
import type { FeedBus, PollerLease } from './bus/feed-bus.ts';
import { startPoller } from './changes/poller.ts';
import { createWritePublications } from './changes/write-events.ts';
import { replay, resumePointOf } from './fan-out/resume-window.ts';
import type { ResumePoint } from './fan-out/resume-window.ts';
import { createScopeTable } from './fan-out/scope-table.ts';
import type { ScopeState } from './fan-out/scope-table.ts';
import { createSubscriber, endAtSignInExpiry } from './fan-out/subscriber.ts';
import type { FeedConnection, FeedDelivery } from './fan-out/subscriber.ts';
import type { BoundedOutbox } from './fan-out/subscriber-queue.ts';
import { createFeedScopes } from './feed-scope.ts';
import type { FeedScopeDeps } from './feed-scope.ts';
import type { FeedSettings } from './settings.ts';

export interface SubscribeArgs {
  orgId: string;
  shopId?: string | null | undefined;
  statuses?: readonly OrderStatusValue[] | null | undefined;
  after?: string | null | undefined;
}

export interface OrderFeedDeps {
  settings: FeedSettings;
  bus: FeedBus;
  lease: PollerLease;
  client: PharmaOneClientDeps;
  logger: Logger;
  detailConcurrency: number;
  operationDeadlineMs: number;
  upstreamCallBudget: number;
  /** Told each poll's PharmaOne calls (./feed-scope.ts): the client quotas charge them to the org. */
  onPollCalls?: FeedScopeDeps['onPollCalls'];
  /** Names this replica as a lease holder. */
  replicaId?: string;
  /** When polls succeed and how old the last one is (pollAgeSeconds); Date.now by default. */
  now?: () => number;
}

export interface FeedStats {
  subscribers: number;
  /** Scopes this replica watches (at most ORDER_FEED_MAX_SCOPES). */
  scopes: number;
  pollers: number;
  polls: number;
  /** The largest outbox any subscriber reached (at most ORDER_FEED_SUBSCRIBER_BUFFER plus one batch). */
  maxOutbox: number;
  slowConsumersCut: number;
  pollFailures: number;
  /** Times this replica lost a scope's lease while polling it (not hand-overs on shutdown). */
  leaseLosses: number;
  /** Seconds since the least recent successful poll among the scopes this replica polls; 0 when it polls none. */
  pollAgeSeconds: number;
}

export type OrderFeed = ReturnType<typeof createOrderFeed>;

export function createOrderFeed(deps: OrderFeedDeps) {
  const { settings, bus, lease, logger } = deps;
  // Names the holder in the lease (host and pid help an operator find it).
  const replicaId = deps.replicaId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const stats = noStats();
  const freshness = new Map<string, number>();
  const scopes = createFeedScopes(deps);
  const pollerDeps = { ...deps, scopes, replicaId, stats, freshness, now: deps.now ?? Date.now };
  const table = createScopeTable({ bus, scopes, stats, startPoller: (scope) => startPoller(pollerDeps, scope) });
  // Every subscribe takes its place before its first await; its end gives it back.
  const places = createSubscriptionPlaces(settings);
  const scopePlaces = createScopePlaces(settings);
  let closed = false;
  const writes = createWritePublications({ scopes, bus, lease, logger, watchedHere: table.watches });

  /** Authorizes and opens one subscription holding `place`, which goes back when the subscription finishes. */
  async function openSubscription(
    caller: Caller,
    connection: FeedConnection,
    args: SubscribeArgs,
    after: ResumePoint | null,
    place: LiveSlot,
  ): Promise<BoundedOutbox<FeedDelivery>> {
    const scope = await authorize(scopes, caller, args.orgId);
    if (closed) throw shuttingDown();
    // The scope's place is taken after authorization (a caller PharmaOne refuses never holds one,
    // not even while its token exchange is pending) and in the same synchronous step as the join
    // below, so subscribes that arrive together each see the scopes the others took.
    const scopePlace = scopePlaces.reserve(scope.id);

    stats.subscribers++;
    let expiry: NodeJS.Timeout | undefined;
    let state: ScopeState | undefined;
    const sub = createSubscriber(
      { settings, logger, stats },
      {
        scope,
        connection,
        shopId: args.shopId,
        statuses: args.statuses,
        after,
        onFinish() {
          clearTimeout(expiry);
          place.release();
          scopePlace.release();
          stats.subscribers--;
          if (state) table.leave(state, sub);
        },
      },
    );
    logger.debug({ org: scope.orgId, scope: scope.id.slice(0, 8), resume: after !== null }, 'order feed: subscribed');
    try {
      const joined = table.join(scope, sub);
      state = joined;
      await joined.listening;
      if (after) await replay({ bus, scopes, stats }, scope, sub, after);
    } catch (error) {
      // Nothing of a failed subscribe stays behind: its place, scope membership, poller.
      await sub.outbox.return?.();
      throw error;
    }
    expiry = endAtSignInExpiry(sub, caller.expiresAtMs);
    return sub.outbox;
  }

  return {
    stats: (): FeedStats => ({ ...stats, scopes: scopePlaces.count(), pollAgeSeconds: oldestAgeSeconds(freshness, pollerDeps.now()) }),

    /** Checks, then opens one subscription; throws a GraphQL error for a refused one. */
    async subscribe(caller: Caller, connection: FeedConnection, args: SubscribeArgs): Promise<AsyncIterableIterator<FeedDelivery>> {
      if (closed) throw shuttingDown();
      const after = resumePointOf(args.after);
      // Before the first await: subscribes arriving together each see the places the others took.
      const place = places.reserve(caller.id, connection);
      try {
        return await openSubscription(caller, connection, args, after, place);
      } catch (error) {
        // Refused or failed once the place was taken (authorization, shutdown, a replay): it goes back.
        place.release();
        throw error;
      }
    },

    /** A gateway write's event goes out now, not at the next poll; never throws nor delays the write's answer. */
    published: writes.publish,
    /** Shutdown, once no request is in flight: the write events still on their way go out before the exit. */
    settle: writes.settle,

    /** Shutdown: each subscription's last result says SHUTTING_DOWN (resubscribe with `after`), then it completes; pollers stop. */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const states = table.all();
      for (const state of states) for (const sub of state.subscribers) sub.outbox.end(shutdownEnd());
      for (const state of states) await state.poller.stop();
    },
  };
}

function shuttingDown(): GraphQLError {
  return new GraphQLError('The gateway is shutting down; subscribe again, with `after` set to the last cursor received.', {
    extensions: { code: 'SHUTTING_DOWN' },
  });
}

/** The last delivery of a subscription ended by shutdown: the client learns why, and to resume elsewhere. */
function shutdownEnd(): FeedDelivery {
  const { message, extensions } = shuttingDown();
  return { kind: 'end', code: String(extensions.code), message };
}

function noStats(): FeedStats {
  return {
    subscribers: 0,
    scopes: 0,
    pollers: 0,
    polls: 0,
    maxOutbox: 0,
    slowConsumersCut: 0,
    pollFailures: 0,
    leaseLosses: 0,
    pollAgeSeconds: 0,
  };
}

function oldestAgeSeconds(since: ReadonlyMap<string, number>, now: number): number {
  let oldest = Number.POSITIVE_INFINITY;
  for (const at of since.values()) oldest = Math.min(oldest, at);
  return oldest === Number.POSITIVE_INFINITY ? 0 : Math.max(0, (now - oldest) / 1000);
}
