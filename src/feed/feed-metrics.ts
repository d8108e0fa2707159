// The live feed's Prometheus series, read from its counters at scrape time (nothing per event).
import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';
import { ROUTE_BY_OPERATION, ROUTES } from '../upstream/routes.ts';
import type { FeedStats } from './order-feed.ts';

export function watchFeed(registry: Registry, stats: () => FeedStats): void {
  const gauge = (name: string, help: string, read: (s: FeedStats) => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read(stats()));
      },
    });
  const counter = (name: string, help: string, read: (s: FeedStats) => number) => {
    let seen = 0;
    return new Counter({
      name,
      help,
      registers: [registry],
      collect() {
        const now = read(stats());
        if (now > seen) this.inc(now - seen);
        seen = Math.max(seen, now);
      },
    });
  };
  gauge('graphql_subscriptions_active', 'Open orderEvents subscriptions on this replica.', (s) => s.subscribers);
  gauge('pharmaone_feed_pollers', 'Order-feed scopes this replica watches (polling while it holds the scope lease).', (s) => s.pollers);
  gauge('pharmaone_feed_outbox_high_water', 'The largest subscriber outbox reached on this replica (events).', (s) => s.maxOutbox);
  counter('pharmaone_feed_polls_total', `Polls of ${ROUTES[ROUTE_BY_OPERATION.listOrders].label} this replica started.`, (s) => s.polls);
  counter('pharmaone_feed_slow_consumers_total', 'Subscribers cut as slow consumers.', (s) => s.slowConsumersCut);
  counter(
    'pharmaone_feed_poll_failures_total',
    "Polls that failed (the poller backs off and tells the scope's subscribers).",
    (s) => s.pollFailures,
  );
  counter(
    'pharmaone_feed_lease_losses_total',
    'Times this replica lost the lease of a scope it was polling (another replica took it, or the bus did not answer).',
    (s) => s.leaseLosses,
  );
  gauge(
    'pharmaone_feed_poll_age_seconds',
    'Seconds since the least recent successful poll among the scopes this replica polls (0 when none): about ORDER_FEED_POLL_MS when healthy.',
    (s) => s.pollAgeSeconds,
  );
}
