// One scope's poller on this replica. It polls the newest page of GET /orders only while this
// replica holds the scope's lease (so a fleet polls each scope once, and another replica takes
// over within an interval when the holder goes), at a fixed rate; after a failure it backs off
// with full jitter and tells the scope's subscribers (a notice) when it polls again.
import type { Logger } from '../../logging/logger.ts';
import { ErrorCode, classify } from '../../upstream/classify.ts';
import { describeFailure } from '../../upstream/describe-failure.ts';
import { createDeadline } from '../../upstream/resilience/deadline.ts';
import type { FeedBus, FeedNotice, PollerLease } from '../bus/feed-bus.ts';
import { ATTEMPTS_PER_CALL } from '../feed-scope.ts';
import type { FeedScope, FeedScopes } from '../feed-scope.ts';
import type { FeedSettings } from '../settings.ts';
import { usableRows } from './order-versions.ts';
import { commitObservation } from './snapshot-commit.ts';

/** PharmaOne's largest page (DESIGN.md §1): the poll reads the newest 100 orders. */
export const POLL_PAGE_SIZE = 100;

export interface PollerDeps {
  settings: FeedSettings;
  bus: FeedBus;
  lease: PollerLease;
  logger: Logger;
  scopes: FeedScopes;
  operationDeadlineMs: number;
  /** Names this replica as a lease holder. */
  replicaId: string;
  /** The feed's counters: running pollers, polls started, polls failed, leases lost. */
  stats: { pollers: number; polls: number; pollFailures: number; leaseLosses: number };
  /**
   * When each scope this replica polls last had a successful poll (epoch ms), or since when it has
   * held the lease, for as long as it holds it: the feed's lag is the oldest entry's age.
   */
  freshness: Map<string, number>;
  /** The clock of `freshness` (the timers keep Date.now). */
  now: () => number;
}

export interface Poller {
  stop(): Promise<void>;
}

export function startPoller(deps: PollerDeps, scope: FeedScope): Poller {
  const { settings, bus, lease, logger, stats } = deps;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let failures = 0;
  let nextPollAt = 0;
  let holding = false;
  const ttlMs = Math.round(settings.pollMs * 1.5);

  async function pollOnce(): Promise<void> {
    stats.polls++;
    const deadline = createDeadline(Math.min(deps.operationDeadlineMs, settings.maxBackoffMs));
    const reads = deps.scopes.requestScope(scope, 2 * ATTEMPTS_PER_CALL, deadline);
    try {
      const page = await reads.pharmaone.listOrders(scope.orgId, { limit: POLL_PAGE_SIZE, offset: 0 }).finally(() => {
        // The poll's one read is over: its deadline leaves the shared clock now, not when it passes.
        deadline.finish();
        deps.scopes.polled(scope, reads);
      });
      const rows = usableRows(page, POLL_PAGE_SIZE);
      const data = (page as { data?: unknown }).data;
      await commitObservation(bus, logger, scope.id, {
        source: 'poll',
        rows,
        pageFull: Array.isArray(data) && data.length >= POLL_PAGE_SIZE,
      });
      failures = 0;
      if (holding && !stopped) deps.freshness.set(scope.id, deps.now());
    } catch (error) {
      failures++;
      stats.pollFailures++;
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
    const startedAt = deps.now();
    const held = holding;
    try {
      holding = await lease.hold(scope.id, deps.replicaId, ttlMs);
    } catch {
      holding = false;
    }
    if (stopped) return;
    // A lease lost while running (another holder, or the bus unreachable) is not a hand-over on
    // shutdown: in a healthy fleet it does not happen, so it is counted for an alert.
    if (held && !holding) {
      stats.leaseLosses++;
      deps.freshness.delete(scope.id);
    } else if (holding && !held) deps.freshness.set(scope.id, startedAt);
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
      deps.freshness.delete(scope.id);
      clearTimeout(timer);
      await lease.release(scope.id, deps.replicaId).catch(() => undefined);
    },
  };
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
