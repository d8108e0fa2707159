// Settings of the live order feed (README "Live updates"), parsed from the environment next to the
// feed so the shared config stays small. Every bound here caps memory or upstream calls.
type Env = Record<string, string | undefined>;

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

export function readFeedSettings(env: Env = process.env): FeedSettings {
  const pollMs = intVar(env, 'ORDER_FEED_POLL_MS', 5_000, 50, 3_600_000);
  return {
    pollMs,
    maxBackoffMs: intVar(env, 'ORDER_FEED_MAX_BACKOFF_MS', Math.max(60_000, pollMs), pollMs, 3_600_000),
    subscriberBuffer: intVar(env, 'ORDER_FEED_SUBSCRIBER_BUFFER', 100, 1, 100_000),
    maxPerConnection: intVar(env, 'ORDER_FEED_MAX_PER_CONNECTION', 25, 1, 10_000),
    maxPerCaller: intVar(env, 'ORDER_FEED_MAX_PER_CALLER', 1_000, 1, 1_000_000),
    resumeEvents: intVar(env, 'ORDER_FEED_RESUME_EVENTS', 1_000, 1, 100_000),
    resumeWindowMs: intVar(env, 'ORDER_FEED_RESUME_WINDOW_MS', 300_000, 1_000, 86_400_000),
    heartbeatMs: intVar(env, 'ORDER_FEED_HEARTBEAT_MS', 12_000, 100, 600_000),
    ssePath: '/graphql/stream',
    redisUrl: env.REDIS_URL?.trim() || undefined,
  };
}

function intVar(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
