// Org.shop starts Shop.orders' page read beside its own shop read (src/graphql/resolvers/child-reads.ts),
// so a shop's orders cost one PharmaOne wave, not two. Through a real gateway, a real sandbox and a
// proxy between them that holds GET /shops until the test lets it through: the page read reaching
// PharmaOne while the shop read is still held proves it did not wait for it (no timing involved).
// The calls are exactly those the operation made before (the page read once, with the arguments
// Shop.orders computes), and an unknown shop answers exactly as before.
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../feed/feed-clients.ts';
import { startHeldUpstream } from '../support/held-upstream.ts';
import type { HeldUpstream } from '../support/held-upstream.ts';
import { restCalls, stackFixture } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { encodeCursor } from '../../src/domain/cursor.ts';

let holding: RegExp | undefined;
const SHOP_READ = /\/shops(\?|$)/;
let upstream: HeldUpstream | undefined;
const stack = stackFixture({
  // A document is compiled on its second run, so the repeated cases run on graphql-jit. The
  // deadline and the headers timeout are far away: a held call the gateway gives up on was given
  // up because its operation was answered, not because a clock ran out.
  env: { GRAPHQL_JIT: 'true', GRAPHQL_JIT_HOT_AFTER: '2', OPERATION_DEADLINE_MS: '120000', UPSTREAM_HEADERS_TIMEOUT_MS: '120000' },
  upstreamVia: async (sandboxUrl) => {
    upstream = await startHeldUpstream(sandboxUrl, (path) => holding?.test(path) ?? false);
    return upstream.url;
  },
});
afterAll(() => upstream?.close());
const held = () => must(upstream, 'the held upstream');

const NESTED_ORDERS = readFileSync(new URL('../../examples/operations/NestedOrders.graphql', import.meta.url), 'utf8');
const page = (query: string) => `GET /orders?${query}`;

/** Runs `query` with GET /shops held: the page reads PharmaOne saw before the shop read was let through, then the answer and all calls. */
async function withShopReadHeld(query: string, variables: Record<string, unknown>, pageReads: number) {
  await stack.gql('{ org(id: "org1") { id } }');
  stack.sandbox.calls.clear();
  holding = SHOP_READ;
  try {
    const answer = stack.gql(query, variables);
    await held().whenHeld(1);
    await waitFor(() => restCalls(stack.sandbox).length >= pageReads, `${pageReads} page reads while GET /shops is held`);
    const whileHeld = restCalls(stack.sandbox);
    holding = undefined;
    held().release();
    const res = await answer;
    return { whileHeld, res, calls: restCalls(stack.sandbox) };
  } finally {
    holding = undefined;
    held().release();
  }
}

const CASES: Array<{ name: string; query: string; variables?: Record<string, unknown>; pages: string[] }> = [
  { name: 'NestedOrders with its defaults', query: NESTED_ORDERS, pages: [page('limit=5&offset=0&shop_id=shop1')] },
  { name: 'NestedOrders with variables', query: NESTED_ORDERS, variables: { first: 2 }, pages: [page('limit=2&offset=0&shop_id=shop1')] },
  {
    name: 'the schema default page size',
    query: '{ org(id: "org1") { shop(id: "shop1") { orders { totalCount } } } }',
    pages: [page('limit=20&offset=0&shop_id=shop1')],
  },
  {
    name: 'two aliases, a filter and a cursor',
    query: `{ org(id: "org1") { shop(id: "shop1") { name a: orders(first: 1, filter: { status: PENDING }) { totalCount }
      b: orders(first: 3, after: "${encodeCursor(1)}") { nodes { id } } } } }`,
    pages: [page('limit=1&offset=0&shop_id=shop1&status=pending'), page('limit=3&offset=2&shop_id=shop1')],
  },
  {
    name: 'a named fragment and an inline fragment, by variables',
    query: `query Q($n: Int!, $on: Boolean!) { org(id: "org1") { shop(id: "shop1") { ...Recent ... @include(if: $on) { more: orders(first: 4) { totalCount } } } } }
      fragment Recent on Shop { name orders(first: $n) { nodes { id } } }`,
    variables: { n: 2, on: true },
    pages: [page('limit=2&offset=0&shop_id=shop1'), page('limit=4&offset=0&shop_id=shop1')],
  },
  {
    name: 'a skipped alias beside a selected one',
    query: `query Q($off: Boolean = true) { org(id: "org1") { shop(id: "shop1") { a: orders(first: 1) @skip(if: $off) { totalCount } b: orders(first: 2) { totalCount } } } }`,
    pages: [page('limit=2&offset=0&shop_id=shop1')],
  },
];

