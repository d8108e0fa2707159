// @defer inside a subscription over graphql-ws and graphql-sse: each event's parts are successive
// `next` messages (src/graphql/incremental.ts, executeEvent) in the deferSpec=20220824 shape —
// the event first with `hasNext: true`, then its deferred fragment with its `path` and `label`.
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, startStack } from '../support/gateway.ts';
import { startHeldUpstream } from '../support/held-upstream.ts';
import type { HeldUpstream } from '../support/held-upstream.ts';
import { must } from '../support/must.ts';
import type { TestStack } from '../support/gateway.ts';
import { orderInput, SUBMIT_ORDER, waitFor, wsUrl } from './feed-clients.ts';
import type { SubmitOrderData } from './feed-clients.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startStack({ env: { ORDER_FEED_POLL_MS: '200' } });
});
afterAll(() => stack.close());

const DEFERRED_EVENTS = `subscription Lines { orderEvents(orgId: "org1") { type order { id status ... @defer(label: "lines") { items { name quantity } } } } }`;

type Message = Record<string, unknown>;

/** Every `next` payload of one subscription, raw, over graphql-ws or graphql-sse. */
function subscribe(transport: 'ws' | 'sse', query = DEFERRED_EVENTS, on = stack): { messages: Message[]; dispose: () => Promise<void> } {
  const messages: Message[] = [];
  const sink = { next: (message: unknown) => messages.push(message as Message), error: () => {}, complete: () => {} };
  if (transport === 'ws') {
    const client = createWsClient({
      url: wsUrl(on.gateway.url),
      webSocketImpl: WebSocket,
      connectionParams: { apikey: ORG1_KEY },
      retryAttempts: 0,
    });
    client.subscribe({ query }, sink);
    return { messages, dispose: () => client.dispose() as Promise<void> };
  }
  const client = createSseClient({
    url: on.gateway.url.replace(/\/graphql$/, '/graphql/stream'),
    headers: { apikey: ORG1_KEY },
    retryAttempts: 0,
  });
  const unsubscribe = client.subscribe({ query }, sink);
  return {
    messages,
    dispose: async () => {
      unsubscribe();
      client.dispose();
    },
  };
}

describe.each(['ws', 'sse'] as const)('@defer in a subscription over %s', (transport) => {
  it('sends the event, then its order lines as the next message with path and label', async () => {
    const subscription = subscribe(transport);
    try {
      await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the subscriber');
      const submitted = await stack.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput() });
      const orderId = dataOf(submitted).submitOrderRequest.orderRequest.orderId;
      const ofOrder = () =>
        subscription.messages.filter(
          (message) =>
            (message.data as { orderEvents?: { order?: { id?: string } } } | undefined)?.orderEvents?.order?.id === orderId ||
            (message.incremental as unknown[] | undefined) !== undefined,
        );
      await waitFor(() => ofOrder().length >= 2, 'the event and its deferred part');
      const [event, lines] = ofOrder();
      expect(event).toEqual({ data: { orderEvents: { type: 'CREATED', order: { id: orderId, status: 'PENDING' } } }, hasNext: true });
      expect(lines).toEqual({
        incremental: [
          {
            data: { items: orderInput().items.map(() => expect.objectContaining({ name: expect.any(String) })) },
            path: ['orderEvents', 'order'],
            label: 'lines',
          },
        ],
        hasNext: false,
      });
    } finally {
      await subscription.dispose();
      await waitFor(() => stack.gateway.feedStats().subscribers === 0, 'nobody subscribed');
    }
  });
});

// Two deferred fragments settle apart: the status is at hand, the lines' product categories need a
// PharmaOne catalog read, which a proxy holds until the test lets it through. So the event has three
// parts; with GRAPHQL_INCREMENTAL_MAX_PARTS=2 the second is the last message, says the rest was not
// sent, and the subscription goes on with the next event.
const TWO_DEFERRED = `subscription Capped { orderEvents(orgId: "org1") { type order { id ... @defer(label: "status") { status } ... @defer(label: "lines") { items { product { category } } } } } }`;
const CATALOG_READS = /\/products/;

describe.each(['ws', 'sse'] as const)('the parts cap on an event over %s', (transport) => {
  let capped: TestStack;
  let upstream: HeldUpstream | undefined;
  let holding = false;
  beforeAll(async () => {
    capped = await startStack({
      env: { ORDER_FEED_POLL_MS: '200', GRAPHQL_INCREMENTAL_MAX_PARTS: '2' },
      upstreamVia: async (sandboxUrl) => {
        upstream = await startHeldUpstream(sandboxUrl, (path) => holding && CATALOG_READS.test(path));
        return upstream.url;
      },
    });
  });
  afterAll(async () => {
    await capped.close();
    await upstream?.close();
  });

  it('ends each event at the cap with QUERY_TOO_EXPENSIVE, and the next event still comes', async () => {
    const subscription = subscribe(transport, TWO_DEFERRED, capped);
    try {
      await waitFor(() => capped.gateway.feedStats().subscribers === 1, 'the subscriber');
      for (const round of [1, 2]) {
        // The event's catalog read waits (a submit reads no catalog): its fragment cannot share a part with the status.
        holding = true;
        const submitted = await capped.gql<SubmitOrderData>(SUBMIT_ORDER, { input: orderInput() });
        const orderId = dataOf(submitted).submitOrderRequest.orderRequest.orderId;
        const first = () =>
          subscription.messages.findIndex(
            (message) => (message.data as { orderEvents?: { order?: { id?: string } } } | undefined)?.orderEvents?.order?.id === orderId,
          );
        await waitFor(() => first() >= 0 && subscription.messages.length >= first() + 2, `event ${round} and its last part`);
        const [event, last] = subscription.messages.slice(first(), first() + 2);
        expect(event).toMatchObject({ data: { orderEvents: { type: 'CREATED', order: { id: orderId } } }, hasNext: true });
        expect(last).toEqual({
          incremental: [{ data: { status: 'PENDING' }, path: ['orderEvents', 'order'], label: 'status' }],
          hasNext: false,
          errors: [
            {
              message: 'The answer reached its limit of 2 parts (GRAPHQL_INCREMENTAL_MAX_PARTS); the rest was not sent.',
              extensions: { code: 'QUERY_TOO_EXPENSIVE' },
            },
          ],
        });
        holding = false;
        must(upstream, 'the held upstream').release();
      }
      // Nothing of the cut fragment ("lines") was sent.
      expect(JSON.stringify(subscription.messages)).not.toContain('"lines"');
    } finally {
      await subscription.dispose();
      await waitFor(() => capped.gateway.feedStats().subscribers === 0, 'nobody subscribed');
    }
  });
});
