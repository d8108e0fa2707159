// The limits of incremental delivery and the refusals it shares with every other request: an
// answer stops at GRAPHQL_INCREMENTAL_MAX_PARTS (the last part sent says why, in either format),
// and a request refused before execution is answered in JSON with its status, as without @defer.
import { afterAll, describe, expect, it } from 'vitest';
import { waitFor } from '../feed/feed-clients.ts';
import { stackFixture } from '../support/gateway.ts';
import { startHeldUpstream } from '../support/held-upstream.ts';
import type { HeldUpstream } from '../support/held-upstream.ts';
import { must } from '../support/must.ts';
import { ACCEPT, nextPart, postForParts, rest } from '../support/multipart.ts';

let holding = false;
let upstream: HeldUpstream | undefined;
const stack = stackFixture({
  env: { GRAPHQL_INCREMENTAL_MAX_PARTS: '2', GRAPHQL_MAX_DEFERRED: '2', UPSTREAM_CALL_BUDGET: '6', RESPONSE_CACHE_MB: '8' },
  upstreamVia: async (sandboxUrl) => {
    upstream = await startHeldUpstream(sandboxUrl, (path) => holding && /\/(shops|orders)(\?|$)/.test(path));
    return upstream.url;
  },
});
afterAll(() => upstream?.close());

// Two deferred fragments on two PharmaOne routes, held until let through one by one: three parts,
// deterministically, of which the limit lets two be sent.
const TWO_DEFERRED =
  'query Two { org(id: "org1") { id ... @defer(label: "shops") { shops { id } } ... @defer(label: "orders") { orders(first: 1) { totalCount } } } }';
const CUT = 'The answer reached its limit of 2 parts (GRAPHQL_INCREMENTAL_MAX_PARTS); the rest was not sent.';

/** The parts of TWO_DEFERRED: the first, then the shops let through and their part read, then the orders let through. */
async function cutAnswer(accept: string, requestId: string): Promise<Array<Record<string, unknown>>> {
  const held = must(upstream, 'the held upstream');
  await stack.gql('{ org(id: "org1") { id } }');
  holding = true;
  try {
    const answer = await postForParts(stack.gateway.url, { query: TWO_DEFERRED }, accept, { headers: { 'x-request-id': requestId } });
    const parts = must(answer.parts, 'parts');
    const first = await nextPart(parts);
    await held.whenHeld(2);
    held.release((path) => path.includes('/shops'));
    const second = await nextPart(parts);
    holding = false;
    held.release();
    return [first, second, ...(await rest(parts))];
  } finally {
    holding = false;
    held.release();
  }
}

describe('GRAPHQL_INCREMENTAL_MAX_PARTS', () => {
  it('v0.2: the second part is the last; it completes the fragment still open with the error', async () => {
    const requestId = 'parts-cut-v02';
    const parts = await cutAnswer(ACCEPT.v02, requestId);
    expect(parts.map((part) => part.hasNext)).toEqual([true, false]);
    const first = must(parts[0], 'the first part');
    const [shops, orders] = first.pending as Array<{ id: string; label: string }>;
    expect([shops?.label, orders?.label]).toEqual(['shops', 'orders']);
    expect(parts[1]).toMatchObject({
      incremental: [{ id: shops?.id, data: { shops: expect.any(Array) } }],
      completed: [{ id: shops?.id }, { id: orders?.id, errors: [{ message: CUT, extensions: { code: 'QUERY_TOO_EXPENSIVE' } }] }],
    });
    const lineOf = () => stack.logs.filter((line) => line.msg === 'graphql operation' && line.requestId === requestId);
    await waitFor(() => lineOf().length > 0, 'the operation’s log line');
    expect(lineOf()[0]).toMatchObject({ parts: 2, errorCodes: ['QUERY_TOO_EXPENSIVE'], httpStatus: 200 });
  });

  it('v0.1: the second part is the last and carries the error itself', async () => {
    const parts = await cutAnswer(ACCEPT.v01, 'parts-cut-v01');
    expect(parts.map((part) => part.hasNext)).toEqual([true, false]);
    expect(parts[1]).toMatchObject({
      incremental: [{ path: ['org'], label: 'shops', data: { shops: expect.any(Array) } }],
      errors: [{ message: CUT, extensions: { code: 'QUERY_TOO_EXPENSIVE' } }],
    });
  });
});

describe('refusals before execution are JSON with their status, as without @defer', () => {
  const DEFERRED = '{ org(id: "org1") { id ... @defer { name } } }';
  it.each([
    {
      name: 'no credential (401)',
      body: { query: DEFERRED },
      apikey: null,
      status: 401,
      code: 'UNAUTHENTICATED',
    },
    {
      name: 'more @defer/@stream than GRAPHQL_MAX_DEFERRED (400)',
      body: { query: '{ ... @defer { __typename } ... @defer { __typename } ... @defer { __typename } }' },
      apikey: undefined,
      status: 400,
      code: 'GRAPHQL_VALIDATION_FAILED',
    },
    {
      name: 'an estimate over the upstream-call budget, deferred calls counted (400)',
      body: { query: '{ org(id: "org1") { orders(first: 5) { nodes { id ... @defer { items { name } } } } } }' },
      apikey: undefined,
      status: 400,
      code: 'QUERY_TOO_EXPENSIVE',
    },
  ])('$name', async ({ body, apikey, status, code }) => {
    for (const accept of [ACCEPT.v02, ACCEPT.v01]) {
      const answer = await postForParts(stack.gateway.url, body, accept, { apikey });
      expect(answer.status).toBe(status);
      expect(answer.contentType).toBe('application/graphql-response+json; charset=utf-8');
      expect((answer.json as { errors: Array<{ extensions: { code: string } }> }).errors.map((error) => error.extensions.code)).toEqual([
        code,
      ]);
    }
  });
});

describe('the response cache', () => {
  const SHOPS = '{ org(id: "org1") { id ... @defer(label: "shops") { shops { id name } } } }';
  const shopCalls = () => stack.sandbox.calls.list({ route: 'GET /api/v2/public/orgs/{org}/shops' }).length;

  it('never stores an answer sent in parts (its first part is not the whole); a whole answer it stored is served whole', async () => {
    await stack.gql('{ org(id: "org1") { id } }');
    stack.sandbox.calls.clear();
    for (let i = 0; i < 2; i++) {
      const answer = await postForParts(stack.gateway.url, { query: SHOPS }, ACCEPT.v02);
      expect((await rest(must(answer.parts, 'parts'))).length).toBe(2);
    }
    expect(shopCalls()).toBe(2);
    // Asked whole (no multipart), it is stored; then a client asking for parts gets that whole answer from the cache.
    const whole = await postForParts(stack.gateway.url, { query: SHOPS }, 'application/json');
    expect(shopCalls()).toBe(3);
    const cached = await postForParts(stack.gateway.url, { query: SHOPS }, ACCEPT.v02);
    expect(cached.contentType).toMatch(/^application\/graphql-response\+json/);
    expect(cached.json).toEqual(whole.json);
    expect(shopCalls()).toBe(3);
  });
});
