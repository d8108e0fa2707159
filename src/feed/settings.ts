// Settings of the live order feed (docs/live-updates.md), parsed from the environment next to the
// feed so the shared config stays small. Every bound here caps memory or upstream calls.
import type { EnvReader } from '../config/env.ts';

export interface FeedSettings {
  /** ORDER_FEED_POLL_MS: one GET /orders per scope per interval. */
  pollMs: number;
  /** Most backoff after repeated poll failures. */
  maxBackoffMs: number;
  /** Events waiting for one subscriber before it is disconnected as a slow consumer. */
  subscriberBuffer: number;
  /** Subscriptions one WebSocket connection may hold. */
  maxPerConnection: number;
  /** Subscriptions one caller (credential or signed-in user) may hold across connections. */
  maxPerCaller: number;
  /**
   * Scopes (org and credential, docs/live-updates.md) this replica watches at once: a subscribe
   * that needs one more is refused; joining one already watched is not.
   */
  maxScopes: number;
  /** Scopes nobody here watches any more whose resume window is kept (memory bus; least recently ended go first). */
  maxEndedScopes: number;
  /** Events kept per scope for `after:` resumes. */
  resumeEvents: number;
  /** How long a scope's feed state (snapshot, events) outlives its last write. */
  resumeWindowMs: number;
  /** WebSocket ping interval; a peer that does not answer within it is cut. */
  heartbeatMs: number;
  /** Route of GraphQL over SSE. */
  ssePath: string;
  /** REDIS_URL: with it, one poller per scope in the fleet and events over Redis pub/sub. */
  redisUrl: string | undefined;
}

/** `redisUrl`: the stores' REDIS_URL (src/stores/config.ts), read once there. */
export function readFeedSettings(read: EnvReader, redisUrl: string | undefined): FeedSettings {
  const pollMs = read.durationMs('ORDER_FEED_POLL_MS', { fallback: 5_000, min: 50, max: 3_600_000 });
  return {
    pollMs,
    maxBackoffMs: read.durationMs('ORDER_FEED_MAX_BACKOFF_MS', { fallback: Math.max(60_000, pollMs), min: pollMs, max: 3_600_000 }),
    subscriberBuffer: read.int('ORDER_FEED_SUBSCRIBER_BUFFER', { fallback: 100, min: 1, max: 100_000 }),
    maxPerConnection: read.int('ORDER_FEED_MAX_PER_CONNECTION', { fallback: 25, min: 1, max: 10_000 }),
    maxPerCaller: read.int('ORDER_FEED_MAX_PER_CALLER', { fallback: 1_000, min: 1, max: 1_000_000 }),
    maxScopes: read.int('ORDER_FEED_MAX_SCOPES', { fallback: 48, min: 1, max: 100_000 }),
    maxEndedScopes: read.int('ORDER_FEED_MAX_ENDED_SCOPES', { fallback: 16, min: 0, max: 100_000 }),
    resumeEvents: read.int('ORDER_FEED_RESUME_EVENTS', { fallback: 1_000, min: 1, max: 100_000 }),
    resumeWindowMs: read.durationMs('ORDER_FEED_RESUME_WINDOW_MS', { fallback: 300_000, min: 1_000, max: 86_400_000 }),
    heartbeatMs: read.durationMs('ORDER_FEED_HEARTBEAT_MS', { fallback: 12_000, min: 100, max: 600_000 }),
    ssePath: '/graphql/stream',
    redisUrl,
  };
}
