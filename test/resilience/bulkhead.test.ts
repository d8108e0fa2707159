// The per-org bulkhead: one org's burst holds at most its own slots, so another org's calls still
// find free connections; a call whose predicted wait would not fit is refused rather than piled
// up, while a long queue of fast calls (healthy load) is served.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataOf, ORG2_KEY, startStack } from '../support/gateway.ts';
import type { OrderIds, TestStack } from '../support/gateway.ts';
import { must } from '../support/must.ts';

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
    const org2 = await stack.gql<ShopsData>(ORG2_SHOPS, undefined, { apikey: ORG2_KEY });
    const org1 = await flood;

    expect(dataOf(org2).org.shops).toEqual([{ id: 'shop3' }]);
    for (const res of org1) expect(dataOf(res).org.shops).toHaveLength(2);
    // Read from the sandbox's own arrival times, so a slow machine cannot fake or hide a queue:
    // a call of org1 starts only when one of its 3 slots is free, so each arrives at least one
    // call's latency after the one three places before it …
    const arrivals = stack.sandbox.calls
      .list({ org: 'org1' })
      .map((call) => Date.parse(call.at))
      .sort((a, b) => a - b);
    expect(arrivals).toHaveLength(9);
    const gaps = arrivals.slice(3).map((at, i) => at - (arrivals[i] as number));
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(SLOW_MS - 5);
    // … while org2's call went out before org1's first three were answered: it waited for none.
    const org2Arrival = Date.parse(must(stack.sandbox.calls.list({ org: 'org2' })[0], "org2's call").at);
    expect(org2Arrival).toBeLessThan((arrivals[0] as number) + SLOW_MS);
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
    // "Fast" is what the bulkhead measures: on a clock that stands still every call takes 0 ms,
    // however busy the machine is, so only the queue's length could refuse one, and it must not.
    const stack = await startStack({ env: { UPSTREAM_ORG_CONCURRENCY: '4' }, gateway: { resilienceClock: () => 1_000_000 } });
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
