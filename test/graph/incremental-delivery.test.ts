// @defer and @stream over HTTP (src/graphql/incremental.ts, src/http/incremental-response.ts),
// through a real gateway, a real sandbox and a proxy between them that holds the order-detail
// calls until the test lets them through: the first part is sent while those calls are held (so
// no detail call can have reached PharmaOne before it), the rest once they are answered. Parts
// are read by meros as they arrive.
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../feed/feed-clients.ts';
import { servedBy } from '../support/admission-transports.ts';
import { startHeldUpstream } from '../support/held-upstream.ts';
import type { HeldUpstream } from '../support/held-upstream.ts';
import { restCalls, stackFixture } from '../support/gateway.ts';
import { must } from '../support/must.ts';
import { ACCEPT, assemble, nextPart, postForParts, rest } from '../support/multipart.ts';

/** The PharmaOne calls the proxy holds now (paths it matches), or none. */
let holding: RegExp | undefined;
const DETAIL_CALLS = /\/orders\/ORD_/;
const PAGE_CALLS = /\/orders\?/;
let upstream: HeldUpstream | undefined;
const stack = stackFixture({
  upstreamVia: async (sandboxUrl) => {
    upstream = await startHeldUpstream(sandboxUrl, (path) => holding?.test(path) ?? false);
    return upstream.url;
  },
});
afterAll(() => upstream?.close());

const held = () => must(upstream, 'the held upstream');

const SELECTION = (details: string) => `{ org(id: "org1") { shop(id: "shop1") { name orders(first: 3) { totalCount nodes {
  id status ${details} } } } } }`;
const DETAILS = 'items { name quantity } shippingAddress { city }';
const DEFERRED = `query Deferred ${SELECTION(`... @defer(label: "details") { ${DETAILS} }`)}`;
const PLAIN = `query Deferred ${SELECTION(DETAILS)}`;
const NODES = ['org', 'shop', 'orders', 'nodes'];
/**
 * Calls compared as a sorted list (every call, each as often as made): Org.shop starts the orders
 * page read beside GET /shops (src/graphql/resolvers/child-reads.ts), so which reaches PharmaOne first is not defined.
 */
const callSet = (calls: readonly string[]) => [...calls].sort();

/** The plain query's answer and PharmaOne calls (the token is exchanged first, so calls are the operation's own). */
async function plainAnswer(): Promise<{ data: unknown; calls: string[] }> {
  await stack.gql('{ org(id: "org1") { id } }');
  stack.sandbox.calls.clear();
  const res = await stack.gql(PLAIN);
  expect(res.body.errors).toBeUndefined();
  const calls = restCalls(stack.sandbox);
  stack.sandbox.calls.clear();
  return { data: res.body.data, calls };
}

describe('@defer over multipart/mixed; incrementalSpec=v0.2', () => {
  it('sends the orders while their detail calls are held, then each order’s details by id, and the same data and calls as without @defer', async () => {
    const plain = await plainAnswer();
    holding = DETAIL_CALLS;
    try {
      const answer = await postForParts(stack.gateway.url, { query: DEFERRED }, ACCEPT.v02);
      expect(answer.status).toBe(200);
      expect(answer.contentType).toBe('multipart/mixed; boundary="-"; incrementalSpec=v0.2');
      const parts = must(answer.parts, 'parts');
      const first = await nextPart(parts);
      const orders = (plain.data as { org: { shop: { orders: { nodes: Array<{ id: string; status: string }> } } } }).org.shop.orders;
      expect(first).toEqual({
        data: {
          org: {
            shop: {
              name: expect.any(String),
              orders: { totalCount: expect.any(Number), nodes: orders.nodes.map(({ id, status }) => ({ id, status })) },
            },
          },
        },
        hasNext: true,
        pending: [0, 1, 2].map((index) => ({ id: String(index), path: [...NODES, index], label: 'details' })),
      });
      await held().whenHeld(3);
      // PharmaOne has seen the page and not one detail call: the first part did not wait for them.
      expect(callSet(restCalls(stack.sandbox))).toEqual(callSet(plain.calls.filter((call) => !call.startsWith('GET /orders/ORD_'))));
      holding = undefined;
      held().release();
      const later = await rest(parts);
      expect(later.at(-1)?.hasNext).toBe(false);
      expect(later.slice(0, -1).every((part) => part.hasNext === true)).toBe(true);
      expect(
        later
          .flatMap((part) => (part.completed as Array<{ id: string }>) ?? [])
          .map(({ id }) => id)
          .sort(),
      ).toEqual(['0', '1', '2']);
      expect(assemble([first, ...later])).toEqual(plain.data);
      // Loaders shared across parts: the same calls, each once.
      expect(callSet(restCalls(stack.sandbox))).toEqual(callSet(plain.calls));
    } finally {
      holding = undefined;
      held().release();
    }
  });

  it('writes one log line for the operation, with its parts and every part’s PharmaOne calls', async () => {
    await plainAnswer();
    const requestId = 'deferred-log-line';
    const answer = await postForParts(stack.gateway.url, { query: DEFERRED }, ACCEPT.v02, { headers: { 'x-request-id': requestId } });
    const parts = await rest(must(answer.parts, 'parts'));
    const lineOf = () => stack.logs.filter((line) => line.msg === 'graphql operation' && line.requestId === requestId);
    // Written once the last part is sent, which the client may read first.
    await waitFor(() => lineOf().length > 0, 'the operation’s log line');
    expect(lineOf()).toHaveLength(1);
    expect(lineOf()[0]).toMatchObject({
      httpStatus: 200,
      errorCodes: [],
      parts: parts.length,
      upstream: { 'GET /shops 200': 1, 'GET /orders 200': 1, 'GET /orders/{id} 200': 3 },
    });
  });
});

