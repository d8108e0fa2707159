// One subscription's end of the fan-out: what it asked for (a shop, statuses), where it stands
// (epoch and last sequence number, so a replay and live messages that overlap deliver each event
// once) and its bounded outbox, which its transport drains. A subscriber that lets
// ORDER_FEED_SUBSCRIBER_BUFFER events wait is cut as a slow consumer, its connection with it; one
// whose sign-in expires ends with UNAUTHENTICATED.
import type { OrderStatusValue } from '../../domain/enums.ts';
import { orderStatusFromRest } from '../../domain/enums.ts';
import { ErrorCode } from '../../upstream/classify.ts';
import type { RequestScope } from '../../loaders/request-scope.ts';
import type { Logger } from '../../logging/logger.ts';
import { encodeCursor } from '../bus/feed-bus.ts';
import type { FeedMessage, FeedNotice, StoredEvent } from '../bus/feed-bus.ts';
import type { FeedScope } from '../feed-scope.ts';
import type { FeedSettings } from '../settings.ts';
import { createBoundedOutbox } from './subscriber-queue.ts';
import type { BoundedOutbox } from './subscriber-queue.ts';

export type FeedDelivery =
  | { kind: 'event'; orgId: string; cursor: string; event: StoredEvent; requestScope: () => RequestScope }
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

export interface Subscriber {
  outbox: BoundedOutbox<FeedDelivery>;
  shopId: string | null;
  statuses: ReadonlySet<string> | null;
  epoch: string | null;
  lastSeq: number;
  /** While an `after:` replay is read, live events wait here. */
  held: FeedMessage[] | null;
}

export interface SubscriberDeps {
  settings: FeedSettings;
  logger: Logger;
  stats: { slowConsumersCut: number };
}

export interface SubscriberOptions {
  scope: FeedScope;
  connection: FeedConnection;
  shopId?: string | null | undefined;
  statuses?: readonly OrderStatusValue[] | null | undefined;
  /** Where an `after:` resume starts; its events come by replay, so live ones are held meanwhile. */
  after: { epoch: string; seq: number } | null;
  /** The subscription finished, whichever way: unsubscribed, cut, ended, failed to open. */
  onFinish(): void;
}

export function createSubscriber(deps: SubscriberDeps, options: SubscriberOptions): Subscriber {
  const { settings, logger, stats } = deps;
  const { scope, connection, after } = options;
  const sub: Subscriber = {
    outbox: createBoundedOutbox<FeedDelivery>({
      bound: settings.subscriberBuffer,
      onOverflow() {
        stats.slowConsumersCut++;
        logger.warn({ org: scope.orgId, scope: scope.id.slice(0, 8), buffer: settings.subscriberBuffer }, 'order feed: slow consumer cut');
        const message = `Slow consumer: more than ${settings.subscriberBuffer} events waited for delivery (ORDER_FEED_SUBSCRIBER_BUFFER); resubscribe with after: <last cursor>.`;
        sub.outbox.end({ kind: 'end', code: 'SLOW_CONSUMER', message });
        connection.disconnect(message);
      },
      onFinish: options.onFinish,
    }),
    shopId: options.shopId ?? null,
    statuses: options.statuses?.length ? new Set(options.statuses) : null,
    epoch: after?.epoch ?? null,
    lastSeq: after?.seq ?? 0,
    held: after ? [] : null,
  };
  return sub;
}

/** Queues what of `message` the subscriber asked for and has not had yet. */
export function deliver(
  sub: Subscriber,
  message: FeedMessage,
  requestScope: () => RequestScope,
  orgId: string,
  stats: { maxOutbox: number },
): void {
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

function matches(sub: Subscriber, event: StoredEvent): boolean {
  if (sub.shopId !== null && event.order.shop_id !== sub.shopId) return false;
  if (sub.statuses === null) return true;
  const now = orderStatusFromRest(event.order.status).value;
  const before = event.previousStatus === null ? null : orderStatusFromRest(event.previousStatus).value;
  return sub.statuses.has(now) || (before !== null && sub.statuses.has(before));
}

/** Ends the subscription with UNAUTHENTICATED when the caller's sign-in expires; the timer, if one was set. */
export function endAtSignInExpiry(sub: Subscriber, expiresAtMs: number | undefined): NodeJS.Timeout | undefined {
  if (expiresAtMs === undefined) return undefined;
  const end = () =>
    sub.outbox.end({
      kind: 'end',
      code: ErrorCode.UNAUTHENTICATED,
      message: 'The sign-in token expired: sign in again and subscribe anew.',
    });
  const inMs = expiresAtMs - Date.now();
  if (inMs <= 0) {
    end();
    return undefined;
  }
  const expiry = setTimeout(end, Math.min(inMs, 2 ** 31 - 1));
  expiry.unref();
  return expiry;
}
