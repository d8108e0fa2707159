// The live order feed over real transports: a real sandbox, a real gateway, graphql-ws clients
// on real WebSockets and graphql-sse clients on real HTTP; upstream calls counted in the sandbox's
// call log. The poll interval is short (200 ms) so that tests wait for polls, not for seconds.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, ORG1_READONLY_KEY, ORG2_KEY, startStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import type { TestStack } from '../support/gateway.ts';
import {
  changeStatusInSandbox,
  lastSeq,
  listCalls,
  orderInput,
  SUBMIT_ORDER,
  testFeedClients,
  UPDATE_STATUS,
  waitFor,
} from './feed-clients.ts';
import type { Received, SubmitOrderData, UpdateStatusData } from './feed-clients.ts';

let stack: TestStack;
const clients = testFeedClients(() => stack);
const { ws, sse } = clients;

beforeAll(async () => {
  stack = await startStack({ env: { ORDER_FEED_POLL_MS: '200', ORDER_FEED_MAX_PER_CONNECTION: '50' } });
});
afterAll(() => stack.close());
afterEach(() => clients.closeAll());

/** The event a subscriber should receive: when it happened and its cursor are the gateway's to choose. */
function anEvent(type: 'CREATED' | 'STATUS_CHANGED', previousStatus: string | null, order: { id: string; shopId: string; status: string }) {
  return { type, at: expect.any(String), cursor: expect.any(String), previousStatus, order };
}

/** Until `count` polls have started after now: the first of them is a baseline at the latest. */
async function polls(count: number): Promise<void> {
  const target = stack.gateway.feedStats().polls + count;
  await waitFor(() => stack.gateway.feedStats().polls >= target, `${count} polls`);
}

async function newOrder(): Promise<string> {
  const res = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput() });
  const orderId = dataOf(res).submitOrderRequest.orderRequest.orderId;
  expect(orderId).toMatch(/^ORD_/);
  return orderId;
}

describe('events of gateway writes', () => {
  it('a status change through updateOrderStatus reaches every subscriber once, over WebSocket and SSE, with previousStatus', async () => {
    const orderId = await newOrder();
    const subscribers = [
      ws().subscribe({ orgId: 'org1' }),
      ws().subscribe({ orgId: 'org1' }),
      sse({ orgId: 'org1' }),
      sse({ orgId: 'org1' }),
    ];
    await waitFor(() => stack.gateway.feedStats().subscribers === 4, 'four subscribers');
    await polls(2);
    for (const subscriber of subscribers) subscriber.events.splice(0);

    const res = await stack.gql<UpdateStatusData>(UPDATE_STATUS, { input: { orgId: 'org1', orderId, status: 'AWAITING_PACKING' } });
    expect(dataOf(res).updateOrderStatus.userErrors).toEqual([]);
    await waitFor(() => subscribers.every((s) => s.events.length > 0), 'the event at every subscriber');
    // The polls after the write see the same change: it must not arrive a second time.
    await polls(3);

    for (const subscriber of subscribers) {
      expect(subscriber.errors).toEqual([]);
      expect(subscriber.events).toEqual([
        anEvent('STATUS_CHANGED', 'PENDING', { id: orderId, shopId: 'shop1', status: 'AWAITING_PACKING' }),
      ]);
    }
    expect(new Set(subscribers.map((s) => must(s.events[0], 'the event at a subscriber').cursor)).size).toBe(1);
  });

  it('a new order through submitOrderRequest arrives as CREATED, once', async () => {
    const subscriber = ws().subscribe({ orgId: 'org1' });
    await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the subscriber');
    await polls(2);
    subscriber.events.splice(0);

    const orderId = await newOrder();
    await waitFor(() => subscriber.events.length > 0, 'the CREATED event');
    await polls(3);

    expect(subscriber.events).toEqual([anEvent('CREATED', null, { id: orderId, shopId: 'shop1', status: 'PENDING' })]);
  });
});

