// The feed's bounds and its resume: `after:` delivers what a client missed exactly once; a cursor
// outside the window is refused clearly; a slow consumer is cut with its reason while its outbox
// never passes its bound; a failing poll tells subscribers and keeps them; filters hold; shutdown
// completes every subscription.
import { request } from 'undici';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { connectWs, orderInput, subscribeSse, SUBMIT_ORDER, testFeedClients, UPDATE_STATUS, waitFor } from './feed-clients.ts';
import type { SubmitOrderData, UpdateStatusData } from './feed-clients.ts';
import type { Received } from './feed-clients.ts';

const BUFFER = 3;
const RESUME_EVENTS = 6;
let stack: TestStack;
const clients = testFeedClients(() => stack);
const { ws } = clients;

beforeAll(async () => {
  stack = await startStack({
    env: {
      ORDER_FEED_POLL_MS: '200',
      ORDER_FEED_SUBSCRIBER_BUFFER: String(BUFFER),
      ORDER_FEED_RESUME_EVENTS: String(RESUME_EVENTS),
      ORDER_FEED_MAX_PER_CONNECTION: '3',
    },
  });
});
afterAll(() => stack.close());
afterEach(async () => {
  stack.sandbox.faults.clear();
  await clients.closeAll();
});

async function polls(count: number): Promise<void> {
  const target = stack.gateway.feedStats().polls + count;
  await waitFor(() => stack.gateway.feedStats().polls >= target, `${count} polls`);
}

async function newOrder(shopId = 'shop1'): Promise<string> {
  const res = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput('org1', shopId) });
  return dataOf(res).submitOrderRequest.orderRequest.orderId;
}

/** `count` new orders, one after the other (oldest first). */
async function newOrders(count: number, shopId = 'shop1'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) ids.push(await newOrder(shopId));
  return ids;
}

async function moveTo(orderId: string, status: string): Promise<void> {
  const res = await stack.gql<UpdateStatusData>(UPDATE_STATUS, { input: { orgId: 'org1', orderId, status } });
  expect(dataOf(res).updateOrderStatus.userErrors).toEqual([]);
}

/**
 * Until `count` subscribers are in and two polls ran. A feed that restarts within the resume
 * window first publishes what changed while nobody watched; tests look at what comes after.
 */
async function subscribed(count: number): Promise<void> {
  await waitFor(() => stack.gateway.feedStats().subscribers === count, `${count} subscribers`);
  await polls(2);
}

function mark(...subscribers: Received[]): () => void {
  const from = subscribers.map((s) => s.events.length);
  return () => {
    subscribers.forEach((s, i) => {
      s.events.splice(0, from[i]);
    });
  };
}

describe('resume with after', () => {
  it('delivers the events missed while away, in order, exactly once, then live ones', async () => {
    const a = await newOrder();
    const b = await newOrder();
    const c = await newOrder();
    const keeper = ws().subscribe({ orgId: 'org1' });
    const firstConnection = connectWs(stack.gateway.url, { apikey: ORG1_KEY });
    const first = firstConnection.subscribe({ orgId: 'org1' });
    await subscribed(2);
    mark(keeper, first)();
    await moveTo(a, 'AWAITING_PACKING');
    await waitFor(() => first.events.length === 1, 'the first event');
    const cursor = must(first.events[0], 'the first event').cursor;
    await firstConnection.dispose();

    await moveTo(b, 'AWAITING_PACKING');
    await moveTo(c, 'CANCELLED');
    await waitFor(() => keeper.events.length === 3, 'the events while away');

    const again = ws().subscribe({ orgId: 'org1', after: cursor });
    await waitFor(() => again.events.length === 2, 'the replay');
    await moveTo(a, 'PACKED');
    await waitFor(() => again.events.length === 3, 'a live event after the replay');
    await polls(3);

    expect(again.events.map((event) => [event.order.id, event.type, event.previousStatus, event.order.status])).toEqual([
      [b, 'STATUS_CHANGED', 'PENDING', 'AWAITING_PACKING'],
      [c, 'STATUS_CHANGED', 'PENDING', 'CANCELLED'],
      [a, 'STATUS_CHANGED', 'AWAITING_PACKING', 'PACKED'],
    ]);
    expect(again.events.map((event) => event.cursor)).toEqual(keeper.events.slice(1).map((event) => event.cursor));
    expect(again.errors).toEqual([]);
  });

  it('refuses a cursor outside the window (CURSOR_EXPIRED) and a malformed one (BAD_USER_INPUT)', async () => {
    const orders = await newOrders(RESUME_EVENTS + 2);
    const keeper = ws().subscribe({ orgId: 'org1' });
    await subscribed(1);
    mark(keeper)();
    for (const id of orders) await moveTo(id, 'AWAITING_PACKING');
    await waitFor(() => keeper.events.length === orders.length, 'all events');

    const connection = ws();
    const expired = connection.subscribe({ orgId: 'org1', after: must(keeper.events[0], 'the oldest event').cursor });
    const malformed = connection.subscribe({ orgId: 'org1', after: 'not-a-cursor' });
    const lastInWindow = connection.subscribe({ orgId: 'org1', after: must(keeper.events[1], 'the oldest event in the window').cursor });
    await waitFor(() => expired.completed && malformed.completed, 'the refusals');
    await waitFor(() => lastInWindow.events.length === RESUME_EVENTS, 'the replay inside the window');

    expect(expired.errors.map((error) => error.extensions?.code)).toEqual(['CURSOR_EXPIRED']);
    expect(malformed.errors.map((error) => error.extensions?.code)).toEqual(['BAD_USER_INPUT']);
    expect(lastInWindow.events.map((event) => event.order.id)).toEqual(orders.slice(2));
  });
});