describe('@defer over multipart/mixed; deferSpec=20220824', () => {
  it('sends each deferred fragment with its data, path and label, and hasNext false on the last part', async () => {
    const plain = await plainAnswer();
    const answer = await postForParts(stack.gateway.url, { query: DEFERRED }, ACCEPT.v01);
    expect(answer.contentType).toBe('multipart/mixed; boundary="-"; deferSpec=20220824');
    const parts = must(answer.parts, 'parts');
    const first = await nextPart(parts);
    expect(first).toEqual({ data: expect.any(Object), hasNext: true });
    const later = await rest(parts);
    const items = later.flatMap((part) => part.incremental as Array<Record<string, unknown>>);
    expect(items.map(({ path, label }) => ({ path, label })).sort((a, b) => String(a.path).localeCompare(String(b.path)))).toEqual(
      [0, 1, 2].map((index) => ({ path: [...NODES, index], label: 'details' })),
    );
    expect(later.map((part) => part.hasNext)).toEqual([...later.slice(1).map(() => true), false]);
    expect(assemble([first, ...later])).toEqual(plain.data);
  });
});

describe('a client that cannot read parts, or a directive that defers nothing', () => {
  const cases = [
    { name: 'Accept application/json', accept: 'application/json', query: DEFERRED },
    { name: 'Accept application/graphql-response+json', accept: 'application/graphql-response+json', query: DEFERRED },
    { name: 'multipart ranked below JSON', accept: 'multipart/mixed;deferSpec=20220824;q=0.5, application/json', query: DEFERRED },
    { name: 'a deferSpec this gateway does not speak', accept: 'multipart/mixed;deferSpec=20190101, application/json', query: DEFERRED },
    {
      name: 'an incrementalSpec this gateway does not speak',
      accept: 'multipart/mixed;incrementalSpec=v9, application/json',
      query: DEFERRED,
    },
    { name: '@defer(if: false)', accept: ACCEPT.v02, query: DEFERRED.replace('@defer(label: "details")', '@defer(if: false)') },
  ];
  it.each(cases)('$name: one complete JSON answer, the same data and calls as without @defer', async ({ accept, query }) => {
    const plain = await plainAnswer();
    const answer = await postForParts(stack.gateway.url, { query }, accept);
    expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json/);
    expect(answer.json).toEqual({ data: plain.data });
    expect(callSet(restCalls(stack.sandbox))).toEqual(callSet(plain.calls));
  });

  it('a batch answers its deferred operations inline, in one JSON array', async () => {
    const plain = await plainAnswer();
    const answer = await postForParts(stack.gateway.url, [{ query: DEFERRED }, { query: '{ __typename }' }], ACCEPT.v02);
    expect(answer.json).toEqual([{ data: plain.data }, { data: { __typename: 'Query' } }]);
  });
});

const STREAMED = `query Streamed { org(id: "org1") { shop(id: "shop1") { orders(first: 5) { nodes @stream(initialCount: 2, label: "rest") { id status } } } } }`;

describe('@stream on a connection’s nodes', () => {
  it.each([
    { spec: 'v0.2', accept: ACCEPT.v02 },
    { spec: 'v0.1', accept: ACCEPT.v01 },
  ])('$spec: the first two orders in the first part, the others after them, in order', async ({ accept }) => {
    const full = await stack.gql(STREAMED.replace('@stream(initialCount: 2, label: "rest")', ''));
    const nodes = (full.body.data as { org: { shop: { orders: { nodes: unknown[] } } } }).org.shop.orders.nodes;
    expect(nodes).toHaveLength(5);
    const answer = await postForParts(stack.gateway.url, { query: STREAMED }, accept);
    const parts = await rest(must(answer.parts, 'parts'));
    const first = must(parts[0], 'the first part');
    expect((first.data as typeof full.body.data & { org: { shop: { orders: { nodes: unknown[] } } } }).org.shop.orders.nodes).toEqual(
      nodes.slice(0, 2),
    );
    expect(parts.at(-1)?.hasNext).toBe(false);
    expect(assemble(parts)).toEqual(full.body.data);
  });
});