describe('changes made at PharmaOne directly', () => {
  it('arrive with the first poll after the change', async () => {
    const orderId = await newOrder();
    const subscriber = sse({ orgId: 'org1' });
    await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the subscriber');
    await polls(2);
    // A feed restarting within the resume window first publishes what changed while nobody watched.
    subscriber.events.splice(0);

    await changeStatusInSandbox(stack.sandbox, 'org1', ORG1_KEY, orderId, 'cancelled');
    const changedAt = must(stack.sandbox.calls.list({ method: 'PATCH' }).at(-1), 'the PATCH in the sandbox call log').seq;
    // The next poll is answered at once; every later one is held, so however slowly the event
    // travels to the subscriber, no second poll can have brought it.
    stack.sandbox.faults.set([
      { route: 'GET /api/v2/public/orgs/{org}/orders', times: 1 },
      { route: 'GET /api/v2/public/orgs/{org}/orders', latencyMs: 60_000 },
    ]);
    await waitFor(() => subscriber.events.length > 0, 'the STATUS_CHANGED event');

    // The first poll that read after the change found it (a poll in flight at the change may
    // even have arrived just before it and read just after): at most one answered since.
    const answeredSince = listCalls(stack.sandbox, 'org1', changedAt).filter((call) => call.status !== null);
    expect(answeredSince.length).toBeLessThanOrEqual(1);
    expect(subscriber.events).toEqual([anEvent('STATUS_CHANGED', 'PENDING', { id: orderId, shopId: 'shop1', status: 'CANCELLED' })]);
    stack.sandbox.faults.clear();
  });
});

/** Retries of GET /orders the gateway made so far, from its own /metrics. */
async function orderListRetries(): Promise<number> {
  const metrics = await (await fetch(stack.gateway.url.replace('/graphql', '/metrics'))).text();
  let total = 0;
  for (const match of metrics.matchAll(/^pharmaone_upstream_retries_total\{route="GET \/orders",[^}]*\} (\d+)$/gm))
    total += Number(match[1]);
  return total;
}

describe("an event's selection", () => {
  // A detail-only field: the poll's rows are summaries, so each event reads GET /orders/{id}.
  const WITH_ITEMS = `subscription Items($orgId: ID!) {
    orderEvents(orgId: $orgId) { type previousStatus order { id status items { name quantity } } }
  }`;
  const DETAIL = 'GET /api/v2/public/orgs/{org}/orders/{id}';

  it('reads through one request scope per event, shared by the scope’s subscribers over WebSocket and SSE', async () => {
    // The subscribers' scope is the read-only key's: the order is created with the other key, so
    // only the poll of this scope reports it (no write of this scope fetches it).
    const connection = ws(ORG1_READONLY_KEY);
    const subscribers = [
      connection.subscribe({ orgId: 'org1' }, WITH_ITEMS),
      connection.subscribe({ orgId: 'org1' }, WITH_ITEMS),
      ws(ORG1_READONLY_KEY).subscribe({ orgId: 'org1' }, WITH_ITEMS),
      sse({ orgId: 'org1' }, ORG1_READONLY_KEY, WITH_ITEMS),
      sse({ orgId: 'org1' }, ORG1_READONLY_KEY, WITH_ITEMS),
    ];
    await waitFor(() => stack.gateway.feedStats().subscribers === subscribers.length, 'the subscribers');
    await polls(2);
    const orderId = await newOrder();
    const eventsOf = (subscriber: Received) => subscriber.events.filter((event) => event.order.id === orderId);
    await waitFor(() => subscribers.every((s) => eventsOf(s).length === 1), 'the CREATED event at every subscriber');
    const before = lastSeq(stack.sandbox);

    // Two events of the same order, one after the other: each reads the order's detail once for
    // every subscriber, and the second does not answer from the first one's loaders.
    for (const [index, status] of ['awaiting_packing', 'packed'].entries()) {
      await changeStatusInSandbox(stack.sandbox, 'org1', ORG1_KEY, orderId, status);
      await waitFor(() => subscribers.every((s) => eventsOf(s).length === index + 2), `change ${index + 1} at every subscriber`);
      const details = stack.sandbox.calls.list({ route: DETAIL, afterSeq: before }).filter((call) => call.path.endsWith(`/${orderId}`));
      expect(details.map((call) => call.path)).toEqual(
        Array.from({ length: index + 1 }, () => `/api/v2/public/orgs/org1/orders/${orderId}`),
      );
    }
    const items = [{ name: 'Ibuprofen 400mg 20 St.', quantity: 1 }];
    for (const subscriber of subscribers) {
      expect(subscriber.errors).toEqual([]);
      expect(eventsOf(subscriber)).toEqual([
        { type: 'CREATED', previousStatus: null, order: { id: orderId, status: 'PENDING', items } },
        { type: 'STATUS_CHANGED', previousStatus: 'PENDING', order: { id: orderId, status: 'AWAITING_PACKING', items } },
        { type: 'STATUS_CHANGED', previousStatus: 'AWAITING_PACKING', order: { id: orderId, status: 'PACKED', items } },
      ]);
    }
  });
});

