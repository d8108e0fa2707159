// The upstream-call budget over the feed's transports: a subscription's selection runs once per
// event, so it is estimated per event against UPSTREAM_CALL_BUDGET by the same rule as POST. Each
// row pairs a subscription with its POST twin of the same estimate (`orderEvents(orgId:)` pays the
// org's token exchange as `org(id:)` does; `order { shop { … } }` costs what `shop(id:) { … }` does):
// over the budget, WebSocket and SSE refuse at subscribe with exactly POST's error and no PharmaOne
// call; under it, all three admit.
import { request } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ORG1_KEY, stackFixture } from '../support/gateway.ts';
import { connectWs, subscribeSse, waitFor } from './feed-clients.ts';
import type { FeedWsConnection, Received } from './feed-clients.ts';

// With this media type POST answers a refused request with 400, as the SSE route does.
const STRICT = { headers: { accept: 'application/graphql-response+json' } };
const stack = stackFixture();
const open: Array<{ dispose(): unknown }> = [];
beforeEach(() => stack.sandbox.calls.clear());
afterEach(async () => {
  for (const item of open.splice(0)) await item.dispose();
  await waitFor(() => stack.gateway.feedStats().subscribers === 0 && stack.gateway.feedStats().pollers === 0, 'nobody subscribed');
});

const page = (first: string, items = 'items { name }') => `orders(first: ${first}) { nodes { ${items} } }`;

/** A selection on a shop, with the variables it declares and is sent. */
interface Row {
  name: string;
  shop: string;
  definitions?: string;
  variables?: Record<string, unknown>;
}

const OVER: Array<Row & { estimate: number }> = [
  { name: 'three pages of 100 orders with their items', shop: `a: ${page('100')} b: ${page('100')} c: ${page('100')}`, estimate: 305 },
  {
    name: 'the products of a page’s items, and two pages more',
    shop: `a: ${page('100', 'items { product { name } }')} b: ${page('100')} c: ${page('100')}`,
    estimate: 310,
  },
  {
    name: 'page sizes from a variable',
    shop: `a: ${page('$n')} b: ${page('$n')} c: ${page('$n')}`,
    definitions: '($n: Int)',
    variables: { n: 100 },
    estimate: 305,
  },
  {
    name: 'page sizes from a variable’s default',
    shop: `a: ${page('$n')} b: ${page('$n')} c: ${page('$n')}`,
    definitions: '($n: Int = 100)',
    estimate: 305,
  },
];

const UNDER: Row[] = [
  { name: 'one page of 100 orders with their items', shop: page('100') },
  {
    name: 'three small pages from a variable',
    shop: `a: ${page('$n')} b: ${page('$n')} c: ${page('$n')}`,
    definitions: '($n: Int)',
    variables: { n: 10 },
  },
  { name: 'a page of products with their stock', shop: 'products(first: 100) { nodes { name stock { quantity } } }' },
];

const subscription = (row: Row) =>
  `subscription ${row.definitions ?? ''} { orderEvents(orgId: "org1") { order { shop { ${row.shop} } } } }`;
const twin = (row: Row) => `query ${row.definitions ?? ''} { org(id: "org1") { shop(id: "shop1") { ${row.shop} } } }`;

function overWs(row: Row): { connection: FeedWsConnection; received: Received } {
  const connection = connectWs(stack.gateway.url, { apikey: ORG1_KEY });
  open.push(connection);
  return { connection, received: connection.subscribe(row.variables ?? {}, subscription(row)) };
}

async function refusedOverSse(row: Row) {
  const res = await request(stack.gateway.url.replace(/\/graphql$/, '/graphql/stream'), {
    method: 'POST',
    headers: { accept: 'text/event-stream', 'content-type': 'application/json', apikey: ORG1_KEY },
    body: JSON.stringify({ query: subscription(row), variables: row.variables ?? {} }),
  });
  return { status: res.statusCode, body: (await res.body.json()) as { errors: unknown[] } };
}

describe('over the budget', () => {
  it.each(OVER)('$name: refused at subscribe over WebSocket and SSE with POST’s error, no PharmaOne call', async (row) => {
    const post = await stack.gql(twin(row), row.variables, STRICT);
    expect(post.status).toBe(400);
    expect(post.body.errors).toEqual([
      {
        message: `This operation could make up to ${row.estimate} PharmaOne calls; the limit is 300. Ask for smaller pages (first), fewer nested lists, or fewer detail fields per order.`,
        extensions: { code: 'QUERY_TOO_EXPENSIVE', estimatedUpstreamCalls: row.estimate, upstreamCallBudget: 300 },
      },
    ]);

    const { received } = overWs(row);
    await waitFor(() => received.failure !== undefined || received.completed, 'the WebSocket refusal');
    expect(received.failure).toEqual(post.body.errors);
    expect(received.events).toEqual([]);

    const sse = await refusedOverSse(row);
    expect(sse).toEqual({ status: 400, body: { errors: post.body.errors } });

    expect(stack.gateway.feedStats().subscribers).toBe(0);
    expect(stack.sandbox.calls.list()).toEqual([]);
  });
});

describe('under the budget', () => {
  it.each(UNDER)('$name: admitted over WebSocket and SSE, as POST admits it', async (row) => {
    const { received } = overWs(row);
    const overSse = subscribeSse(stack.gateway.url, { apikey: ORG1_KEY }, row.variables ?? {}, subscription(row));
    open.push(overSse);
    await waitFor(() => stack.gateway.feedStats().subscribers === 2, 'both subscriptions');
    expect([received.failure, received.errors, received.completed]).toEqual([undefined, [], false]);
    expect([overSse.failure, overSse.errors, overSse.completed]).toEqual([undefined, [], false]);

    const post = await stack.gql(twin(row), row.variables);
    expect([post.status, post.body.errors]).toEqual([200, undefined]);
  });
});
