// The per-org bulkhead: one org's burst holds at most its own slots, so another org's calls still
// find free connections; a call whose predicted wait would not fit is refused rather than piled
// up, while a long queue of fast calls (healthy load) is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, ORG2_KEY, startStack } from '../support/gateway.ts';
import type { OrderIds, TestStack } from '../support/gateway.ts';

const ORG1_SHOPS = '{ org(id: "org1") { shops { id } } }';
const ORG2_SHOPS = '{ org(id: "org2") { shops { id } } }';
type ShopsData = { org: { shops: Array<{ id: string }> | null } };

const SLOW_MS = 600;

describe('fairness between orgs', () => {
  let stack: TestStack;
  beforeAll(async () => {
    // Six pooled connections, three per org: without the bulkhead, org1's burst would hold all six.
    stack = await startStack({ env: { UPSTREAM_CONNECTIONS_PER_ORIGIN: '6', UPSTREAM_ORG_CONCURRENCY: '3' } });
    await stack.gql(ORG1_SHOPS);
    await stack.gql(ORG2_SHOPS, undefined, { apikey: ORG2_KEY });
  });
  afterAll(() => stack.close());

  it('keeps org2 fast while org1 floods, and org1 never has more than 3 calls in flight', async () => {
    stack.sandbox.faults.set([{ pathPrefix: '/api/v2/public/orgs/org1/', latencyMs: SLOW_MS }]);
    stack.sandbox.calls.clear();

    const flood = Promise.all(Array.from({ length: 9 }, () => stack.gql<ShopsData>(ORG1_SHOPS)));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    const org2 = await stack.gql<ShopsData>(ORG2_SHOPS, undefined, { apikey: ORG2_KEY });
    const org2Ms = performance.now() - started;
    const org1 = await flood;

    expect(dataOf(org2).org.shops).toEqual([{ id: 'shop3' }]);
    expect(org2Ms).toBeLessThan(SLOW_MS / 2);
    for (const res of org1) expect(dataOf(res).org.shops).toHaveLength(2);
    // Three waves of three: arrivals at ~0, ~600 and ~1200 ms.
    const arrivals = stack.sandbox.calls.list({ org: 'org1' }).map((call) => Date.parse(call.at));
    const first = Math.min(...arrivals);
    const waves = arrivals.map((at) => Math.round((at - first) / SLOW_MS));
    expect(waves.sort()).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2]);
  });
});

describe('admission by predicted wait', () => {
  it('refuses a call whose predicted wait exceeds UPSTREAM_ORG_MAX_WAIT_MS with UPSTREAM_UNAVAILABLE (overloaded) and never sends it', async () => {
    // One slot, org1 calls take ~300 ms: a first waiter is predicted ~300 ms (admitted), a second ~600 ms (refused).
    const stack = await startStack({ env: { UPSTREAM_ORG_CONCURRENCY: '1', UPSTREAM_ORG_MAX_WAIT_MS: '450' } });
    try {
      stack.sandbox.faults.set([{ pathPrefix: '/api/v2/public/orgs/org1/', latencyMs: 300 }]);
      // The token exchange and two reads teach the bulkhead org1's call duration.
      await stack.gql(ORG1_SHOPS);
      await stack.gql(ORG1_SHOPS);
      stack.sandbox.calls.clear();

      const results = await Promise.all(Array.from({ length: 3 }, () => stack.gql(ORG1_SHOPS)));

      const reasons = results.map((res) => res.body.errors?.[0]?.extensions?.reason ?? 'ok').sort();
      expect(reasons).toEqual(['ok', 'ok', 'overloaded']);
      expect(stack.sandbox.calls.list()).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });

  it('serves a burst far longer than the slots when calls are fast: 24 concurrent 20-order detail reads, no refusal', async () => {
    const stack = await startStack({ env: { UPSTREAM_ORG_CONCURRENCY: '4' } });
    try {
      await stack.gql(ORG1_SHOPS);
      stack.sandbox.calls.clear();
      const query = '{ org(id: "org1") { orders(first: 20) { nodes { id customerEmail } } } }';

      const results = await Promise.all(Array.from({ length: 24 }, () => stack.gql<{ org: OrderIds }>(query)));

      for (const res of results) {
        expect(res.body.errors).toBeUndefined();
        expect(dataOf(res).org.orders.nodes).toHaveLength(20);
      }
      // Every read made its list call and its 20 detail calls (24 × 21), however long the queue got.
      expect(stack.sandbox.calls.list()).toHaveLength(24 * 21);
    } finally {
      await stack.close();
    }
  });
});