describe('one poll per scope', () => {
  it.each([1, 10, 200])('with %i subscribers: one poller, one GET /orders per poll, nothing else upstream', async (count) => {
    // From before the first subscriber to after the last: every call the feed made in between.
    const before = { seq: lastSeq(stack.sandbox), polls: stack.gateway.feedStats().polls, retries: await orderListRetries() };
    const connections = Array.from({ length: Math.ceil(count / 40) }, () => ws());
    const subscribers = Array.from({ length: count }, (_, i) =>
      must(connections[i % connections.length], `connection ${i % connections.length}`).subscribe({ orgId: 'org1' }),
    );
    await waitFor(() => stack.gateway.feedStats().subscribers === count, `${count} subscribers`);
    await polls(5);
    expect(stack.gateway.feedStats().pollers).toBe(1);

    for (const connection of connections) await connection.dispose();
    await waitFor(() => stack.gateway.feedStats().pollers === 0 && stack.gateway.feedStats().subscribers === 0, 'the poller to stop');
    await waitFor(() => stack.sandbox.calls.list().every((call) => call.status !== null), 'calls in flight');
    const pollsMade = stack.gateway.feedStats().polls - before.polls;
    // A busy machine can make a poll's attempt time out: its retry is the one other call allowed.
    const retried = (await orderListRetries()) - before.retries;
    const calls = stack.sandbox.calls.list({ afterSeq: before.seq });
    expect(calls.map((call) => `${call.method} ${call.path}?${new URLSearchParams(call.query as Record<string, string>)}`)).toEqual(
      Array.from({ length: pollsMade + retried }, () => 'GET /api/v2/public/orgs/org1/orders?limit=100&offset=0'),
    );
    expect(pollsMade).toBeGreaterThanOrEqual(5);
    for (const subscriber of subscribers) expect(subscriber.errors).toEqual([]);
  });
});

describe('tenancy at subscribe', () => {
  it('refuses a key of org2 for org1 with only the refused token exchange, and the next attempt with no call', async () => {
    const connection = ws(ORG2_KEY);
    stack.sandbox.calls.clear();
    const first = connection.subscribe({ orgId: 'org1' });
    await waitFor(() => first.completed || first.failure !== undefined, 'the refusal');
    expect(first.events).toEqual([]);
    expect(first.errors.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(
      stack.sandbox.calls.list().map((call) => ({ method: call.method, path: call.path, apikey: call.apikeyLabel, status: call.status })),
    ).toEqual([{ method: 'POST', path: '/api/v2/public/orgs/org1/auth/token', apikey: 'org2-key', status: 401 }]);

    stack.sandbox.calls.clear();
    const second = connection.subscribe({ orgId: 'org1' });
    await waitFor(() => second.completed || second.failure !== undefined, 'the second refusal');
    expect(second.errors.map((error) => error.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    expect(stack.sandbox.calls.list()).toEqual([]);
    expect(stack.gateway.feedStats().pollers).toBe(0);
  });
});
