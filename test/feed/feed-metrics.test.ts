// The feed's alerting series (deploy/monitoring/alerts.yaml) scraped from /metrics of a real
// gateway over a real sandbox: pharmaone_feed_poll_failures_total counts exactly the polls
// PharmaOne failed, pharmaone_feed_poll_age_seconds grows while polls fail and is back to 0 after
// a good one (the feed's clock is the test's, so the ages are exact), and
// pharmaone_feed_lease_losses_total counts each time another holder took the lease of a scope this
// replica was polling (a real redis-server; the other holder is written into the lease key).
import { createClient } from 'redis';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../src/sandbox/fault-rules.ts';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { startRedis } from '../support/redis.ts';
import type { TestRedis } from '../support/redis.ts';
import { connectWs, lastSeq, listCalls } from './feed-clients.ts';
import type { FeedWsConnection, Received } from './feed-clients.ts';

// Fast polls, no read retries (one poll is one GET /orders) and no breaker (it would turn
// failures into rejections on a schedule of its own). A poll's deadline is the backoff cap
// (src/feed/changes/poller.ts), so the cap is kept far above a poll's time on a loaded machine:
// at 100 ms a busy CI box timed out a poll nobody failed, and "exactly" stopped being exact.
const FAST_FEED = {
  ORDER_FEED_POLL_MS: '50',
  ORDER_FEED_MAX_BACKOFF_MS: '2000',
  UPSTREAM_RETRY_MAX_ATTEMPTS: '1',
  UPSTREAM_BREAKER_MIN_CALLS: '100000',
};
const ORDERS_FAIL = (times?: number): FaultRule => ({
  route: 'GET /api/v2/public/orgs/{org}/orders',
  org: 'org1',
  errorRate: 1,
  errorStatus: 503,
  ...(times === undefined ? {} : { times }),
});

async function metric(stack: TestStack, name: string): Promise<number> {
  const res = await request(stack.gateway.url.replace(/\/graphql$/, '/metrics'));
  const text = await res.body.text();
  const line = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  if (!line?.[1]) throw new Error(`/metrics has no ${name}`);
  return Number(line[1]);
}