describe('Org.shop starts the shop’s orders page read beside the shop read', () => {
  it.each([...CASES, ...CASES.slice(0, 2)])(
    '$name: the page read reaches PharmaOne while GET /shops is held; the same calls, once each',
    async ({ query, variables, pages }) => {
      const { whileHeld, res, calls } = await withShopReadHeld(query, variables ?? {}, pages.length);
      expect(whileHeld.sort()).toEqual([...pages].sort());
      expect(res.body.errors).toBeUndefined();
      const shop = (res.body.data as { org: { shop: Record<string, unknown> } }).org.shop;
      expect(shop).toEqual(expect.any(Object));
      const details = calls.filter((call) => call.startsWith('GET /orders/') || call.startsWith('GET /products'));
      expect(calls.filter((call) => !details.includes(call)).sort()).toEqual(['GET /shops', ...pages].sort());
      // Every call at most once: the prefetched read and Shop.orders' own are one HTTP call.
      expect(new Set(calls).size).toBe(calls.length);
    },
  );

  it('NestedOrders: exactly the calls it made when the page waited for the shop (each once, same paths and queries)', async () => {
    const { res, calls } = await withShopReadHeld(NESTED_ORDERS, { first: 4 }, 1);
    const ids = (res.body.data as { org: { shop: { orders: { nodes: Array<{ id: string }> } } } }).org.shop.orders.nodes.map(
      ({ id }) => id,
    );
    expect(ids).toHaveLength(4);
    expect([...calls].sort()).toEqual(
      [
        'GET /shops',
        page('limit=4&offset=0&shop_id=shop1'),
        ...ids.map((id) => `GET /orders/${id}`),
        'GET /products?limit=100&offset=0&shop_id=shop1',
      ].sort(),
    );
  });
});

const UNKNOWN_SHOP = '{ org(id: "org1") { shop(id: "nope") { name orders(first: 2) { totalCount nodes { id items { name } } } } } }';

describe('an unknown shop answers exactly as before', () => {
  it.each([
    { name: 'its page read answers', fault: false },
    { name: 'its page read fails', fault: true },
  ])('$name: shop null with one NOT_FOUND, the abandoned page read reported nowhere', async ({ fault }) => {
    await stack.gql('{ org(id: "org1") { id } }');
    stack.sandbox.calls.clear();
    if (fault) stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/orders', errorRate: 1, errorStatus: 500, times: 10 }]);
    const requestId = `unknown-shop-${String(fault)}`;
    try {
      const res = await stack.gql(UNKNOWN_SHOP, undefined, { headers: { 'x-request-id': requestId } });
      expect(res.body.data).toEqual({ org: { shop: null } });
      expect(res.body.errors).toEqual([
        expect.objectContaining({ path: ['org', 'shop'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) }),
      ]);
      // One call more than before: the page read the shop's orders would have needed (the estimate counts it).
      // It may arrive after the answer (nothing awaits it): only its arrival is awaited.
      await waitFor(() => restCalls(stack.sandbox).includes(page('limit=2&offset=0&shop_id=nope')), 'the abandoned page read');
      expect(restCalls(stack.sandbox).filter((call) => !call.startsWith('GET /orders?'))).toEqual(['GET /shops']);
      const lines = () => stack.logs.filter((line) => line.requestId === requestId);
      await waitFor(() => lines().some((line) => line.msg === 'graphql operation'), 'the operation’s log line');
      expect(lines().filter((line) => (line.level ?? 0) >= 40)).toEqual([]);
      expect(lines().find((line) => line.msg === 'graphql operation')).toMatchObject({ errorCodes: ['NOT_FOUND'] });
    } finally {
      stack.sandbox.faults.clear();
    }
  });

  it('the abandoned page read stops once the answer is sent: its held call is closed and never reaches PharmaOne', async () => {
    await stack.gql('{ org(id: "org1") { id } }');
    stack.sandbox.calls.clear();
    const before = held().abandoned();
    holding = /shop_id=nope/;
    try {
      const res = await stack.gql(UNKNOWN_SHOP);
      expect(res.body.data).toEqual({ org: { shop: null } });
      // Answered while the page read was still held; finishing the operation closed its connection.
      await held().whenAbandoned(before + 1);
    } finally {
      holding = undefined;
      held().release();
    }
    expect(restCalls(stack.sandbox)).toEqual(['GET /shops']);
  });

  it('a page argument Shop.orders refuses: no page read is started, the field fails as before', async () => {
    await stack.gql('{ org(id: "org1") { id } }');
    stack.sandbox.calls.clear();
    const res = await stack.gql('{ org(id: "org1") { shop(id: "shop1") { name orders(first: 0) { totalCount } } } }');
    expect(res.body.data).toEqual({ org: { shop: { name: expect.any(String), orders: null } } });
    expect(res.body.errors).toEqual([expect.objectContaining({ path: ['org', 'shop', 'orders'] })]);
    // Calls for the unknown shop above are not this request's.
    expect(restCalls(stack.sandbox).filter((call) => !call.includes('shop_id=nope'))).toEqual(['GET /shops']);
  });
});
