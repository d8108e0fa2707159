// `npm run example:live-feed`: a typed live order feed against a running gateway (`npm start`).
// It watches the org's orders over WebSocket (graphql-ws), disconnects after LIVE_FEED_EVENTS
// events (default 3), waits for Enter (change an order meanwhile, e.g. with updateOrderStatus in
// the playground), then resumes over Server-Sent Events (graphql-sse) with `after` set to the last
// cursor it saw: the events it missed come first, once each, then live ones. GATEWAY_URL,
// PHARMAONE_APIKEY and PHARMAONE_ORG default to the local gateway, the sandbox's demo key and org1.
import { once } from 'node:events';
import { createClient as createSseClient } from 'graphql-sse';
import { createClient as createWsClient } from 'graphql-ws';
import type { OrderFeedSubscription, OrderFeedSubscriptionVariables } from '../client/generated/graphql.ts';
import { OrderFeedDocument } from '../client/generated/graphql.ts';

const url = process.env.GATEWAY_URL ?? 'http://127.0.0.1:4000/graphql';
const apikey = process.env.PHARMAONE_APIKEY ?? 'sandbox-org1-key';
const orgId = process.env.PHARMAONE_ORG ?? 'org1';
const perPhase = Number(process.env.LIVE_FEED_EVENTS ?? 3);

/** Both clients take the query as text; the generated document types the result. */
type Result = {
  data?: OrderFeedSubscription | null;
  errors?: ReadonlyArray<{ message: string; extensions?: Readonly<Record<string, unknown>> }>;
};

/** Prints `perPhase` events of `results` and returns the last one's cursor. */
async function show(label: string, results: AsyncIterable<Result>, after?: string): Promise<string | undefined> {
  let cursor = after;
  let seen = 0;
  for await (const result of results) {
    // CURSOR_EXPIRED: the resume window has passed; reload the orders and subscribe without `after`.
    for (const error of result.errors ?? []) throw new Error(`${String(error.extensions?.code)}: ${error.message}`);
    const event = result.data?.orderEvents;
    if (!event) continue;
    const change = event.previousStatus ? `${event.previousStatus} → ${event.order.status}` : event.order.status;
    console.log(`[${label}] ${event.type} ${event.order.id} ${change} (${event.order.shop?.name ?? 'unknown shop'})`);
    cursor = event.cursor;
    if (++seen === perPhase) break; // leaving the loop unsubscribes
  }
  return cursor;
}

// 1. WebSocket: browsers cannot set headers on it, so the key goes in the connection_init payload.
const ws = createWsClient({ url: url.replace(/^http/, 'ws'), connectionParams: { apikey }, retryAttempts: 0 });
const first: OrderFeedSubscriptionVariables = { orgId };
console.log(`watching ${orgId} over WebSocket (graphql-ws)`);
const cursor = await show('ws', ws.iterate<OrderFeedSubscription>({ query: OrderFeedDocument.toString(), variables: first }));
await ws.dispose();

// 2. The connection is gone; whatever changes now is kept in the gateway's resume window.
console.log(`disconnected after ${cursor ?? 'no event'}; press Enter to resume`);
if (!process.stdin.readableEnded) await Promise.race([once(process.stdin, 'data'), once(process.stdin, 'end')]);
process.stdin.pause();

// 3. SSE, resuming just after the last event seen.
const sse = createSseClient({ url: url.replace(/\/graphql$/, '/graphql/stream'), headers: { apikey }, retryAttempts: 0 });
const resume: OrderFeedSubscriptionVariables = { orgId, after: cursor };
console.log(`resuming over SSE (graphql-sse) after ${cursor ?? 'no event'}`);
await show('sse', sse.iterate<OrderFeedSubscription>({ query: OrderFeedDocument.toString(), variables: resume }), cursor);
sse.dispose();