describe('slow consumers', () => {
  it('cuts a subscriber whose outbox would pass its bound, with the reason, and keeps the others', async () => {
    // Its own stack: the outbox high-water mark it reads is this test's alone.
    const own = await startStack({ env: { ORDER_FEED_POLL_MS: '200', ORDER_FEED_SUBSCRIBER_BUFFER: String(BUFFER) } });
    try {
      const fastConnection = connectWs(own.gateway.url, { apikey: ORG1_KEY });
      const fast = fastConnection.subscribe({ orgId: 'org1' });
      const slowConnection = connectWs(own.gateway.url, { apikey: ORG1_KEY });
      // Each of its events waits for a slow catalog read (GET /products): events pile up behind it.
      slowConnection.subscribe(
        { orgId: 'org1' },
        'subscription Slow($orgId: ID!) { orderEvents(orgId: $orgId) { cursor order { id items { product { name } } } } }',
      );
      await waitFor(() => own.gateway.feedStats().subscribers === 2, 'two subscribers');
      const target = own.gateway.feedStats().polls + 2;
      await waitFor(() => own.gateway.feedStats().polls >= target, 'the baseline poll');
      own.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/products', latencyMs: 1_000 }]);

      // Ten writes, ten batches of one event each.
      for (let i = 0; i < 10; i++) await own.gql(SUBMIT_ORDER, { input: orderInput() });
      const closed = await slowConnection.closed;
      await waitFor(() => fast.events.length === 10, 'every event at the fast subscriber');

      expect(closed.code).toBe(4008);
      expect(closed.reason).toMatch(/^Slow consumer: more than 3 events waited for delivery/);
      expect(own.gateway.feedStats().slowConsumersCut).toBe(1);
      expect(own.gateway.feedStats().maxOutbox).toBeLessThanOrEqual(BUFFER + 1);
      expect(fast.errors).toEqual([]);
      expect(fast.events.map((event) => event.type)).toEqual(Array.from({ length: 10 }, () => 'CREATED'));
      const metrics = await (await request(`${new URL(own.gateway.url).origin}/metrics`)).body.text();
      expect(metrics).toMatch(/^pharmaone_feed_slow_consumers_total 1$/m);
      expect(metrics).toMatch(/^graphql_subscriptions_active 1$/m);
      expect(metrics).toMatch(new RegExp(`^pharmaone_feed_outbox_high_water ${own.gateway.feedStats().maxOutbox}$`, 'm'));
      await fastConnection.dispose();
    } finally {
      await own.close();
    }
  });
});

