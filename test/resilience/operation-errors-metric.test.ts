// graphql_operation_errors_total{code} (the availability SLO and the refusal alerts of
// deploy/monitoring/ read it) scraped from /metrics of a real gateway: each request, whatever
// its transport and however early it was refused, adds exactly 1 to each distinct code its answer
// carried, and a request answered without errors adds nothing.
import { request } from 'undici';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startStack } from '../support/gateway.ts';
import type { TestStack } from '../support/gateway.ts';
import { connectWs, waitFor } from '../feed/feed-clients.ts';
import type { FeedWsConnection } from '../feed/feed-clients.ts';

let stack: TestStack;
let connection: FeedWsConnection;
beforeAll(async () => {
  stack = await startStack({ env: { UPSTREAM_RETRY_MAX_ATTEMPTS: '1', ORDER_FEED_MAX_PER_CONNECTION: '1' } });
  connection = connectWs(stack.gateway.url, { apikey: 'sandbox-org1-key' });
});
afterAll(async () => {
  await connection?.dispose();
  await stack?.close();
});

async function errorCounts(): Promise<Record<string, number>> {
  const res = await request(stack.gateway.url.replace(/\/graphql$/, '/metrics'));
  const text = await res.body.text();
  return Object.fromEntries(
    [...text.matchAll(/^graphql_operation_errors_total\{code="([^"]*)"\} (\d+)$/gm)].map(([, code, n]) => [code, Number(n)]),
  );
}

function delta(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(after)
      .map(([code, n]) => [code, n - (before[code] ?? 0)] as const)
      .filter(([, n]) => n !== 0),
  );
}

const MISSING_TWICE = '{ org(id: "org1") { a: order(id: "ORD_20990101_missing") { id } b: order(id: "ORD_20990101_gone") { id } } }';
const TOO_EXPENSIVE = '{ org(id: "org1") { shops { orders(first: 100) { nodes { items { name } } } } } }';

const CASES: Array<{ name: string; send: () => Promise<unknown>; counted: Record<string, number> }> = [
  { name: 'an answer without errors', send: () => stack.gql('{ org(id: "org1") { id } }'), counted: {} },
  { name: 'two NOT_FOUND fields in one answer (partial data)', send: () => stack.gql(MISSING_TWICE), counted: { NOT_FOUND: 1 } },
  { name: 'a syntax error', send: () => stack.gql('{'), counted: { GRAPHQL_PARSE_FAILED: 1 } },
  { name: 'an unknown field', send: () => stack.gql('{ nope }'), counted: { GRAPHQL_VALIDATION_FAILED: 1 } },
  {
    name: 'no credential (401 before Apollo)',
    send: () => stack.gql('{ viewer { mode } }', undefined, { apikey: null }),
    counted: { UNAUTHENTICATED: 1 },
  },
  { name: 'a fan-out over the budget', send: () => stack.gql(TOO_EXPENSIVE), counted: { QUERY_TOO_EXPENSIVE: 1 } },
  {
    name: 'a body that is not JSON (400 before Apollo)',
    send: async () => {
      const res = await request(stack.gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', apikey: 'sandbox-org1-key' },
        body: '{bad',
      });
      expect(res.statusCode).toBe(400);
      await res.body.dump();
    },
    counted: { BAD_REQUEST: 1 },
  },
  {
    name: 'PharmaOne failing a read',
    send: async () => {
      stack.sandbox.faults.set([{ route: 'GET /api/v2/public/orgs/{org}/shops', errorRate: 1, errorStatus: 503, times: 1 }]);
      await stack.gql('{ org(id: "org1") { shops { id } } }');
    },
    counted: { UPSTREAM_UNAVAILABLE: 1 },
  },
  {
    name: 'a graphql-ws subscribe the org refuses',
    send: async () => {
      const refused = connection.subscribe({ orgId: 'org2' });
      await waitFor(() => refused.errors.length > 0, 'the refusal');
    },
    counted: { UNAUTHENTICATED: 1 },
  },
  {
    name: 'a graphql-ws subscribe over the per-connection limit',
    send: async () => {
      const first = connection.subscribe({ orgId: 'org1' });
      await waitFor(() => stack.gateway.feedStats().subscribers === 1, 'the first subscription');
      const second = connection.subscribe({ orgId: 'org1' });
      await waitFor(() => second.errors.length > 0, 'the refusal');
      first.dispose();
    },
    counted: { TOO_MANY_SUBSCRIPTIONS: 1 },
  },
];

it.each(CASES)('$name adds $counted', async ({ send, counted }) => {
  const before = await errorCounts();
  await send();
  // The metric is written once the answer is sent, so the client may read it first: scrape until
  // every expected code has moved, then the whole change must be exactly the expected one.
  const started = Date.now();
  let after = await errorCounts();
  while (Object.entries(counted).some(([code, n]) => (after[code] ?? 0) - (before[code] ?? 0) < n) && Date.now() - started < 10_000) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    after = await errorCounts();
  }
  expect(delta(before, after)).toEqual(counted);
});
