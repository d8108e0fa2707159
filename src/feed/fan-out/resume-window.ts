// Resuming with `after:`: a cursor names an epoch and a sequence number of the scope's event log,
// which keeps a window of recent events (ORDER_FEED_RESUME_EVENTS, ORDER_FEED_RESUME_WINDOW_MS).
// The window's events since the cursor are delivered first, then what arrived live meanwhile, each
// once. A cursor outside the window is refused: the client reloads and subscribes without it.
import { GraphQLError } from 'graphql';
import { ErrorCode } from '../../upstream/classify.ts';
import { decodeCursor } from '../bus/feed-bus.ts';
import type { FeedBus } from '../bus/feed-bus.ts';
import type { FeedScope, FeedScopes } from '../feed-scope.ts';
import { deliver } from './subscriber.ts';
import type { Subscriber } from './subscriber.ts';

export interface ResumePoint {
  epoch: string;
  seq: number;
}

/** The resume point of `after:`, or null without one; refuses what is not a cursor of this feed. */
export function resumePointOf(after: string | null | undefined): ResumePoint | null {
  const point = after == null ? null : decodeCursor(after);
  if (after != null && point === null) {
    throw new GraphQLError('`after` is not a cursor of this feed.', { extensions: { code: ErrorCode.BAD_USER_INPUT } });
  }
  return point;
}

export interface ReplayDeps {
  bus: FeedBus;
  scopes: FeedScopes;
  stats: { maxOutbox: number };
}

/** The window's events since `after`, then the live messages the subscriber held meanwhile. */
export async function replay(deps: ReplayDeps, scope: FeedScope, sub: Subscriber, after: ResumePoint): Promise<void> {
  const missed = await deps.bus.since(scope.id, after.epoch, after.seq);
  if (missed === 'expired') {
    throw new GraphQLError('The cursor is outside the resume window: reload the orders and subscribe without `after`.', {
      extensions: { code: 'CURSOR_EXPIRED' },
    });
  }
  const requestScope = deps.scopes.eventRequestScope(scope);
  deliver(sub, { kind: 'events', epoch: after.epoch, events: missed }, requestScope, scope.orgId, deps.stats);
  const held = sub.held ?? [];
  sub.held = null;
  for (const message of held) deliver(sub, message, deps.scopes.eventRequestScope(scope), scope.orgId, deps.stats);
}