/** Scrapes until the series satisfies `holds`; the timeout only turns a hang into a failure. */
async function metricUntil(stack: TestStack, name: string, holds: (value: number) => boolean, what: string): Promise<number> {
  const started = Date.now();
  for (;;) {
    const value = await metric(stack, name);
    if (holds(value)) return value;
    if (Date.now() - started > 20_000) throw new Error(`timed out waiting for ${what} (${name} is ${value})`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function subscribed(stack: TestStack): Promise<{ connection: FeedWsConnection; received: Received }> {
  const connection = connectWs(stack.gateway.url, { apikey: 'sandbox-org1-key' });
  const received = connection.subscribe({ orgId: 'org1' });
  await metricUntil(stack, 'pharmaone_feed_polls_total', (polls) => polls >= 1, 'the first poll');
  return { connection, received };
}

describe('poll failures and poll age', () => {
  let stack: TestStack;
  let clockMs = Date.UTC(2031, 0, 1);
  let connection: FeedWsConnection;
  beforeAll(async () => {
    stack = await startStack({ env: FAST_FEED, gateway: { feedClock: () => clockMs } });
    ({ connection } = await subscribed(stack));
  });
  afterAll(async () => {
    await connection?.dispose();
    await stack?.close();
  });

  it('counts exactly the polls PharmaOne failed, and no more once it answers again', async () => {
    expect(await metric(stack, 'pharmaone_feed_poll_failures_total')).toBe(0);
    for (const [failing, total] of [
      [1, 1],
      [3, 4],
    ] as const) {
      stack.sandbox.faults.set([ORDERS_FAIL(failing)]);
      await metricUntil(stack, 'pharmaone_feed_poll_failures_total', (failures) => failures >= total, `${total} failed polls`);
      // The rule is spent: two polls that started after it went answer, and nothing more failed.
      const polls = await metric(stack, 'pharmaone_feed_polls_total');
      await metricUntil(stack, 'pharmaone_feed_polls_total', (now) => now >= polls + 2, 'two good polls');
      expect(stack.sandbox.faults.list()).toEqual([]);
      expect(await metric(stack, 'pharmaone_feed_poll_failures_total')).toBe(total);
    }
  });

  it('grows the poll age while polls fail and drops it to 0 after a good poll', async () => {
    // The clock stands still: every good poll is "now", so a healthy feed's age is exactly 0.
    expect(await metric(stack, 'pharmaone_feed_poll_age_seconds')).toBe(0);
    const failuresBefore = await metric(stack, 'pharmaone_feed_poll_failures_total');
    stack.sandbox.faults.set([ORDERS_FAIL()]);
    await metricUntil(stack, 'pharmaone_feed_poll_failures_total', (n) => n > failuresBefore, 'a failed poll');
    // From here every poll fails (polls of a scope run one after another), so no good poll moves the mark.
    clockMs += 30_000;
    expect(await metric(stack, 'pharmaone_feed_poll_age_seconds')).toBe(30);
    const failuresSoFar = await metric(stack, 'pharmaone_feed_poll_failures_total');
    await metricUntil(stack, 'pharmaone_feed_poll_failures_total', (n) => n > failuresSoFar, 'another failed poll');
    clockMs += 60_000;
    expect(await metric(stack, 'pharmaone_feed_poll_age_seconds')).toBe(90);

    const cleared = lastSeq(stack.sandbox);
    stack.sandbox.faults.clear();
    await metricUntil(stack, 'pharmaone_feed_poll_age_seconds', (age) => age === 0, 'a good poll');
    expect(listCalls(stack.sandbox, 'org1', cleared).map((call) => call.status)).toContain(200);
  });
});

describe('lease losses', () => {
  let redis: TestRedis;
  let stack: TestStack;
  let connection: FeedWsConnection;
  let received: Received;
  const direct = () => createClient({ url: redis.url });
  let client: ReturnType<typeof direct>;
  beforeAll(async () => {
    redis = await startRedis();
    client = direct();
    await client.connect();
    stack = await startStack({ env: { ...FAST_FEED, REDIS_URL: redis.url } });
    ({ connection, received } = await subscribed(stack));
  }, 60_000);
  afterAll(async () => {
    await connection?.dispose();
    await stack?.close();
    await client?.close();
    await redis?.stop();
  });

  async function leaseKey(): Promise<{ key: string; holder: string }> {
    const started = Date.now();
    for (;;) {
      const [key] = await client.keys('pharmaone-graph:feed:*:lease');
      const holder = key === undefined ? null : await client.get(key);
      if (key !== undefined && holder !== null && !holder.startsWith('intruder')) return { key, holder };
      if (Date.now() - started > 20_000) throw new Error('timed out waiting for this replica to hold the lease');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  it('counts each lease another holder took while this replica polled, not a lease it took back', async () => {
    expect(await metric(stack, 'pharmaone_feed_lease_losses_total')).toBe(0);
    for (const losses of [1, 2]) {
      const { key, holder } = await leaseKey();
      // Another replica took the scope (as after a pause longer than the lease): its name, a long lease.
      await client.set(key, `intruder/${losses}`, { PX: 60_000 });
      await metricUntil(stack, 'pharmaone_feed_lease_losses_total', (n) => n >= losses, `lease loss ${losses}`);
      // The replica still watches the scope, polls none, and reports no stale age for it.
      expect(await metric(stack, 'pharmaone_feed_pollers')).toBe(1);
      expect(await metric(stack, 'pharmaone_feed_poll_age_seconds')).toBe(0);
      expect(await client.get(key)).toBe(`intruder/${losses}`);
      // The other holder goes; this replica takes the lease back, which is no loss.
      await client.del(key);
      expect((await leaseKey()).holder).toBe(holder);
      expect(await metric(stack, 'pharmaone_feed_lease_losses_total')).toBe(losses);
    }
    expect(received.errors).toEqual([]);
    expect(received.completed).toBe(false);
  });
});
