// Leaving a subscription releases it at once: its subscriber and the place it held under
// ORDER_FEED_MAX_PER_CALLER. Each way out (a graphql-ws complete, a closed WebSocket, an aborted
// SSE request) is taken by a subscription that has delivered an event and waits for the next: the
// state in which the transport's return() must reach the feed's outbox through the mapping of
// events to results (src/http/subscriptions/map-events.ts). Nothing changes in the org meanwhile, so
// a release that waited for the next event would never come.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { orderInput, SUBMIT_ORDER, testFeedClients, waitFor } from './feed-clients.ts';
import type { FeedWsConnection, Received, SubmitOrderData } from './feed-clients.ts';

const PER_CALLER = 2;
const CALLER_FULL = `This caller already holds ${PER_CALLER} subscriptions (ORDER_FEED_MAX_PER_CALLER).`;

let stack: TestStack;
const clients = testFeedClients(() => stack);

beforeAll(async () => {
  stack = await startStack({ env: { ORDER_FEED_POLL_MS: '200', ORDER_FEED_MAX_PER_CALLER: String(PER_CALLER) } });
});
afterAll(() => stack.close());
afterEach(() => clients.closeAll());

const subscribers = () => stack.gateway.feedStats().subscribers;

/** Until `count` polls have started after now. */
async function polls(count: number): Promise<void> {
  const target = stack.gateway.feedStats().polls + count;
  await waitFor(() => stack.gateway.feedStats().polls >= target, `${count} polls`);
}

interface Subscription {
  received: Received;
  connection?: FeedWsConnection;
}

const overWs = (): Subscription => {
  const connection = clients.ws();
  return { connection, received: connection.subscribe({ orgId: 'org1' }) };
};
const overSse = (): Subscription => ({ received: clients.sse({ orgId: 'org1' }) });

const WAYS_OUT: Array<[string, () => Subscription, (subscription: Subscription) => unknown]> = [
  ['a graphql-ws complete', overWs, (subscription) => subscription.received.dispose()],
  ['a closed WebSocket', overWs, (subscription) => subscription.connection?.dispose()],
  ['an aborted SSE request', overSse, (subscription) => subscription.received.dispose()],
];

describe('leaving a subscription that waits for its next event', () => {
  it.each(WAYS_OUT)('%s releases the subscriber and its place at once', async (_way, open, leave) => {
    const leaving = open();
    const staying = overSse();
    await waitFor(() => subscribers() === PER_CALLER, 'the caller at its limit');
    const full = overSse();
    await waitFor(() => full.received.errors.length > 0, 'the refusal past the caller limit');
    expect(full.received.errors.map((error) => error.message)).toEqual([CALLER_FULL]);

    // An event through the mapping, then quiet: the leaving subscription waits in next().
    const res = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput() });
    const orderId = dataOf(res).submitOrderRequest.orderRequest.orderId;
    await waitFor(() => leaving.received.events.some((event) => event.order.id === orderId), 'the event at the leaving subscriber');
    await polls(2);

    await leave(leaving);
    await waitFor(() => subscribers() === PER_CALLER - 1, 'the subscription to end');
    // Its place is back: the same caller is admitted again.
    const again = overSse();
    await waitFor(() => subscribers() === PER_CALLER, 'the new subscription');
    expect(again.received.errors).toEqual([]);
    expect(leaving.received.errors).toEqual([]);
    expect(staying.received.errors).toEqual([]);
  });
});
