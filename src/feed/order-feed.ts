// The live order feed of one replica: who subscribes to which scope, one poller per scope (while
// this replica holds the scope's lease), fan-out of the bus's events to local subscribers, and
// the events of gateway writes. A scope is (upstream, org, credential): subscribers share a poller
// and events only with callers presenting the same PharmaOne credential for the same org, so a
// feed never shows anyone what their own credential could not read.
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { GraphQLError } from 'graphql';
import { MissingScopeError } from '../auth/auth-errors.ts';
import type { Caller } from '../auth/caller.ts';
import { orderStatusFromRest } from '../domain/enums.ts';
import type { OrderStatusValue } from '../domain/enums.ts';
import { ErrorCode, describeFailure } from '../graphql/errors.ts';
import { classify } from '../upstream/classify.ts';
import { createLoaders } from '../loaders/create-loaders.ts';
import type { Loaders } from '../loaders/create-loaders.ts';
import type { Logger } from '../logging/logger.ts';
import { createPharmaOneClient } from '../upstream/pharmaone-client.ts';
import type { PharmaOneClient, PharmaOneClientDeps, UpstreamCallRecord } from '../upstream/pharmaone-client.ts';
import { createDeadline } from '../upstream/resilience/deadline.ts';
import type { Deadline } from '../upstream/resilience/deadline.ts';
import { ROUTE_BY_OPERATION, ROUTES } from '../upstream/routes.ts';
import { decodeCursor, encodeCursor } from './feed-bus.ts';
import type { FeedBus, FeedMessage, FeedNotice, PollerLease, StoredEvent } from './feed-bus.ts';
import { createSubscriptionPlaces } from './live-count-limiter.ts';
import type { LiveSlot } from './live-count-limiter.ts';
import { emptySnapshot, planChanges, usableRows } from './order-versions.ts';
import type { Observation, OrderRow, Snapshot } from './order-versions.ts';
import type { FeedSettings } from './settings.ts';
import { createBoundedOutbox } from './subscriber-queue.ts';
import type { BoundedOutbox } from './subscriber-queue.ts';

/** PharmaOne's largest page (DESIGN.md §1): the poll reads the newest 100 orders. */
export const POLL_PAGE_SIZE = 100;
/** A read and its retries at the default UPSTREAM_RETRY_MAX_ATTEMPTS; a feed never needs more per call. */
const ATTEMPTS_PER_CALL = 3;
const COMMIT_ATTEMPTS = 8;

export interface FeedScope {
  id: string;
  orgId: string;
  credential: string;
}

/** What one event's resolution reads through: fresh loaders and client, like one request's. */
export interface EventRequestScope {
  pharmaone: PharmaOneClient;
  loaders: Loaders;
  upstreamTrace: UpstreamCallRecord[];
  deadline: Deadline;
}

export type FeedDelivery =
  | { kind: 'event'; orgId: string; cursor: string; event: StoredEvent; requestScope: () => EventRequestScope }
  | { kind: 'notice'; notice: FeedNotice }
  /** The last item of a subscription that ends with an error (slow consumer, expired sign-in). */
  | { kind: 'end'; code: string; message: string };

/**
 * One transport connection (a WebSocket, or an SSE request): how to cut it. Its identity is what
 * ORDER_FEED_MAX_PER_CONNECTION counts subscriptions under.
 */
export interface FeedConnection {
  /** Cuts the connection, telling the client why (a WebSocket close reason, a last SSE event). */
  disconnect(reason: string): void;
}

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
  /** Names this replica as a lease holder. */
  replicaId?: string;
}

export interface FeedStats {
  subscribers: number;
  pollers: number;
  polls: number;
  /** The largest outbox any subscriber reached (at most ORDER_FEED_SUBSCRIBER_BUFFER plus one batch). */
  maxOutbox: number;
  slowConsumersCut: number;
}

export type OrderFeed = ReturnType<typeof createOrderFeed>;