describe('bounds and filters', () => {
  it('refuses a subscription past ORDER_FEED_MAX_PER_CONNECTION', async () => {
    const connection = ws();
    const held = [1, 2, 3].map(() => connection.subscribe({ orgId: 'org1' }));
    await waitFor(() => stack.gateway.feedStats().subscribers === 3, 'three subscribers');
    const fourth = connection.subscribe({ orgId: 'org1' });
    await waitFor(() => fourth.completed, 'the refusal');
    expect(fourth.errors).toEqual([expect.objectContaining({ extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } })]);
    for (const subscriber of held) expect(subscriber.completed).toBe(false);
  });

  it('delivers only the shop and statuses asked for (status now or just left)', async () => {
    const inShop1 = await newOrder('shop1');
    const inShop2 = await newOrder('shop2');
    const otherInShop2 = await newOrder('shop2');
    const connection = ws();
    const shop2 = connection.subscribe({ orgId: 'org1', shopId: 'shop2' });
    const pending = connection.subscribe({ orgId: 'org1', statuses: ['PENDING'] });
    const all = connection.subscribe({ orgId: 'org1' });
    await subscribed(3);
    mark(shop2, pending, all)();

    await moveTo(inShop1, 'AWAITING_PACKING');
    await moveTo(inShop2, 'AWAITING_PACKING');
    await moveTo(inShop2, 'PACKED');
    await moveTo(otherInShop2, 'CANCELLED');
    await waitFor(() => all.events.length === 4, 'every event');
    await polls(2);

    expect(shop2.events.map((event) => [event.order.id, event.order.status])).toEqual([
      [inShop2, 'AWAITING_PACKING'],
      [inShop2, 'PACKED'],
      [otherInShop2, 'CANCELLED'],
    ]);
    expect(pending.events.map((event) => [event.order.id, event.previousStatus])).toEqual([
      [inShop1, 'PENDING'],
      [inShop2, 'PENDING'],
      [otherInShop2, 'PENDING'],
    ]);
  });
});

describe('a failing poll', () => {
  it('reports UPSTREAM_UNAVAILABLE to its subscribers, backs off, and keeps them subscribed', async () => {
    const subscriber: Received = clients.sse({ orgId: 'org1' });
    await subscribed(1);
    mark(subscriber)();
    // Every attempt of one poll (the client retries GETs) fails.
    stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/orders', errorRate: 1, times: 3 }]);
    await waitFor(() => subscriber.errors.length === 1, 'the error event');
    expect(subscriber.errors[0]).toEqual({
      message: expect.stringMatching(/^PharmaOne is unavailable right now\. Try again shortly\. The feed polls again in \d+ ms\.$/),
      extensions: { code: 'UPSTREAM_UNAVAILABLE', retryInMs: expect.any(Number) },
      locations: [{ line: 2, column: 3 }],
      path: ['orderEvents'],
    });
    const orderId = await newOrder();
    await waitFor(() => subscriber.events.length === 1, 'an event after the failure');
    expect(must(subscriber.events[0], 'the event after the failure').order.id).toBe(orderId);
    expect(subscriber.completed).toBe(false);
  });
});

describe('shutdown', () => {
  it('completes every WebSocket and SSE subscription, with the reason, before the gateway closes', async () => {
    const own = await startStack({ env: { ORDER_FEED_POLL_MS: '200' } });
    const connection = connectWs(own.gateway.url, { apikey: ORG1_KEY });
    const overWs = connection.subscribe({ orgId: 'org1' });
    const overSse = subscribeSse(own.gateway.url, { apikey: ORG1_KEY }, { orgId: 'org1' });
    await waitFor(() => own.gateway.feedStats().subscribers === 2, 'two subscribers');

    await own.close();
    await waitFor(() => overWs.completed && overSse.completed, 'both completions');
    expect(overWs.failure).toBeUndefined();
    expect(overSse.failure).toBeUndefined();
    // Each completion says why, so a client resubscribes (with `after`) instead of giving up.
    for (const received of [overWs, overSse]) expect(received.errors.map((error) => error.extensions?.code)).toEqual(['SHUTTING_DOWN']);
    // A clean close either way: the lazy client's own 1000 once its only subscription completed,
    // or the server's 1001 (going away) if that comes first; the reason is the SHUTTING_DOWN above.
    expect([1000, 1001]).toContain((await connection.closed).code);
    overSse.dispose();
  });
});