describe('errors and cancellation', () => {
  it('a failed detail call fails only its deferred fragment: the error, with its path, travels in that part', async () => {
    const plain = await plainAnswer();
    const ids = (plain.data as { org: { shop: { orders: { nodes: Array<{ id: string }> } } } }).org.shop.orders.nodes.map(({ id }) => id);
    const failing = must(ids[1], 'a second order');
    stack.sandbox.faults.set([
      { route: 'GET /api/v2/public/orgs/{org}/orders/{id}', pathPattern: `${failing}$`, errorRate: 1, errorStatus: 500 },
    ]);
    try {
      const answer = await postForParts(stack.gateway.url, { query: DEFERRED }, ACCEPT.v01);
      const parts = await rest(must(answer.parts, 'parts'));
      expect(parts[0]?.errors).toBeUndefined();
      const items = parts.slice(1).flatMap((part) => part.incremental as Array<Record<string, unknown>>);
      const failed = items.filter((item) => item.errors !== undefined);
      expect(failed.map((item) => item.path)).toEqual([[...NODES, 1]]);
      const errors = must(failed[0], 'the failed fragment').errors as Array<{ path: unknown; extensions: { code: string } }>;
      expect(errors.map(({ path, extensions }) => ({ path, code: extensions.code }))).toEqual([
        { path: [...NODES, 1, 'items'], code: 'UPSTREAM_UNAVAILABLE' },
        { path: [...NODES, 1, 'shippingAddress'], code: 'UPSTREAM_UNAVAILABLE' },
      ]);
      // The other orders' details arrived.
      expect(items.filter((item) => item.errors === undefined).map((item) => item.path)).toHaveLength(2);
    } finally {
      stack.sandbox.faults.clear();
    }
  });

  it('a client that goes away after the first part stops the pending PharmaOne calls', async () => {
    await plainAnswer();
    holding = DETAIL_CALLS;
    const abandonedBefore = held().abandoned();
    const requestId = 'deferred-cancelled';
    try {
      const client = new AbortController();
      const answer = await postForParts(stack.gateway.url, { query: DEFERRED }, ACCEPT.v02, {
        signal: client.signal,
        headers: { 'x-request-id': requestId },
      });
      await nextPart(must(answer.parts, 'parts'));
      await held().whenHeld(3);
      client.abort();
      // The gateway closed every held detail call's connection: nothing waits for their answers.
      await held().whenAbandoned(abandonedBefore + 3);
      const lineOf = () => stack.logs.filter((line) => line.msg === 'graphql operation' && line.requestId === requestId);
      await waitFor(() => lineOf().length > 0, 'the cancelled operation’s log line');
      expect(lineOf()[0]).toMatchObject({ parts: 1 });
      expect(stack.logs.filter((line) => line.requestId === requestId && line.msg === 'unexpected error')).toEqual([]);
    } finally {
      holding = undefined;
      held().release();
    }
    // No detail call ever reached PharmaOne.
    expect(restCalls(stack.sandbox).filter((call) => call.startsWith('GET /orders/ORD_'))).toEqual([]);
  });
});

describe('the fast path', () => {
  it('serves a repeated deferred query and still answers it in parts, with the same calls', async () => {
    const plain = await plainAnswer();
    const before = await servedBy(stack);
    const answers = [];
    for (let i = 0; i < 3; i++) {
      stack.sandbox.calls.clear();
      const answer = await postForParts(stack.gateway.url, { query: DEFERRED }, ACCEPT.v01);
      answers.push({ parts: await rest(must(answer.parts, 'parts')), calls: restCalls(stack.sandbox) });
    }
    expect((await servedBy(stack)).prepared).toBeGreaterThan(before.prepared);
    for (const { parts, calls } of answers) {
      expect(parts.length).toBeGreaterThan(1);
      expect(assemble(parts)).toEqual(plain.data);
      expect(callSet(calls)).toEqual(callSet(plain.calls));
    }
  });
});

describe('a client gone before the first part', () => {
  it('ends the operation at once, without an internal error, and no detail call is made', async () => {
    await plainAnswer();
    holding = PAGE_CALLS;
    const requestId = 'deferred-gone-early';
    try {
      const client = new AbortController();
      const sent = postForParts(stack.gateway.url, { query: DEFERRED }, ACCEPT.v02, {
        signal: client.signal,
        headers: { 'x-request-id': requestId },
      }).catch((error: unknown) => error);
      await held().whenHeld(1);
      const abandonedBefore = held().abandoned();
      client.abort();
      await held().whenAbandoned(abandonedBefore + 1);
      await sent;
      const lines = () => stack.logs.filter((line) => line.requestId === requestId);
      await waitFor(() => lines().some((line) => line.msg === 'graphql operation'), 'the operation’s log line');
      expect(lines().filter((line) => (line.level ?? 0) >= 50)).toEqual([]);
      expect(lines().find((line) => line.msg === 'graphql operation')?.errorCodes).not.toContain('INTERNAL_SERVER_ERROR');
    } finally {
      holding = undefined;
      held().release();
    }
    expect(restCalls(stack.sandbox).filter((call) => call.startsWith('GET /orders/ORD_'))).toEqual([]);
  });
});