interface Subscriber {
  outbox: BoundedOutbox<FeedDelivery>;
  shopId: string | null;
  statuses: ReadonlySet<string> | null;
  epoch: string | null;
  lastSeq: number;
  /** While an `after:` replay is read, live events wait here. */
  held: FeedMessage[] | null;
}

interface ScopeState {
  scope: FeedScope;
  subscribers: Set<Subscriber>;
  listening: Promise<() => Promise<void>>;
  poller: { stop(): Promise<void> };
}

export function createOrderFeed(deps: OrderFeedDeps) {
  const { settings, bus, lease, logger } = deps;
  // Names the holder in the lease (host and pid help an operator find it).
  const replicaId = deps.replicaId ?? `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;
  const scopes = new Map<string, ScopeState>();
  // Every subscribe takes its place before its first await; its end gives it back.
  const places = createSubscriptionPlaces(settings);
  const stats: FeedStats = { subscribers: 0, pollers: 0, polls: 0, maxOutbox: 0, slowConsumersCut: 0 };
  let closed = false;

  // Every HTTP request counts toward a client's budget, retries and token exchanges included
  // (src/upstream/upstream-session.ts): one route's call with its retries, plus the org's token.
  function clientFor(
    scope: FeedScope,
    trace?: UpstreamCallRecord[],
    maxCalls = 2 * ATTEMPTS_PER_CALL,
    deadline = createDeadline(deps.operationDeadlineMs),
  ) {
    const credentials = {
      credentialFor(orgId: string) {
        // A feed's client reads its own org only, whatever a resolver asks.
        if (orgId !== scope.orgId) throw new GraphQLError('A feed reads its own org only.', { extensions: { code: ErrorCode.FORBIDDEN } });
        return scope.credential;
      },
    };
    return createPharmaOneClient({ deps: deps.client, credentials, trace, maxCalls, deadline });
  }

  function scopeOf(caller: Caller, orgId: string): FeedScope {
    const credential = caller.credentialFor(orgId);
    const id = createHash('sha256').update(`${deps.client.baseUrl}\n${orgId}\n${credential}`).digest('base64url');
    return { id, orgId, credential };
  }

  /**
   * Tenancy and scope, before anything is polled: the org's token (cached, or one exchange) must
   * carry orders:read. A refused credential is remembered by the token broker (TOKEN_NEGATIVE_CACHE_MS,
   * fleet-wide with Redis), so a subscriber retrying it costs PharmaOne nothing.
   */
  async function authorize(caller: Caller, orgId: string): Promise<FeedScope> {
    const scope = scopeOf(caller, orgId); // BFF: an org the sign-in does not grant throws here, with no call
    const token = await clientFor(scope, undefined, ATTEMPTS_PER_CALL).token(orgId);
    const polled = ROUTES[ROUTE_BY_OPERATION.listOrders];
    if (token.scopes.length > 0 && !token.scopes.includes(polled.scope)) throw new MissingScopeError(polled.label, polled.scope);
    return scope;
  }

  async function apply(scopeId: string, observation: Observation): Promise<void> {
    for (let attempt = 1; attempt <= COMMIT_ATTEMPTS; attempt++) {
      const stored = await bus.readSnapshot(scopeId);
      const before = parseSnapshot(stored);
      const { after, events } = planChanges(before, observation);
      const committed = await bus.commit(scopeId, stored, JSON.stringify(after), events);
      if (committed) return;
    }
    logger.warn({ scope: scopeId.slice(0, 8) }, 'order feed: snapshot kept changing; observation dropped');
  }

  function matches(sub: Subscriber, event: StoredEvent): boolean {
    if (sub.shopId !== null && event.order.shop_id !== sub.shopId) return false;
    if (sub.statuses === null) return true;
    const now = orderStatusFromRest(event.order.status).value;
    const before = event.previousStatus === null ? null : orderStatusFromRest(event.previousStatus).value;
    return sub.statuses.has(now) || (before !== null && sub.statuses.has(before));
  }

  function deliver(sub: Subscriber, message: FeedMessage, requestScope: () => EventRequestScope, orgId: string): void {
    if (message.kind === 'notice') {
      sub.outbox.push([{ kind: 'notice', notice: message.notice }]);
    } else {
      const { epoch, events } = message;
      if (sub.epoch !== epoch) {
        // A new epoch (the scope's state expired and started again): its numbering starts afresh.
        sub.epoch = epoch;
        sub.lastSeq = 0;
      }
      const batch: FeedDelivery[] = [];
      for (const event of events) {
        if (event.seq <= sub.lastSeq) continue; // already delivered (replay and live overlap)
        sub.lastSeq = event.seq;
        if (matches(sub, event)) batch.push({ kind: 'event', orgId, cursor: encodeCursor(epoch, event.seq), event, requestScope });
      }
      sub.outbox.push(batch);
    }
    if (sub.outbox.highWater > stats.maxOutbox) stats.maxOutbox = sub.outbox.highWater;
  }

  function once<T>(make: () => T): () => T {
    let value: T | undefined;
    return () => (value ??= make());
  }

  function eventRequestScope(scope: FeedScope): () => EventRequestScope {
    // One per event per replica, shared by the scope's subscribers: they share the credential.
    return once(() => {
      const upstreamTrace: UpstreamCallRecord[] = [];
      const deadline = createDeadline(deps.operationDeadlineMs);
      const pharmaone = clientFor(scope, upstreamTrace, deps.upstreamCallBudget, deadline);
      return { pharmaone, upstreamTrace, deadline, loaders: createLoaders(pharmaone, { detailConcurrency: deps.detailConcurrency }) };
    });
  }

  function onMessage(state: ScopeState, message: FeedMessage): void {
    const requestScope = eventRequestScope(state.scope);
    for (const sub of state.subscribers) {
      if (sub.held) sub.held.push(message);
      else deliver(sub, message, requestScope, state.scope.orgId);
    }
  }

  function startPoller(scope: FeedScope) {
    let stopped = false;
    let timer: NodeJS.Timeout | undefined;
    let failures = 0;
    let nextPollAt = 0;
    let holding = false;
    const ttlMs = Math.round(settings.pollMs * 1.5);

    async function pollOnce(): Promise<void> {
      stats.polls++;
      try {
        const deadline = createDeadline(Math.min(deps.operationDeadlineMs, settings.maxBackoffMs));
        const page = await clientFor(scope, undefined, 2 * ATTEMPTS_PER_CALL, deadline).listOrders(scope.orgId, {
          limit: POLL_PAGE_SIZE,
          offset: 0,
        });
        const rows = usableRows(page, POLL_PAGE_SIZE);
        const data = (page as { data?: unknown }).data;
        await apply(scope.id, { source: 'poll', rows, pageFull: Array.isArray(data) && data.length >= POLL_PAGE_SIZE });
        failures = 0;
      } catch (error) {
        failures++;
        const backoff = Math.min(settings.maxBackoffMs, settings.pollMs * 2 ** Math.min(failures, 20));
        // Full jitter on top of the floor of one interval: replicas and scopes do not retry in step.
        const retryInMs = Math.round(settings.pollMs + Math.random() * (backoff - settings.pollMs));
        nextPollAt = Math.max(nextPollAt, Date.now() + retryInMs);
        const notice = noticeFor(error, retryInMs);
        logger.warn({ scope: scope.id.slice(0, 8), org: scope.orgId, code: notice.code, failures, retryInMs }, 'order feed poll failed');
        await bus.notify(scope.id, notice).catch(() => undefined);
      }
    }

    async function tick(): Promise<void> {
      if (stopped) return;
      const started = Date.now();
      try {
        holding = await lease.hold(scope.id, replicaId, ttlMs);
      } catch {
        holding = false;
      }
      if (holding && !stopped && Date.now() >= nextPollAt) {
        // Fixed rate: the next poll is due one interval after this one started.
        nextPollAt = Math.max(nextPollAt, started + settings.pollMs);
        await pollOnce();
      }
      if (stopped) return;
      // Twice per interval: a holder renews its lease with a whole interval of slack (a slow
      // poll or a busy loop does not lose it), the others look for a lapsed one.
      const period = Math.max(1, Math.floor(settings.pollMs / 2));
      const untilNext = Math.max(0, period - (Date.now() - started));
      const untilPoll = Math.max(0, nextPollAt - Date.now());
      timer = setTimeout(() => void tick(), holding ? Math.min(untilNext, untilPoll) : untilNext);
      timer.unref();
    }

    stats.pollers++;
    void tick();
    return {
      async stop() {
        if (stopped) return;
        stopped = true;
        stats.pollers--;
        clearTimeout(timer);
        await lease.release(scope.id, replicaId).catch(() => undefined);
      },
    };
  }

  function join(scope: FeedScope, sub: Subscriber): ScopeState {
    let state = scopes.get(scope.id);
    if (!state) {
      const created: ScopeState = {
        scope,
        subscribers: new Set(),
        listening: Promise.resolve(async () => {}),
        poller: { stop: async () => {} },
      };
      created.listening = bus.listen(scope.id, (message) => onMessage(created, message));
      // The first poll waits until this replica hears the bus, so no event of it is missed.
      void created.listening.then(
        () => {
          if (scopes.get(scope.id) === created && created.subscribers.size > 0) created.poller = startPoller(scope);
        },
        // The subscribe that waits on it fails and cleans up; nothing more to do here.
        () => undefined,
      );
      scopes.set(scope.id, created);
      state = created;
    }
    state.subscribers.add(sub);
    return state;
  }

  function leave(state: ScopeState, sub: Subscriber): void {
    state.subscribers.delete(sub);
    if (state.subscribers.size > 0 || scopes.get(state.scope.id) !== state) return;
    // The last subscriber went: the poller stops and this replica stops listening.
    scopes.delete(state.scope.id);
    void state.poller.stop();
    void state.listening.then((unlisten) => unlisten()).catch(() => undefined);
  }

  /** `after:` — the window's events since the cursor, then what arrived live meanwhile; each once. */
  async function replay(scope: FeedScope, sub: Subscriber, after: { epoch: string; seq: number }): Promise<void> {
    const missed = await bus.since(scope.id, after.epoch, after.seq);
    if (missed === 'expired') {
      throw new GraphQLError('The cursor is outside the resume window: reload the orders and subscribe without `after`.', {
        extensions: { code: 'CURSOR_EXPIRED' },
      });
    }
    const requestScope = eventRequestScope(scope);
    deliver(sub, { kind: 'events', epoch: after.epoch, events: missed }, requestScope, scope.orgId);
    const held = sub.held ?? [];
    sub.held = null;
    for (const message of held) deliver(sub, message, eventRequestScope(scope), scope.orgId);
  }

  /** Authorizes and opens one subscription holding `place`, which goes back when the subscription finishes. */
  async function openSubscription(
    caller: Caller,
    connection: FeedConnection,
    args: SubscribeArgs,
    after: { epoch: string; seq: number } | null,
    place: LiveSlot,
  ): Promise<BoundedOutbox<FeedDelivery>> {
    const scope = await authorize(caller, args.orgId);
    if (closed) throw shuttingDown();

    stats.subscribers++;
    let expiry: NodeJS.Timeout | undefined;
    let state: ScopeState | undefined;
    const sub: Subscriber = {
      outbox: createBoundedOutbox<FeedDelivery>({
        bound: settings.subscriberBuffer,
        onOverflow() {
          stats.slowConsumersCut++;
          logger.warn(
            { org: scope.orgId, scope: scope.id.slice(0, 8), buffer: settings.subscriberBuffer },
            'order feed: slow consumer cut',
          );
          const message = `Slow consumer: more than ${settings.subscriberBuffer} events waited for delivery (ORDER_FEED_SUBSCRIBER_BUFFER); resubscribe with after: <last cursor>.`;
          sub.outbox.end({ kind: 'end', code: 'SLOW_CONSUMER', message });
          connection.disconnect(message);
        },
        onFinish() {
          clearTimeout(expiry);
          place.release();
          stats.subscribers--;
          if (state) leave(state, sub);
        },
      }),
      shopId: args.shopId ?? null,
      statuses: args.statuses?.length ? new Set(args.statuses) : null,
      epoch: after?.epoch ?? null,
      lastSeq: after?.seq ?? 0,
      held: after ? [] : null,
    };
    logger.debug({ org: scope.orgId, scope: scope.id.slice(0, 8), resume: after !== null }, 'order feed: subscribed');
    try {
      const joined = join(scope, sub);
      state = joined;
      await joined.listening;
      if (after) await replay(scope, sub, after);
    } catch (error) {
      // Nothing of a failed subscribe stays behind: its place, scope membership, poller.
      await sub.outbox.return?.();
      throw error;
    }
    if (caller.expiresAtMs !== undefined) {
      const end = () =>
        sub.outbox.end({
          kind: 'end',
          code: ErrorCode.UNAUTHENTICATED,
          message: 'The sign-in token expired: sign in again and subscribe anew.',
        });
      const inMs = caller.expiresAtMs - Date.now();
      if (inMs <= 0) end();
      else expiry = setTimeout(end, Math.min(inMs, 2 ** 31 - 1));
      expiry?.unref();
    }
    return sub.outbox;
  }

  return {
    stats: (): FeedStats => ({ ...stats }),

    /** Checks, then opens one subscription; throws a GraphQL error for a refused one. */
    async subscribe(caller: Caller, connection: FeedConnection, args: SubscribeArgs): Promise<AsyncIterableIterator<FeedDelivery>> {
      if (closed) throw shuttingDown();
      const after = args.after == null ? null : decodeCursor(args.after);
      if (args.after != null && after === null) {
        throw new GraphQLError('`after` is not a cursor of this feed.', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
      }
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

    /**
     * A gateway write changed or created an order: its event goes out now, not at the next poll.
     * Never throws and never delays the write's answer; does nothing when no replica watches.
     */
    published(caller: Caller, orgId: string, write: { changed: OrderRow } | { createdOrderId: string }): void {
      void (async () => {
        const scope = scopeOf(caller, orgId);
        if (!scopes.has(scope.id) && !(await lease.watched(scope.id))) return;
        const row = 'changed' in write ? write.changed : await clientFor(scope).getOrder(orgId, write.createdOrderId);
        const [checked] = usableRows({ data: [row] }, 1);
        if (checked) await apply(scope.id, { source: 'changed' in write ? 'changed' : 'created', rows: [checked] });
      })().catch((error: unknown) => logger.warn({ err: error, org: orgId }, 'order feed: publishing a write failed'));
    },

    /** Shutdown: every subscription completes (its transport sends `complete` / ends the stream); pollers stop. */
    async close(): Promise<void> {
      if (closed) return;
      closed = true;
      const states = [...scopes.values()];
      for (const state of states) for (const sub of state.subscribers) sub.outbox.end();
      for (const state of states) await state.poller.stop();
    },
  };
}

function shuttingDown(): GraphQLError {
  return new GraphQLError('The gateway is shutting down; subscribe again.', { extensions: { code: 'SHUTTING_DOWN' } });
}

function parseSnapshot(text: string | null): Snapshot {
  if (text === null) return emptySnapshot();
  try {
    const parsed = JSON.parse(text) as Snapshot;
    if (parsed && typeof parsed === 'object' && typeof parsed.orders === 'object' && parsed.orders !== null) return parsed;
  } catch {
    // A damaged snapshot is replaced: the next poll is a fresh baseline.
  }
  return emptySnapshot();
}

function noticeFor(error: unknown, retryInMs: number): FeedNotice {
  // The one classification (src/upstream/classify.ts), rendered as any field error would be.
  const failure = classify(error);
  if (failure && failure.code !== ErrorCode.INTERNAL_SERVER_ERROR) {
    const { message, extensions } = describeFailure(error, failure);
    return { code: extensions.code, message: `${message} The feed polls again in ${retryInMs} ms.`, retryInMs };
  }
  return { code: ErrorCode.UPSTREAM_UNAVAILABLE, message: `Polling PharmaOne failed. The feed polls again in ${retryInMs} ms.`, retryInMs };
}
