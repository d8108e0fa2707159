// @defer inside a subscription over graphql-ws and graphql-sse: each event's parts are successive
// `next` messages (src/graphql/incremental.ts, executeEvent) in the deferSpec=20220824 shape —
// the event first with `hasNext: true`, then its deferred fragment with its `path` and `label`.
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, ORG1_KEY, startStack } from '../support/gateway.ts';
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
function subscribe(transport: 'ws' | 'sse'): { messages: Message[]; dispose: () => Promise<void> } {
  const messages: Message[] = [];
  const sink = { next: (message: unknown) => messages.push(message as Message), error: () => {}, complete: () => {} };
  if (transport === 'ws') {
    const client = createWsClient({
      url: wsUrl(stack.gateway.url),
      webSocketImpl: WebSocket,
      connectionParams: { apikey: ORG1_KEY },
      retryAttempts: 0,
    });
    client.subscribe({ query: DEFERRED_EVENTS }, sink);
    return { messages, dispose: () => client.dispose() as Promise<void> };
  }
  const client = createSseClient({
    url: stack.gateway.url.replace(/\/graphql$/, '/graphql/stream'),
    headers: { apikey: ORG1_KEY },
    retryAttempts: 0,
  });
  const unsubscribe = client.subscribe({ query: DEFERRED_EVENTS }, sink);
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
